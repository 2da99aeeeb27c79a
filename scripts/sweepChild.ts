import { validateConfig } from '../src/engine/config';
import { initNodeBackend } from '../src/engine/node';
import { cellId } from '../src/lib/sweep/cells';
import { downsample } from '../bench/stats';
import { writeAtomically } from './sweepFiles';
import { fromChildSchema, toChildSchema, type FromChild } from './sweepProtocol';
import { trainToOutput } from './trainOutput';

/**
 * A child process of `npm run sweep`: trains the cells it is sent, one at a time, and writes each as the train
 * CLI's JSON. Started by scripts/sweep.ts with `fork` (and tsx as loader); talks over the IPC channel.
 */

const PROGRESS_EVERY_MS = 30_000;

function send(message: FromChild): void {
  process.send?.(fromChildSchema.parse(message));
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('scripts/sweepChild.ts runs as a child process of scripts/sweep.ts');
  const backend = await initNodeBackend();
  let queue = Promise.resolve();
  process.on('message', (raw: unknown) => {
    const message = toChildSchema.parse(raw);
    if (message.type === 'exit') {
      void queue.then(() => process.disconnect?.());
      return;
    }
    queue = queue.then(async () => {
      try {
        const resolved = validateConfig(message.config);
        if (!resolved.ok) throw new Error(`invalid config: ${JSON.stringify(resolved.issues)}`);
        if (cellId(resolved.config) !== message.id)
          throw new Error(`config does not hash to cell ${message.id}`);
        let lastReport = performance.now();
        const output = await trainToOutput(resolved.config, backend, {
          onEvaluation({ record }) {
            const now = performance.now();
            if (now - lastReport < PROGRESS_EVERY_MS) return;
            lastReport = now;
            send({ type: 'progress', id: message.id, step: record.step, testAccuracy: record.testAccuracy });
          },
        });
        const grokIndex = output.history.findIndex((record) => record.step === output.stepsToGrok);
        const history =
          message.historyPoints > 0
            ? downsample(output.history, message.historyPoints, [grokIndex])
            : output.history;
        writeAtomically(message.file, JSON.stringify({ ...output, history, cell: message.cell }, null, 1));
        send({
          type: 'done',
          id: message.id,
          stepsToGrok: output.stepsToGrok,
          stoppedBecause: output.stoppedBecause,
          finalStep: output.final.step,
          finalTestAccuracy: output.final.testAccuracy,
          wallMs: output.wallMs,
          cpuMs: output.cpuMs,
          msPerStep: output.msPerStep,
        });
      } catch (error) {
        send({
          type: 'failed',
          id: message.id,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    });
  });
  send({ type: 'ready', backend });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `sweep child: ${error.message}` : error);
  process.exit(1);
});
