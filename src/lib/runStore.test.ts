import { IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  isQuotaError,
  RunStore,
  RunStoreError,
  RunStoreQuotaError,
  toStoreError,
  UPGRADES,
  type Upgrade,
} from './runStore';
import { snapshot, storedRace, storedRun } from './testRuns';
import { overwriteSnapshot } from './testing/overwriteSnapshot';

/** Writes `value` over what the snapshots store holds at `key`, as a damaged disk or a hand edit would. */

let factory: IDBFactory;
let store: RunStore;

beforeEach(async () => {
  factory = new IDBFactory();
  store = await RunStore.open({ factory, name: 'test-runs' });
});

afterEach(() => {
  store.close();
  vi.restoreAllMocks();
});

describe('RunStore', () => {
  it('puts and gets a run with its history, events, typed-array snapshot and status', async () => {
    const run = storedRun('a', 1000, { snapshot: snapshot(500) });
    await store.put(run);
    const loaded = await store.get('a');
    expect(loaded).toEqual(run);
    expect(loaded?.snapshot?.parameters.embedding).toBeInstanceOf(Float32Array);
    expect(await store.get('missing')).toBeNull();
  });

  it('lists summaries newest first without histories or snapshots', async () => {
    await store.put(storedRun('old', 1000));
    await store.put(storedRun('new', 3000, { snapshot: snapshot(500), status: 'finished' }));
    await store.put(storedRun('mid', 2000, { history: [] }));
    const list = await store.list();
    expect(list.map((run) => run.id)).toEqual(['new', 'mid', 'old']);
    expect(list[0]).toMatchObject({
      hasSnapshot: true,
      status: 'finished',
      steps: 500,
      lastTestAccuracy: 0.5,
    });
    expect(list[1]).toMatchObject({ hasSnapshot: false, steps: 0, lastTestAccuracy: null });
    expect(list[0]).not.toHaveProperty('history');
    expect(list[0]).not.toHaveProperty('snapshot');
  });

  it('keeps the stored snapshot when a put leaves it out, and drops it for null', async () => {
    await store.put(storedRun('a', 1000, { snapshot: snapshot(500) }));
    await store.put({
      ...storedRun('a', 1000, { snapshot: snapshot(500) }),
      snapshot: undefined,
      wallTimeMs: 9999,
    });
    const kept = await store.get('a');
    expect(kept?.wallTimeMs).toBe(9999);
    expect(kept?.snapshot?.step).toBe(500);
    await store.put(storedRun('a', 1000, { snapshot: null }));
    expect((await store.get('a'))?.snapshot).toBeUndefined();
    expect((await store.list())[0].hasSnapshot).toBe(false);
  });

  it('deletes a snapshot alone', async () => {
    await store.put(storedRun('a', 1000, { snapshot: snapshot(500) }));
    await store.deleteSnapshot('a');
    const run = await store.get('a');
    expect(run?.history).toHaveLength(4);
    expect(run?.snapshot).toBeUndefined();
  });

  it('deletes runs and clears a last-run pointer to them', async () => {
    await store.put(storedRun('a', 1000, { snapshot: snapshot(100) }));
    await store.setLastRunId('a');
    await store.delete('a');
    expect(await store.get('a')).toBeNull();
    expect(await store.getLastRunId()).toBeNull();
  });

  it('remembers the last run across connections and clears a dangling pointer', async () => {
    await store.put(storedRun('a', 1000));
    await store.setLastRunId('a');
    store.close();
    store = await RunStore.open({ factory, name: 'test-runs' });
    expect((await store.getLastRun())?.id).toBe('a');
    await store.setLastRunId('gone');
    expect(await store.getLastRun()).toBeNull();
    expect(await store.getLastRunId()).toBeNull();
  });

  it('prunes the oldest runs but never the last run', async () => {
    for (const [id, time] of [
      ['r1', 1],
      ['r2', 2],
      ['r3', 3],
      ['r4', 4],
      ['r5', 5],
    ] as const) {
      await store.put(storedRun(id, time, { snapshot: snapshot(10) }));
    }
    await store.setLastRunId('r1');
    expect(await store.pruneOldest(3)).toEqual(['r2', 'r3']);
    expect((await store.list()).map((run) => run.id)).toEqual(['r5', 'r4', 'r1']);
    expect(await store.pruneOldest(10)).toEqual([]);
  });

  it('rejects an invalid run with a typed error', async () => {
    await expect(store.put(storedRun('', 1))).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('reports a full disk as RunStoreQuotaError and leaves no half-written run', async () => {
    await store.put(storedRun('a', 1000));
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('quota exceeded', 'QuotaExceededError');
    });
    const failure = store.put(storedRun('b', 2000, { snapshot: snapshot(10) }));
    await expect(failure).rejects.toBeInstanceOf(RunStoreQuotaError);
    await expect(failure).rejects.toMatchObject({ kind: 'quota' });
    vi.restoreAllMocks();
    expect((await store.list()).map((run) => run.id)).toEqual(['a']);
  });

  it('reports a value that cannot be stored as a failure', async () => {
    const run = storedRun('fn', 1000, { name: 'x' });
    (run as unknown as Record<string, unknown>).extra = () => 1; // functions cannot be cloned
    await expect(store.put(run)).rejects.toMatchObject({ kind: 'failed' });
  });
});

describe('a damaged snapshot', () => {
  it('is checked when read: named, set aside (not deleted), and the run comes back without it', async () => {
    const setAside: { id: string; name: string; problems: string[] }[] = [];
    store.subscribe((change) => {
      if (change.kind === 'set-aside') setAside.push(change);
    });
    await store.put(storedRun('a', 1000, { snapshot: snapshot(500) }), { makeLast: true });
    // One parameter's values replaced by text, as in the issue ("!!!!" where base64 would be).
    await overwriteSnapshot('test-runs', 'a', factory, (stored) => {
      (stored.parameters as Record<string, unknown>).embedding = '!!!!';
    });
    const read = await store.getLastRun();
    expect(read?.snapshot).toBeUndefined();
    expect(read?.history.map((record) => record.step)).toEqual([0, 100, 200, 500]);
    expect(setAside).toEqual([
      {
        kind: 'set-aside',
        id: 'a',
        name: 'run a',
        problems: ['snapshot.parameters.embedding: must be a Float32Array'],
      },
    ]);
    // Kept aside with what was wrong, and no longer offered: a second read finds no snapshot and says nothing.
    const kept = await store.setAside();
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ runId: 'a', key: 'a', name: 'run a' });
    expect((kept[0].snapshot as { parameters: { embedding: unknown } }).parameters.embedding).toBe('!!!!');
    expect((await store.list())[0].hasSnapshot).toBe(false);
    expect((await store.get('a'))?.snapshot).toBeUndefined();
    expect(setAside).toHaveLength(1);
  });

  it('checks weights against the model, and each race lane on its own', async () => {
    const radial = storedRun('r', 1000, { snapshot: snapshot(300) });
    const plain = storedRun('p', 1000, { snapshot: snapshot(300) });
    await store.put(storedRace(radial, plain, { lanes: [{}, { snapshot: snapshot(310) }] }));
    await overwriteSnapshot('test-runs', 'race/lane1', factory, (stored) => {
      (stored.parameters as Record<string, unknown>).unembed = new Float32Array(3);
    });
    const race = await store.get('race');
    expect(race?.snapshot?.step).toBe(300);
    expect(race?.comparison?.lanes.map((lane) => lane.snapshot?.step ?? null)).toEqual([300, null]);
    const [kept] = await store.setAside();
    expect(kept.key).toBe('race/lane1');
    expect(kept.problems.join()).toMatch(/unembed: has 3 values but the model its config builds needs 776/);
  });
});

describe('schema versions', () => {
  it('runs upgrade steps on an old database and keeps its data', async () => {
    await store.put(storedRun('a', 1000));
    store.close();
    const applied: number[] = [];
    const upgrades: Upgrade[] = [
      ...UPGRADES,
      {
        version: UPGRADES.at(-1)!.version + 1,
        upgrade(_database, transaction) {
          applied.push(UPGRADES.at(-1)!.version + 1);
          transaction.objectStore('runs').createIndex('status', 'status');
        },
      },
    ];
    store = await RunStore.open({ factory, name: 'test-runs', upgrades });
    expect(applied).toEqual([UPGRADES.at(-1)!.version + 1]);
    expect((await store.get('a'))?.name).toBe('run a');
  });

  it('migrates old records on read and hides records from a newer lab', async () => {
    await store.put(storedRun('a', 1000));
    store.close();
    // Pretend the current code is at record version 2, where "name" became "title"-cased.
    store = await RunStore.open({
      factory,
      name: 'test-runs',
      recordVersion: 2,
      recordMigrations: { 1: (record) => ({ ...record, name: String(record.name).toUpperCase() }) },
    });
    expect((await store.get('a'))?.name).toBe('RUN A');
    await store.put(storedRun('b', 2000));
    store.close();
    store = await RunStore.open({ factory, name: 'test-runs' }); // back at record version 1
    expect((await store.list()).map((run) => run.id)).toEqual(['a']);
    expect(await store.get('b')).toBeNull();
  });

  it('refuses a database written by a newer lab with a typed error', async () => {
    store.close();
    const newer = await RunStore.open({
      factory,
      name: 'test-runs',
      upgrades: [...UPGRADES, { version: 5, upgrade: () => undefined }],
    });
    newer.close();
    const refused = RunStore.open({ factory, name: 'test-runs' });
    await expect(refused).rejects.toMatchObject({ kind: 'newer-version' });
    // Plain words: what happened and what to do, never IndexedDB's "requested version (1) is less than …".
    const message = await refused.catch((error: Error) => error.message);
    expect(message).toBe(
      'The saved runs in this browser were written by a newer version of the lab, which this page cannot read. ' +
        'Reload the page to get the newer version (if the lab is open in other tabs, reload those too). ' +
        'Nothing was deleted.',
    );
    expect(message).not.toMatch(/requested version|less than/);
    store = await RunStore.open({ factory, name: 'other' });
  });

  it('says so when IndexedDB is missing', async () => {
    const original = globalThis.indexedDB;
    expect(original).toBeUndefined();
    await expect(RunStore.open()).rejects.toMatchObject({ kind: 'unavailable' });
  });
});

describe('error classification', () => {
  it('recognizes quota errors of every engine', () => {
    expect(isQuotaError(new DOMException('x', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toBe(true);
    expect(isQuotaError(new DOMException('x', 'AbortError'))).toBe(false);
    expect(isQuotaError(null)).toBe(false);
    expect(toStoreError(new DOMException('x', 'QuotaExceededError'), 'saving')).toBeInstanceOf(
      RunStoreQuotaError,
    );
    const other = toStoreError(new Error('boom'), 'saving');
    expect(other).toBeInstanceOf(RunStoreError);
    expect(other.message).toMatch(/boom/);
  });
});
