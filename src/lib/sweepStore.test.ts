import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSweepSpec } from './sweep/spec';
import { outcome } from './sweep/testSweep';
import { closeSweepStore, indexedDbSweeps, SWEEP_DB_NAME } from './sweepStore';
import { metricRecord } from './testRuns';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(() => closeSweepStore());

const spec = parseSweepSpec({
  preset: 'mlp',
  x: { key: 'regularizers.weightDecay.coefficient', values: [0.1, 1] },
  y: { key: 'regularizers.radial.lambda', values: [0, 0.01] },
  seeds: [0],
  steps: 100,
});

async function putRaw(store: string, value: unknown): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve) => {
    const request = indexedDB.open(SWEEP_DB_NAME);
    request.onsuccess = () => resolve(request.result);
  });
  await new Promise((resolve) => {
    const tx = db.transaction(store, 'readwrite');
    tx.objectStore(store).put(value);
    tx.oncomplete = resolve;
  });
  db.close();
}

describe('the sweeps in IndexedDB', () => {
  it('says in plain words when a newer lab wrote the sweeps database', async () => {
    const newer = await openDB(SWEEP_DB_NAME, 5);
    newer.close();
    await expect(indexedDbSweeps.activeSweep()).rejects.toThrow(
      /The saved sweeps in this browser were written by a newer version of the lab/,
    );
  });

  it('finds the latest running or paused sweep, not a finished one', async () => {
    const base = { spec, createdAt: 1, runningMs: 0 };
    await indexedDbSweeps.saveSweep({ ...base, id: 'a', status: 'paused', updatedAt: 10 });
    await indexedDbSweeps.saveSweep({ ...base, id: 'b', status: 'running', updatedAt: 20 });
    await indexedDbSweeps.saveSweep({ ...base, id: 'c', status: 'done', updatedAt: 30 });
    expect(await indexedDbSweeps.activeSweep()).toMatchObject({ ok: true, value: { id: 'b' } });
    await putRaw('sweeps', { id: 'd', status: 'done', spec: {} });
    const listed = await indexedDbSweeps.listSweeps();
    expect(listed.sweeps.map((sweep) => sweep.id)).toEqual(['c', 'b', 'a']);
    expect(listed.unreadable).toEqual([expect.stringMatching(/^the stored sweep “d” is unreadable: /)]);
  });

  it('keeps each finished cell and its run, and reports damaged records by what is wrong', async () => {
    const history = [metricRecord(0), metricRecord(50)];
    await indexedDbSweeps.saveCell(outcome('cell1', 50), {
      id: 'cell1',
      history,
      events: [],
      snapshot: null,
    });
    await putRaw('outcomes', { id: 'cell2', stepsToGrok: 'soon' });
    await putRaw('runs', { id: 'cell3', history: [{ step: -1 }], events: [], snapshot: null });
    const read = await indexedDbSweeps.outcomes(['cell1', 'cell2', 'cell4']);
    expect([...read.outcomes.keys()]).toEqual(['cell1']);
    expect(read.unreadable).toEqual(['cell2']);
    expect(await indexedDbSweeps.cellRun('cell1')).toMatchObject({ ok: true, value: { history } });
    expect(await indexedDbSweeps.cellRun('cell4')).toBeNull();
    const damaged = await indexedDbSweeps.cellRun('cell3');
    expect(damaged).toMatchObject({ ok: false });
    expect(damaged && !damaged.ok && damaged.message).toMatch(/cell cell3 is unreadable: history\.0\./);
  });
});
