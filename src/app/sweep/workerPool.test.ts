import { describe, expect, it } from 'vitest';
import { FakeClient, supervised } from '../testing/fakeClient';
import { createWorkerPool } from './workerPool';

function pool(limit: { value: number }, deferred?: { release: () => void }) {
  const clients: FakeClient[] = [];
  const workers = createWorkerPool(
    async () => {
      if (deferred) await new Promise<void>((resolve) => (deferred.release = resolve));
      return supervised(() => new FakeClient(), clients);
    },
    () => limit.value,
  );
  return { workers, clients };
}

describe('the sweep worker pool', () => {
  it('lends an idle worker before it starts a new one, and routes its batches to the run it trains now', async () => {
    const { workers, clients } = pool({ value: 2 });
    const first = (await workers.acquire())!;
    const second = (await workers.acquire())!;
    expect(clients).toHaveLength(2);
    const seen: number[] = [];
    first.listeners = {
      batch: (batch) => seen.push(batch.step),
      workerError: () => undefined,
      recovery: () => undefined,
    };
    clients[0].emit({ step: 10 });
    workers.release(first);
    // Idle: what it still reports goes nowhere.
    clients[0].emit({ step: 20 });
    expect(seen).toEqual([10]);
    expect(await workers.acquire()).toBe(first);
    expect(clients).toHaveLength(2);
    expect(clients.some((client) => client.terminated)).toBe(false);
    expect(second).not.toBe(first);
  });

  it('ends a worker given back when the limit went down, or when it failed', async () => {
    const limit = { value: 2 };
    const { workers, clients } = pool(limit);
    const first = (await workers.acquire())!;
    const second = (await workers.acquire())!;
    limit.value = 1;
    workers.release(first);
    expect(clients[0].terminated).toBe(true);
    expect(workers.size).toBe(1);
    workers.release(second, false);
    expect(clients[1].terminated).toBe(true);
    expect(workers.size).toBe(0);
  });

  it('close ends every worker, and one still starting is ended when it comes', async () => {
    const deferred = { release: () => undefined as void };
    const { workers, clients } = pool({ value: 2 }, deferred);
    const starting = workers.acquire();
    await Promise.resolve();
    workers.close();
    deferred.release();
    expect(await starting).toBeNull();
    expect(clients).toHaveLength(1);
    expect(clients[0].terminated).toBe(true);
    expect(workers.size).toBe(0);
  });
});
