import { describe, expect, it } from 'vitest';
import { createExchangeBuffer, ExchangeStopped, GradientExchange, type ExchangeLayout } from './exchange';
import { startTypeScriptWorker } from './nodeWorker';

interface PeerResult {
  means: number[][];
  /** What share() gave the peer each round (when it was asked to call it). */
  shared: number[][];
  error?: string;
}

/** A real peer thread (the TypeScript loaded through tsx, as the train CLI's followers are). */
function peer(
  buffer: SharedArrayBuffer,
  layout: ExchangeLayout,
  index: number,
  rounds: number,
  timeoutMs?: number,
  share = false,
): Promise<PeerResult> {
  const worker = startTypeScriptWorker(new URL('./exchangePeer.testWorker.ts', import.meta.url), {
    buffer,
    layout,
    index,
    rounds,
    timeoutMs,
    share,
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (result: PeerResult) => {
      void worker.terminate();
      resolve(result);
    });
    worker.once('error', reject);
  });
}

/** What worker `index` contributes in `round` (the peer's formula). */
const contribution = (index: number, round: number, i: number) => (index + 1) * (round + 1) + i / 8;

describe('GradientExchange between threads', () => {
  it('gives every worker the same row-weighted mean, round after round', async () => {
    const layout = { workers: 3, size: 1000 };
    const buffer = createExchangeBuffer(layout);
    const rounds = 50;
    const peers = [peer(buffer, layout, 1, rounds), peer(buffer, layout, 2, rounds)];
    const leader = new GradientExchange(buffer, layout, 0, { timeoutMs: 60_000 });
    const mine: Float32Array[] = [];
    for (let round = 0; round < rounds; round++) {
      const values = Float32Array.from({ length: layout.size }, (_, i) => contribution(0, round, i));
      mine.push(leader.allReduce(values, 1).slice());
    }
    const others = await Promise.all(peers);
    for (const other of others) expect(other.error).toBeUndefined();
    for (let round = 0; round < rounds; round++) {
      // weights 1, 2, 3 (the peers weigh themselves index + 1)
      const expected = Float32Array.from(
        { length: layout.size },
        (_, i) =>
          (contribution(0, round, i) + 2 * contribution(1, round, i) + 3 * contribution(2, round, i)) / 6,
      );
      expect(Array.from(mine[round])).toEqual(Array.from(expected));
      // Bit-identical in every worker: they sum in the same order.
      for (const other of others) expect(other.means[round]).toEqual(Array.from(mine[round]));
    }
  });

  it("shares the leader's step inputs with every worker", async () => {
    const layout = { workers: 2, size: 2 };
    const buffer = createExchangeBuffer(layout);
    const follower = peer(buffer, layout, 1, 2, 60_000, true);
    const leader = new GradientExchange(buffer, layout, 0, { timeoutMs: 60_000 });
    const shared: number[][] = [];
    for (let round = 0; round < 2; round++) {
      shared.push(leader.share([round + 0.5, Number.NaN]));
      leader.allReduce(new Float32Array(2), 1);
    }
    expect(shared).toEqual([
      [0.5, Number.NaN],
      [1.5, Number.NaN],
    ]);
    expect((await follower).shared).toEqual(shared);
  });

  it('wakes a waiting worker when another stops the run', async () => {
    const layout = { workers: 2, size: 4 };
    const buffer = createExchangeBuffer(layout);
    const waiting = peer(buffer, layout, 1, 3);
    const leader = new GradientExchange(buffer, layout, 0, { timeoutMs: 60_000 });
    leader.allReduce(new Float32Array(4), 1); // round 0 together; the peer then waits at round 1
    leader.stop();
    const result = await waiting;
    expect(result.error).toBe('stopped');
    expect(result.means).toHaveLength(1);
    expect(() => leader.allReduce(new Float32Array(4), 1)).toThrow(ExchangeStopped);
  });

  it('gives up after its timeout when a worker never arrives, and stops the run for the others', () => {
    const layout = { workers: 2, size: 4 };
    const buffer = createExchangeBuffer(layout);
    const alone = new GradientExchange(buffer, layout, 0, { timeoutMs: 50 });
    expect(() => alone.allReduce(new Float32Array(4), 1)).toThrow(/did not arrive within 50 ms/);
    expect(new GradientExchange(buffer, layout, 1).stopped).toBe(true);
  });

  it('refuses a buffer, index or gradient that does not fit the layout', () => {
    const layout = { workers: 2, size: 4 };
    const buffer = createExchangeBuffer(layout);
    expect(() => new GradientExchange(buffer, { workers: 2, size: 5 }, 0)).toThrow(/need/);
    expect(() => new GradientExchange(buffer, layout, 2)).toThrow(/outside 0…1/);
    const exchange = new GradientExchange(buffer, layout, 0);
    expect(() => exchange.allReduce(new Float32Array(3), 1)).toThrow(/carries 4 floats/);
    expect(() => exchange.allReduce(new Float32Array(4), 0)).toThrow(/must be > 0/);
  });
});
