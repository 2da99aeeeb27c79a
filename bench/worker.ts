import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { startNodeBackend } from '../src/engine/node';
import type { RunResult } from './results';
import { runOne } from './runOne';
import type { RunSpec } from './suites';

/** What the main thread tells a worker at start (workerData): its backend. */
const WorkerOptionsSchema = z.object({
  backend: z.enum(['wasm', 'webgpu', 'cpu']),
  webgpuAdapter: z.enum(['system', 'swiftshader']),
});
export type WorkerOptions = z.infer<typeof WorkerOptionsSchema>;

/** Messages between the bench's main thread and a worker thread (one engine, one backend per worker). */
export type ToWorker = { type: 'run'; run: RunSpec } | { type: 'exit' };
export type FromWorker =
  | { type: 'ready'; backend: string }
  | {
      type: 'progress';
      id: string;
      step: number;
      trainAccuracy: number;
      testAccuracy: number;
      msPerStep: number;
    }
  | { type: 'done'; result: RunResult }
  | { type: 'failed'; id: string; error: string };

const port = parentPort;
if (!port) throw new Error('bench/worker.ts must run in a worker thread');

const PROGRESS_EVERY_MS = 30_000;

async function main(): Promise<void> {
  // Older callers start workers without workerData: wasm, as before.
  const options = WorkerOptionsSchema.parse(workerData ?? { backend: 'wasm', webgpuAdapter: 'system' });
  const { backend } = await startNodeBackend(options.backend, { webgpuAdapter: options.webgpuAdapter });
  port!.postMessage({ type: 'ready', backend } satisfies FromWorker);
  port!.on('message', (message: ToWorker) => {
    if (message.type === 'exit') {
      port!.close();
      return;
    }
    const { run } = message;
    let lastReport = performance.now();
    void runOne(run, backend, (record) => {
      const now = performance.now();
      if (now - lastReport < PROGRESS_EVERY_MS) return;
      lastReport = now;
      port!.postMessage({
        type: 'progress',
        id: run.id,
        step: record.step,
        trainAccuracy: record.trainAccuracy,
        testAccuracy: record.testAccuracy,
        msPerStep: record.trainingMs / Math.max(1, record.step),
      } satisfies FromWorker);
    }).then(
      (result) => port!.postMessage({ type: 'done', result } satisfies FromWorker),
      (error: unknown) =>
        port!.postMessage({
          type: 'failed',
          id: run.id,
          error: error instanceof Error ? error.message : String(error),
        } satisfies FromWorker),
    );
  });
}

void main();
