import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportRunJson, importRunJson } from './exportRun';
import { RunStore, type StoredRun } from './runStore';
import { storedRace, storedRun } from './testRuns';

let store: RunStore;

beforeEach(async () => {
  store = await RunStore.open({ factory: new IDBFactory(), name: 'test-races' });
});

afterEach(() => store.close());

/** The race as the race store saves it: radial grokked at step 3 650, plain never did. */
function race(): StoredRun {
  return storedRace(storedRun('race', 1000), storedRun('plain', 1000), {
    summary: 'radial grokked at step 3 650 in 41 s; plain still at 23% test accuracy',
    lanes: [{ difference: ['Radial penalty on'], grokStep: 3650 }, { difference: ['Radial penalty off'] }],
  });
}

describe('a race saved as one comparison', () => {
  it('round-trips through the run store, and the list names its lanes and winner', async () => {
    const run = race();
    await store.put(run);
    expect(await store.get(run.id)).toEqual(run);
    const [summary] = await store.list();
    expect(summary.comparison).toEqual({ lanes: ['radial', 'plain'], winner: 'radial' });
  });

  it('plain runs keep listing without a comparison (the field is additive)', async () => {
    await store.put(storedRun('single', 1000));
    const [summary] = await store.list();
    expect(summary.comparison).toBeUndefined();
  });

  it('refuses a comparison with fewer than two lanes', async () => {
    const run = race();
    await expect(
      store.put({ ...run, comparison: { ...run.comparison!, lanes: [run.comparison!.lanes[0]] } }),
    ).rejects.toThrow(/at least two lanes/);
  });

  it('exports and imports like a single run', () => {
    const run = race();
    const imported = importRunJson(exportRunJson(run).text);
    if (!imported.ok) throw new Error(imported.errors.join('\n'));
    expect(imported.run.comparison).toEqual(run.comparison);
  });
});
