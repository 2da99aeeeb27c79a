/**
 * Crash recovery, the same for every lane: each lane's worker is supervised (src/worker/supervisor.ts), so a worker
 * that dies is replaced without a click and its run resumed from the last snapshot it posted — one lane of a race
 * comes back while the other races on.
 */
import { describe, expect, it } from 'vitest';
import { connectedLab, fakeRecord, fakeSnapshot, type FakeClient } from './testing/fakeClient';

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe.each([1, 2])('automatic worker restart, experiment of %i lane(s)', (count) => {
  /** The page with `count` lanes on supervised fake workers; the last lane is the one that crashes. */
  async function setup() {
    const { store, clients } = await connectedLab();
    if (count === 2) await store.getState().startRace('radialRescue', { autoStart: false });
    const workers = clients.slice(-count);
    const crashing = workers[count - 1];
    return { store, clients, workers, crashing, lane: () => store.getState().lanes[count - 1] };
  }

  it('resumes the lane from its last snapshot in a new worker, on its own, history intact', async () => {
    const { store, clients, workers, crashing, lane } = await setup();
    crashing.emit({ records: [fakeRecord(10), fakeRecord(20)] });
    crashing.snapshotListener?.(fakeSnapshot(crashing, 20, lane().history));
    const made = clients.length;
    crashing.errorListener?.('worker crashed');
    await until(() => store.getState().notices.some((n) => n.text.includes('resumed the run from step 20')));
    expect(clients).toHaveLength(made + 1);
    expect(crashing.terminated).toBe(true);
    const replacement: FakeClient = clients.at(-1)!;
    expect(replacement.methods()).toEqual(['subscribe', 'restore']);
    expect(lane().phase).toBe('ready');
    expect(lane().history.map((record) => record.step)).toEqual([10, 20]);
    // The other lane of a race was never touched.
    for (const other of workers.slice(0, -1)) expect(other.terminated).toBe(false);
  });

  it('without a snapshot it starts the lane over in a new worker (from step 0)', async () => {
    const { clients, crashing, lane } = await setup();
    const made = clients.length;
    crashing.errorListener?.('out of memory');
    await until(() => clients.length === made + 1);
    await until(() => clients.at(-1)!.methods().includes('init'));
    expect(lane().phase).toBe('ready');
  });
});
