/**
 * The worker keeps its own run (issue 25 item 9): with a place to keep it, the session writes its snapshot into the
 * run store's IndexedDB by itself while it trains and when it stops, with no call from the page.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { PRESETS } from '../engine/presets';
import { idbSnapshotWriter } from '../lib/keptSnapshots';
import { RunStore } from '../lib/runStore';
import { storedRun } from '../lib/testRuns';
import { TrainingSession } from './session';
import { FakeHost, FakeTrainer } from './testing/fakes';

let database = 0;
const sessions: TrainingSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.dispose()));
});

/** A session over a fake trainer that keeps into its own database; `calls` counts what the page would call. */
async function setup() {
  const name = `keep-${++database}`;
  // The page opened the run store first (its schema); the worker's writer opens the same database.
  (await RunStore.open({ name })).close();
  const host = new FakeHost(['wasm']);
  const session = new TrainingSession({
    host,
    createTrainer: (config) => new FakeTrainer(config, host.active, {}),
    options: { batchIntervalMs: 20 },
    keep: idbSnapshotWriter(name),
  });
  sessions.push(session);
  const kept = async (key: string): Promise<{ step: number } | undefined> => {
    const db = await openDB(name);
    const value = (await db.get('snapshots', key)) as { step: number } | undefined;
    db.close();
    return value;
  };
  return { session, name, kept };
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition not met');
}

describe('the worker keeps its own run', () => {
  it('writes its snapshot while training and where it paused, with no snapshot call from the page', async () => {
    const { session, kept } = await setup();
    expect((await session.init(PRESETS.mlp.config, 'wasm')).ok).toBe(true);
    await session.keepIn({ runId: 'run-1', key: 'run-1', tab: 'tab-A' });
    void session.start();
    // The first keep is due at once; the run goes on training while it is written.
    await until(async () => ((await kept('run-1'))?.step ?? 0) > 0);
    await session.pause();
    await session.keptSettled();
    const paused = (await session.snapshot()).step;
    expect((await kept('run-1'))?.step).toBe(paused);
  });

  it('marks the record it keeps into as holding weights', async () => {
    const { session, name, kept } = await setup();
    await session.init(PRESETS.mlp.config, 'wasm');
    const runs = await RunStore.open({ name });
    await runs.put(storedRun('run-2', Date.now(), { config: (await session.snapshot()).config }), {
      tab: 'tab-A',
    });
    await session.keepIn({ runId: 'run-2', key: 'run-2', tab: 'tab-A' });
    await session.step(30);
    await session.keptSettled();
    expect((await kept('run-2'))?.step).toBe(30);
    expect((await runs.list())[0].hasSnapshot).toBe(true);
    runs.close();
  });

  it('writes nothing into a run another tab saved last (that tab trains it now)', async () => {
    const { session, name, kept } = await setup();
    await session.init(PRESETS.mlp.config, 'wasm');
    const runs = await RunStore.open({ name });
    await runs.put(storedRun('shared', Date.now()), { tab: 'tab-B' });
    runs.close();
    await session.keepIn({ runId: 'shared', key: 'shared', tab: 'tab-A' });
    await session.step(20);
    await session.keptSettled();
    expect(await kept('shared')).toBeUndefined();
  });

  it('refuses a malformed place to keep', async () => {
    const { session } = await setup();
    await expect(session.keepIn({ runId: '', key: 'x', tab: 't' })).rejects.toThrow(/must be non-empty text/);
  });
});
