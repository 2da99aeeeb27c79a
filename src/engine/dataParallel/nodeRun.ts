/**
 * Data-parallel training in Node: the leader (this thread) and `workers − 1` followers (worker_threads, one core
 * each) split every batch; gradients meet in a SharedArrayBuffer (exchange.ts). The leader's Trainer is an
 * ordinary one to its caller (runTraining, evaluate, getState): only its trainStep waits for the followers.
 * The run's config is fixed: live updates (Trainer.update) are not passed on to the followers.
 */
import type { Worker } from 'node:worker_threads';
import type { Config } from '../config';
import { Trainer } from '../trainer';
import { createExchangeBuffer, GradientExchange } from './exchange';
import { FollowerMessage, type FollowerData } from './nodeProtocol';
import { startTypeScriptWorker } from './nodeWorker';
import { exchangeHook, gradientSize } from './reducer';

export interface DataParallelOptions {
  /** Workers in all, the leader included (≥ 2). */
  workers: number;
  backend?: 'wasm' | 'cpu';
  /** How long the leader waits for the followers at one step before giving up, ms (default 120 000). */
  timeoutMs?: number;
}

export interface DataParallelRun {
  /** The leader's trainer: train, evaluate and read it as any other. */
  trainer: Trainer;
  /** Stops the followers and frees the leader's trainer; resolves with each follower's report. */
  close(): Promise<{ steps: number; numTensors: number }[]>;
}

/** Messages of one follower, as a queue the leader can await. */
function listen(worker: Worker) {
  const messages: FollowerMessage[] = [];
  const waiting: ((message: FollowerMessage) => void)[] = [];
  const deliver = (message: FollowerMessage) => {
    const next = waiting.shift();
    if (next) next(message);
    else messages.push(message);
  };
  worker.on('message', (raw: unknown) => deliver(FollowerMessage.parse(raw)));
  worker.on('error', (error: Error) => deliver({ type: 'error', message: error.message }));
  worker.on('exit', (code) => deliver({ type: 'error', message: `the follower exited (code ${code})` }));
  return (): Promise<FollowerMessage> =>
    new Promise((resolve) => {
      const queued = messages.shift();
      if (queued) resolve(queued);
      else waiting.push(resolve);
    });
}

export async function startDataParallel(
  config: Config,
  options: DataParallelOptions,
): Promise<DataParallelRun> {
  const { workers } = options;
  if (!Number.isInteger(workers) || workers < 2)
    throw new Error(`data-parallel needs ≥ 2 workers, got ${workers}`);
  const layout = { workers, size: gradientSize(config) };
  const buffer = createExchangeBuffer(layout);
  const exchange = new GradientExchange(buffer, layout, 0, { timeoutMs: options.timeoutMs ?? 120_000 });
  const followers = Array.from({ length: workers - 1 }, (_, i) => {
    const data: FollowerData = { config, buffer, layout, index: i + 1, backend: options.backend ?? 'wasm' };
    const worker = startTypeScriptWorker(new URL('./nodeFollower.ts', import.meta.url), data);
    return { worker, next: listen(worker) };
  });
  const fail = async (message: string): Promise<never> => {
    exchange.stop();
    await Promise.all(followers.map(({ worker }) => worker.terminate()));
    throw new Error(`data-parallel follower: ${message}`);
  };
  for (const { next } of followers) {
    const first = await next();
    if (first.type !== 'ready') await fail(first.type === 'error' ? first.message : 'unexpected report');
  }
  const trainer = new Trainer(config, { gradientHook: exchangeHook(exchange) });
  return {
    trainer,
    async close() {
      exchange.stop();
      const reports = [];
      for (const { worker, next } of followers) {
        const report = await next();
        await worker.terminate();
        if (report.type !== 'done')
          throw new Error(
            `data-parallel follower: ${report.type === 'error' ? report.message : 'no report'}`,
          );
        reports.push({ steps: report.steps, numTensors: report.numTensors });
      }
      trainer.dispose();
      return reports;
    },
  };
}
