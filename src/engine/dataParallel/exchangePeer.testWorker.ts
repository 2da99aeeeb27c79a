/**
 * A peer for exchange.test.ts in its own worker_thread: opens the shared exchange as worker `index` and runs
 * `rounds` all-reduces of known values, posting each mean back (or the error that ended it).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ExchangeStopped, GradientExchange, type ExchangeLayout } from './exchange';

const { buffer, layout, index, rounds, timeoutMs, share } = workerData as {
  buffer: SharedArrayBuffer;
  layout: ExchangeLayout;
  index: number;
  rounds: number;
  timeoutMs?: number;
  /** Call share() before each all-reduce, as a trainer's step does. */
  share?: boolean;
};
const exchange = new GradientExchange(buffer, layout, index, { timeoutMs });
const means: number[][] = [];
const shared: number[][] = [];
try {
  for (let round = 0; round < rounds; round++) {
    if (share) shared.push(exchange.share([0, 0]));
    const values = Float32Array.from({ length: layout.size }, (_, i) => (index + 1) * (round + 1) + i / 8);
    means.push(Array.from(exchange.allReduce(values, index + 1)));
  }
  parentPort!.postMessage({ means, shared });
} catch (error) {
  parentPort!.postMessage({
    means,
    shared,
    error: error instanceof ExchangeStopped ? 'stopped' : String(error),
  });
}
