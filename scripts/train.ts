import { writeFileSync } from 'node:fs';
import { initNodeBackend } from '../src/engine/node';
import { parseTrainArgs, UsageError } from './cliArgs';
import { outputSummary, trainToOutput } from './trainOutput';

/** `npm run train`: trains headless on the wasm backend and writes the run as JSON. */
async function main(): Promise<void> {
  const args = parseTrainArgs(process.argv.slice(2));
  const backend = await initNodeBackend();
  const percent = (x: number): string => `${(100 * x).toFixed(1).padStart(5)}%`;
  const output = await trainToOutput(args.config, backend, {
    untilStep: args.steps,
    onStart(trainer) {
      if (args.quiet) return;
      console.log(
        `${trainer.dataset.title} · ${args.config.model.kind} · backend ${backend} · ${args.steps} steps`,
      );
    },
    onEvaluation({ record }, { msPerStep }) {
      if (args.quiet) return;
      console.log(
        [
          `step ${String(record.step).padStart(6)}`,
          `train ${percent(record.trainAccuracy)}`,
          `test ${percent(record.testAccuracy)}`,
          `loss ${record.trainLoss.toExponential(2)}/${record.testLoss.toExponential(2)}`,
          `|w| ${record.weightNorm.toFixed(1)}`,
          `${msPerStep.toFixed(1)} ms/step`,
        ].join('  '),
      );
    },
  });
  console.log(outputSummary(output));
  if (args.out) writeFileSync(args.out, JSON.stringify(output, null, 1));
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error instanceof Error ? `error: ${error.message}` : error);
  if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
  process.exit(1);
});
