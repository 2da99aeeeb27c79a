import { writeFileSync } from 'node:fs';
import { startDataParallel, type DataParallelRun } from '../src/engine/dataParallel/nodeRun';
import { startNodeBackend, WebGpuUnavailableError } from '../src/engine/node';
import { progressSupport } from '../src/engine/metrics/progressMeasures';
import { keyList, PHASE_WORDS, progressPhase } from '../src/engine/metrics/progressPhase';
import { describeRunCost } from '../src/engine/runCost';
import { Trainer } from '../src/engine/trainer';
import { parseTrainArgs, UsageError } from './cliArgs';
import { outputSummary, trainToOutput } from './trainOutput';

/** `npm run train`: trains headless (wasm by default; `--backend webgpu|auto|cpu`) and writes the run as JSON. */
async function main(): Promise<void> {
  const args = parseTrainArgs(process.argv.slice(2));
  // A config that cannot fit never gets here (validateConfig refuses it, exit 2); a heavy one is said up front.
  const cost = describeRunCost(args.config);
  if (!args.quiet || cost.level !== 'ok') console.error(cost.text.replace(/ Start anyway\?$/, ''));
  const chosen = await startNodeBackend(args.backend, {
    webgpuAdapter: args.webgpuAdapter ?? undefined,
    wasmThreads: args.threads,
    createProbe: () => new Trainer(args.config),
  });
  const backend = chosen.backend;
  const workers = args.workers > 1 ? `, ${args.workers} data-parallel workers` : '';
  if (!args.quiet) console.log(`backend: ${chosen.summary}${workers}`);
  // Data-parallel: followers on the same backend, one core each; this thread leads (and evaluates).
  let parallel: DataParallelRun | null = null;
  if (args.workers > 1) {
    if (backend !== 'wasm' && backend !== 'cpu')
      throw new UsageError(`--workers needs wasm or cpu, got ${backend}`);
    parallel = await startDataParallel(args.config, { workers: args.workers, backend });
  }
  const support = progressSupport(args.config.task);
  const percent = (x: number): string => `${(100 * x).toFixed(1).padStart(5)}%`;
  const output = await trainToOutput(args.config, backend, {
    trainer: parallel?.trainer,
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
          ...(record.progress
            ? [
                `test waves ${record.progress.testWaveLoss.toFixed(2)}/${Math.log(args.config.task.modulus).toFixed(2)}` +
                  ` (keys ${keyList(record.progress).join(',')}: ` +
                  `${PHASE_WORDS[progressPhase(support, record, args.config.task.modulus) as 'waves']})`,
              ]
            : []),
          `${msPerStep.toFixed(1)} ms/step`,
        ].join('  '),
      );
    },
  });
  await parallel?.close();
  console.log(outputSummary(output));
  if (args.out)
    writeFileSync(
      args.out,
      JSON.stringify(
        { ...output, backendSummary: `${chosen.summary}${workers}`, workers: args.workers },
        null,
        1,
      ),
    );
}

main().then(
  // Dawn's device keeps the event loop alive after training; the run is written, so leave.
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof WebGpuUnavailableError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(error instanceof Error ? `error: ${error.message}` : error);
    if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
    process.exit(1);
  },
);
