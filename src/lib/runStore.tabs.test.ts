/**
 * Two tabs, one database: two RunStore connections on the same (fake) IndexedDB interleaving their writes.
 * Each tab's runs keep exactly what that tab wrote, the last-run pointer always names a complete run, and a
 * tab that saves over a run another tab changed since is refused instead of silently overwriting it.
 */
import { IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newRunId, RunStore, type StoredRun } from './runStore';
import { metricRecord, snapshot, storedRun } from './testRuns';

let factory: IDBFactory;
let tabA: RunStore;
let tabB: RunStore;

beforeEach(async () => {
  factory = new IDBFactory();
  tabA = await RunStore.open({ factory, name: 'tabs' });
  tabB = await RunStore.open({ factory, name: 'tabs' });
});

afterEach(() => {
  tabA.close();
  tabB.close();
  vi.restoreAllMocks();
});

/** The run as a tab would save it after `evaluations` evaluations. */
function progress(run: StoredRun, evaluations: number): StoredRun {
  return {
    ...run,
    updatedAt: run.createdAt + evaluations,
    history: Array.from({ length: evaluations }, (_, i) => metricRecord(i * 10)),
    snapshot: snapshot(evaluations * 10),
  };
}

describe('two tabs on one database', () => {
  it('run ids are unique per tab (random UUIDs)', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => newRunId()));
    expect(ids.size).toBe(2000);
  });

  it('interleaved saves keep each tab’s run whole and the pointer on a complete run', async () => {
    // Runs of the snapshots' model (a snapshot that is not its run's own is set aside when read).
    const runA = storedRun(newRunId(), 1000, { name: 'tab A', snapshot: snapshot(0) });
    const runB = storedRun(newRunId(), 1001, { name: 'tab B', snapshot: snapshot(0) });
    const pointers: (string | null)[] = [];
    const writes: Promise<void>[] = [];
    for (let i = 1; i <= 25; i++) {
      // Both tabs autosave at once, every time, without awaiting each other; a reader polls the pointer.
      writes.push(tabA.put(progress(runA, i), { makeLast: true }));
      writes.push(tabB.put(progress(runB, i * 2), { makeLast: true }));
      writes.push(
        tabA.getLastRun().then((last) => {
          pointers.push(last?.id ?? null);
          // Whatever the pointer names is already fully written: history and snapshot agree.
          if (last) expect(last.snapshot?.step).toBe(last.history.length * 10);
        }),
      );
    }
    await Promise.all(writes);
    const a = await tabB.get(runA.id);
    const b = await tabA.get(runB.id);
    expect(a?.history).toHaveLength(25);
    expect(a?.snapshot?.step).toBe(250);
    expect(a?.name).toBe('tab A');
    expect(b?.history).toHaveLength(50);
    expect(b?.snapshot?.step).toBe(500);
    expect([runA.id, runB.id]).toContain(await tabA.getLastRunId());
    expect(pointers.every((id) => id === null || id === runA.id || id === runB.id)).toBe(true);
    expect((await tabA.list()).map((run) => run.id).sort()).toEqual([runA.id, runB.id].sort());
  });

  it('a failed save moves neither the run nor the pointer (one transaction)', async () => {
    const first = storedRun('first', 1000);
    await tabA.put(first, { makeLast: true });
    const original = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (this.name === 'runs') throw new DOMException('quota exceeded', 'QuotaExceededError');
      return original.apply(this, args);
    });
    await expect(tabB.put(storedRun('second', 2000), { makeLast: true })).rejects.toMatchObject({
      kind: 'quota',
    });
    vi.restoreAllMocks();
    expect(await tabA.getLastRunId()).toBe('first');
    expect(await tabA.get('second')).toBeNull();
  });

  it('a tab saving over a run another tab changed since is refused (expectUpdatedAt)', async () => {
    const shared = storedRun('shared', 1000, { updatedAt: 1000 });
    await tabA.put(shared);
    // Both tabs resumed the same saved run (updatedAt 1000) and trained on.
    await tabA.put({ ...shared, updatedAt: 2000, name: 'A’s version' }, { expectUpdatedAt: 1000 });
    await expect(
      tabB.put({ ...shared, updatedAt: 2500, name: 'B’s version' }, { expectUpdatedAt: 1000 }),
    ).rejects.toMatchObject({ kind: 'conflict' });
    expect((await tabB.get('shared'))?.name).toBe('A’s version');
    // A brand-new run expects nothing stored (null), and the tab that owns the latest version may save on.
    await tabB.put(storedRun('fresh', 3000), { expectUpdatedAt: null });
    await tabA.put({ ...shared, updatedAt: 3000 }, { expectUpdatedAt: 2000 });
    expect((await tabA.get('shared'))?.updatedAt).toBe(3000);
  });

  it('a tab is never in conflict with itself: its saves by any path, before or after a reload, go on', async () => {
    const run = storedRun('mine', 1000, { updatedAt: 1000 });
    // Autosave (expects nothing stored yet), then "Save run" (an unconditional save by the same tab).
    await tabA.put(run, { makeLast: true, tab: 'A', expectUpdatedAt: null });
    await tabA.put({ ...run, updatedAt: 2000 }, { makeLast: true, tab: 'A' });
    // A reload forgets what it wrote: the reopened run's next autosave expects an older version, or none at all.
    await tabA.put({ ...run, updatedAt: 3000 }, { makeLast: true, tab: 'A', expectUpdatedAt: 1000 });
    await tabA.put({ ...run, updatedAt: 4000 }, { makeLast: true, tab: 'A', expectUpdatedAt: null });
    expect((await tabA.get('mine'))?.updatedAt).toBe(4000);
    // Another tab is refused unless it read the version stored now (then it takes the run over, and A is refused).
    await expect(
      tabB.put({ ...run, updatedAt: 5000 }, { tab: 'B', expectUpdatedAt: 3000 }),
    ).rejects.toMatchObject({ kind: 'conflict' });
    await tabB.put({ ...run, updatedAt: 5000 }, { tab: 'B', expectUpdatedAt: 4000 });
    await expect(
      tabA.put({ ...run, updatedAt: 6000 }, { tab: 'A', expectUpdatedAt: 4000 }),
    ).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('each tab’s own last-run pointer: a reload of tab A offers A’s run, not the one tab B saved since', async () => {
    const runA = storedRun(newRunId(), 1000, { name: 'tab A', snapshot: snapshot(500) });
    const runB = storedRun(newRunId(), 1001, { name: 'tab B', snapshot: snapshot(700) });
    await tabA.put(runA, { makeLast: true, tab: 'A' });
    await tabB.put(runB, { makeLast: true, tab: 'B' });
    // The global pointer names the latest save (B's) for a new tab; tab A's own names A's.
    expect(await tabA.getLastRunId()).toBe(runB.id);
    expect((await tabA.getLastRun('A'))?.name).toBe('tab A');
    expect((await tabB.getLastRun('B'))?.name).toBe('tab B');
    expect(await tabA.getLastRun('C')).toBeNull();
  });
});
