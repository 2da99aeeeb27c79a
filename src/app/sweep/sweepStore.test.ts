import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LAB_MAX_CELLS } from '../../lib/sweep/size';
import type { SweepSpec } from '../../lib/sweep/spec';
import {
  closeSweepStore,
  indexedDbSweeps,
  storageSweepLossLog,
  SWEEP_DB_NAME,
  type SweepPersistence,
} from '../../lib/sweepStore';
import { lockedSweepOwnership } from '../../lib/sweepOwnership';
import { FakeClient, fakeLab, fakeRecord, fakeSnapshot, supervised } from '../testing/fakeClient';
import { memoryLocks } from '../testing/memoryLocks';
import { createSweepStore, type SweepStore, type SweepStoreOptions } from './sweepStore';

// A guard, not a stand-in: the real expansion, except that building a plan larger than the lab's limit fails at
// once here (on the page it held the main thread for minutes: issue 25 item 1).
vi.mock('../../lib/sweep/cells', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../lib/sweep/cells')>();
  const { axisValues } = await import('../../lib/sweep/spec');
  return {
    ...actual,
    expandSweep(spec: SweepSpec) {
      const cells = axisValues(spec.x).length * axisValues(spec.y).length * spec.seeds.length;
      if (cells > LAB_MAX_CELLS) throw new Error(`test guard: a plan of ${cells} cells was built`);
      return actual.expandSweep(spec);
    },
  };
});

const SPEC = {
  title: 'tiny',
  preset: 'mlp',
  x: { key: 'regularizers.weightDecay.coefficient', values: [0.3, 1] },
  y: { key: 'regularizers.radial.lambda', values: [0, 0.01] },
  seeds: [0],
  steps: 300,
  stopAfterGrok: 100,
  evalEvery: 50,
};

/** Lets the store's awaited calls (fake worker answers, IndexedDB) settle. */
const settle = async (rounds = 20) => {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

function sweepWithFakes(cores = 2, extra: Partial<SweepStoreOptions> = {}) {
  const { store: lab } = fakeLab();
  const clients: FakeClient[] = [];
  const store = createSweepStore({
    createClient: () => supervised(() => new FakeClient(), clients),
    cores,
    lab,
    persistence: indexedDbSweeps,
    leaveOneForPage: false,
    now: () => 1_000_000,
    ...extra,
  });
  return { store, lab, clients };
}

/** A fake worker's run reaching its end: evaluations up to `grokAt` + 100, or the budget without grokking. */
function finish(client: FakeClient, grokAt: number | null) {
  const last = grokAt === null ? 300 : grokAt + 100;
  const records = [];
  for (let step = 0; step <= last; step += 50)
    records.push(fakeRecord(step, { testAccuracy: grokAt !== null && step >= grokAt ? 1 : 0.2 }));
  client.emit({ records, status: 'finished' });
}

const running = (store: SweepStore) => store.getState().running.length;

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(() => closeSweepStore());

describe('the lab sweep store', () => {
  it('trains at most `concurrency` cells at once, queued in order, and fills the map as they finish', async () => {
    const { store, clients } = sweepWithFakes(2);
    expect(await store.getState().start(SPEC)).toBe(true);
    await settle();
    expect(store.getState()).toMatchObject({ open: true, status: 'running', concurrency: 2 });
    expect(clients).toHaveLength(2);
    expect(clients.map((client) => client.methods())).toEqual([
      ['subscribe', 'init', 'start'],
      ['subscribe', 'init', 'start'],
    ]);
    // The cells' own stop rules travel in their configs.
    expect(clients[0].config?.training).toMatchObject({ maxSteps: 300, stopAfterGrok: 100, evalEvery: 50 });
    // The first cell measures the backends ('auto'); later ones use the backend it picked.
    expect(clients[0].calls[1].args[1]).toBe('auto');

    clients[0].emit({ records: [fakeRecord(50, { testAccuracy: 0.4 })] });
    expect(Object.values(store.getState().progress)).toEqual([{ step: 50, testAccuracy: 0.4 }]);

    finish(clients[0], 100);
    await settle();
    const first = store.getState().sweep!.cells[0];
    expect(store.getState().outcomes.get(first.id)).toMatchObject({
      stepsToGrok: 100,
      stoppedBecause: 'grokked',
    });
    // The freed worker trains the next queued cell (no new worker), on the backend the first cell picked.
    expect(clients).toHaveLength(2);
    expect(clients[0].terminated).toBe(false);
    expect(clients[0].methods().slice(3)).toEqual(['init', 'start']);
    expect(clients[0].calls[3].args).toEqual([store.getState().sweep!.cells[2].config, 'wasm']);
    expect(running(store)).toBe(2);

    finish(clients[1], null);
    finish(clients[0], 200);
    await settle();
    finish(clients[1], 50);
    await settle();
    expect(store.getState().status).toBe('done');
    expect(store.getState().outcomes.size).toBe(4);
    expect(running(store)).toBe(0);
    // Done: the workers are let go.
    expect(clients.every((client) => client.terminated)).toBe(true);
  });

  it('trains a sweep of 16 cells on at most Workers workers in all, switching runs with reset', async () => {
    const { store: lab } = fakeLab();
    const workers: FakeClient[] = [];
    const store = createSweepStore({
      createClient: () => supervised(() => new FakeClient(), workers),

      cores: 2,
      lab,
      persistence: indexedDbSweeps,
      leaveOneForPage: false,
      now: () => 1_000_000,
    });
    const values = [0.1, 0.3, 1, 3];
    await store.getState().start({
      ...SPEC,
      x: { key: SPEC.x.key, values },
      y: { key: 'optimizer.lr', values: [0.001, 0.002, 0.003, 0.004] },
    });
    await settle();
    const cells = store.getState().sweep!.cells;
    expect(new Set(cells.map((cell) => cell.id)).size).toBe(16);
    for (let round = 0; round < 16 && store.getState().status === 'running'; round++) {
      // Every worker training a cell (its last call started it) finishes that cell.
      for (const worker of workers)
        if (!worker.terminated && worker.methods().at(-1) === 'start') finish(worker, 100);
      await settle();
    }
    expect(store.getState().status).toBe('done');
    expect(store.getState().outcomes.size).toBe(16);
    expect(workers).toHaveLength(2);
    const builds = workers.map((worker) =>
      worker.methods().filter((method) => method === 'init' || method === 'reset'),
    );
    expect(builds.flat()).toHaveLength(16);
    // A worker inits once per backend choice (the first cells may measure, 'auto'; the rest are forced onto the
    // backend measured) and resets its run for every later cell.
    for (const methods of builds) expect(methods.join(' ')).toMatch(/^init (init )?(reset ?)+$/);
  });

  it('gives a freed worker the next queued cell at once, in the sweep order, before the finished one is saved', async () => {
    const saves: string[] = [];
    const slowSaves: SweepPersistence = {
      ...indexedDbSweeps,
      // Never answers: nothing may wait for it.
      saveCell: (outcome) => (saves.push(outcome.id), new Promise(() => undefined)),
    };
    const { store, clients } = sweepWithFakes(2, { persistence: slowSaves });
    await store.getState().start(SPEC);
    await settle();
    const cells = store.getState().sweep!.cells;
    const lastBuild = (client: FakeClient) =>
      client.calls.filter((call) => call.method === 'init' || call.method === 'reset').at(-1);
    finish(clients[1], 100);
    await settle();
    expect(saves).toEqual([cells[1].id]);
    expect(lastBuild(clients[1])?.args[0]).toEqual(cells[2].config);
    expect(clients[1].methods().at(-1)).toBe('start');
    finish(clients[0], 100);
    await settle();
    expect(lastBuild(clients[0])?.args[0]).toEqual(cells[3].config);
    expect(clients[0].methods().at(-1)).toBe('start');
    expect(clients).toHaveLength(2);
    expect(store.getState().running).toEqual([cells[2].id, cells[3].id]);
  });

  it('pauses and resumes the running cells, and cancel stops them keeping what finished', async () => {
    const { store, clients } = sweepWithFakes(2);
    await store.getState().start(SPEC);
    await settle();
    await store.getState().pause();
    expect(store.getState().status).toBe('paused');
    expect(clients.map((client) => client.methods().at(-1))).toEqual(['pause', 'pause']);
    await store.getState().resume();
    expect(clients.map((client) => client.methods().at(-1))).toEqual(['start', 'start']);
    finish(clients[0], 100);
    await settle();
    await store.getState().cancel();
    expect(store.getState()).toMatchObject({ status: 'cancelled', running: [] });
    expect(store.getState().outcomes.size).toBe(1);
    expect(clients.every((client) => client.terminated)).toBe(true);
  });

  it("space's toggle pauses a running sweep and resumes a paused one, and leaves one trained elsewhere alone", async () => {
    const { store, clients } = sweepWithFakes(2);
    await store.getState().start(SPEC);
    await settle();
    await store.getState().togglePause();
    expect(store.getState().status).toBe('paused');
    expect(clients.map((client) => client.methods().at(-1))).toEqual(['pause', 'pause']);
    await store.getState().togglePause();
    expect(store.getState().status).toBe('running');
    expect(clients.map((client) => client.methods().at(-1))).toEqual(['start', 'start']);
    await store.getState().togglePause();
    store.setState({ elsewhere: true });
    await store.getState().togglePause();
    expect(store.getState().status).toBe('paused');
  });

  it('resumes after a reload with the finished cells kept and the rest trained again', async () => {
    const before = sweepWithFakes(2);
    await before.store.getState().start(SPEC);
    await settle();
    finish(before.clients[0], 100);
    await settle();
    // The page goes away: a new store on the same IndexedDB.
    const after = sweepWithFakes(2);
    await after.store.getState().restore();
    await settle();
    expect(after.store.getState()).toMatchObject({ open: true, status: 'running' });
    expect(after.store.getState().outcomes.size).toBe(1);
    const firstId = after.store.getState().sweep!.cells[0].id;
    expect(after.store.getState().outcomes.get(firstId)?.stepsToGrok).toBe(100);
    // Two workers for the three cells left (the finished one is not trained again).
    expect(after.clients).toHaveLength(2);
    expect(after.store.getState().running).not.toContain(firstId);
    expect(after.lab.getState().notices.at(-1)?.text).toMatch(/1 finished cell\(s\) kept/);
  });

  it('says clearly when the stored sweep is unreadable, and leaves it stored', async () => {
    const { store, lab } = sweepWithFakes();
    await store.getState().start(SPEC);
    await settle();
    await store.getState().pause();
    const db = await new Promise<IDBDatabase>((resolve) => {
      const request = indexedDB.open(SWEEP_DB_NAME);
      request.onsuccess = () => resolve(request.result);
    });
    const id = store.getState().sweepId!;
    await new Promise((resolve) => {
      const tx = db.transaction('sweeps', 'readwrite');
      tx.objectStore('sweeps').put({ id, status: 'paused', updatedAt: 2e6, spec: { x: 1 } });
      tx.oncomplete = resolve;
    });
    db.close();
    const again = sweepWithFakes();
    await again.store.getState().restore();
    expect(again.store.getState().status).toBe('idle');
    expect(again.lab.getState().notices.at(-1)).toMatchObject({ kind: 'error' });
    expect(again.lab.getState().notices.at(-1)?.text).toMatch(
      new RegExp(`could not be resumed: the stored sweep “${id}” is unreadable: spec\\.`),
    );
    expect(lab.getState().notices.every((notice) => notice.kind !== 'error')).toBe(true);
  });

  it('refuses a spec that cannot run with a notice naming the knob', async () => {
    const { store, lab } = sweepWithFakes();
    const ok = await store.getState().start({ ...SPEC, x: { key: 'optimizer.nope', values: [1] } });
    expect(ok).toBe(false);
    expect(store.getState().status).toBe('idle');
    expect(lab.getState().notices.at(-1)?.text).toContain('"optimizer.nope" is not a config key');
  });

  it('races two picked cells as two lanes of the lab', async () => {
    const { store, lab } = sweepWithFakes();
    await store.getState().start(SPEC, { paused: true });
    store.getState().togglePick('0,0');
    store.getState().togglePick('1,1');
    expect(await store.getState().racePicked()).toBe(true);
    const lanes = lab.getState().lanes;
    expect(lanes).toHaveLength(2);
    expect(lanes.map((lane) => lane.draft.regularizers.weightDecay.coefficient)).toEqual([0.3, 1]);
    expect(lanes[1].draft.regularizers.radial).toMatchObject({ enabled: true, lambda: 0.01 });
    expect(store.getState().open).toBe(false);
  });

  it('lists the stored sweeps and reopens one with its finished cells, paused', async () => {
    const first = sweepWithFakes(2);
    await first.store.getState().start(SPEC);
    await settle();
    finish(first.clients[0], 100);
    await settle();
    await first.store.getState().cancel();
    const other = sweepWithFakes(2);
    await other.store.getState().refreshSaved();
    expect(other.store.getState().saved.map((sweep) => sweep.status)).toEqual(['cancelled']);
    expect(await other.store.getState().openSaved(other.store.getState().saved[0].id)).toBe(true);
    expect(other.store.getState()).toMatchObject({ status: 'paused', open: true });
    expect(other.store.getState().outcomes.size).toBe(1);
    expect(other.clients).toHaveLength(0);
    await other.store.getState().resume();
    await settle();
    expect(other.clients).toHaveLength(2);
  });

  it('resumes a cell a reload interrupted from its last kept weights', async () => {
    const before = sweepWithFakes(1);
    await before.store.getState().start(SPEC);
    await settle();
    const [client] = before.clients;
    const history = [fakeRecord(0), fakeRecord(50), fakeRecord(100)];
    client.snapshotListener!(fakeSnapshot(client, 120, history));
    await settle();
    const after = sweepWithFakes(1);
    await after.store.getState().restore();
    await settle();
    expect(after.clients[0].methods()).toEqual(['subscribe', 'restore', 'start']);
    expect((after.clients[0].calls[1].args[0] as { step: number }).step).toBe(120);
    // Its outcome reads the whole history, the part before the reload included.
    after.clients[0].emit({
      records: [fakeRecord(150, { testAccuracy: 1 }), fakeRecord(250)],
      status: 'finished',
    });
    await settle();
    const first = after.store.getState().sweep!.cells[0];
    expect(after.store.getState().outcomes.get(first.id)).toMatchObject({ stepsToGrok: 150, finalStep: 250 });
  });
});

/** Issue 25 item 1: x 0.01..1:64:log, y 0..0.1:64, 100 seeds: a valid spec of 409 600 cells. */
const HUGE = {
  ...SPEC,
  x: { key: 'regularizers.weightDecay.coefficient', range: { from: 0.01, to: 1, count: 64, scale: 'log' } },
  y: { key: 'regularizers.radial.lambda', range: { from: 0, to: 0.1, count: 64, scale: 'linear' } },
  seeds: Array.from({ length: 100 }, (_, i) => i),
  steps: 10_000,
};

describe('the lab sweep store sizes a sweep before building it (issue 25 item 1)', () => {
  it("refuses a sweep above the lab's limit with its numbers, building nothing", async () => {
    const { store, lab, clients } = sweepWithFakes(2);
    expect(await store.getState().start(HUGE)).toBe(false);
    expect(store.getState()).toMatchObject({ status: 'idle', sweep: null });
    expect(clients).toHaveLength(0);
    const notice = lab.getState().notices.at(-1)!;
    expect(notice.kind).toBe('error');
    expect(notice.text).toMatch(
      /^This sweep cannot run in the lab: this sweep is 409 600 cells \(64 × 64 values × 100 seeds\), each up to 10 000 steps at ≈ \d+ ms a step: up to \d+ h of training, ≈ \d+ h on 2 cores; the lab builds at most 4 096 cells/,
    );
    expect(notice.text).toContain('--shard i/n');
  });

  it('asks before a sweep whose worst case is hours, with the numbers; No starts nothing', async () => {
    const questions: string[] = [];
    const long = { ...SPEC, steps: 1_000_000 };
    const refused = sweepWithFakes(2, { confirm: (question) => (questions.push(question), false) });
    expect(await refused.store.getState().start(long)).toBe(false);
    expect(questions).toHaveLength(1);
    expect(questions[0]).toMatch(
      /^This sweep is 4 cells \(2 × 2 values × 1 seed\), each up to 1 000 000 steps at ≈ \d+ ms a step: up to [\d.]+ h of training, ≈ [\d.]+ h on 2 cores \(cells that grok stop sooner\)\. Start it\?$/,
    );
    expect(refused.store.getState().sweep).toBeNull();
    expect(refused.lab.getState().notices.at(-1)?.text).toMatch(
      /^The sweep was not started\. This sweep is 4 cells/,
    );
    const accepted = sweepWithFakes(2, { confirm: () => true });
    expect(await accepted.store.getState().start(long)).toBe(true);
    expect(accepted.store.getState().status).toBe('running');
    // The named sweeps are asked nothing.
    const named = sweepWithFakes(2, { confirm: () => expect.fail('asked about the radial map') });
    expect(await named.store.getState().startNamed('radial-map')).toBe(true);
  });

  it('sets a stored active sweep above the limit aside on load instead of building it, and says so once', async () => {
    await indexedDbSweeps.saveSweep({
      id: 'sweep-1-huge',
      spec: (await import('../../lib/sweep/spec')).parseSweepSpec({ ...HUGE, title: 'huge' }),
      status: 'running',
      createdAt: 1,
      updatedAt: 1,
      runningMs: 0,
    });
    const { store, lab, clients } = sweepWithFakes(2);
    await store.getState().restore();
    expect(store.getState()).toMatchObject({ status: 'idle', sweep: null });
    expect(clients).toHaveLength(0);
    expect(lab.getState().notices.at(-1)?.text).toMatch(
      /^The stored sweep “huge” was not resumed: this sweep is 409 600 cells .* It is set aside under Saved sweeps\.$/,
    );
    expect((await indexedDbSweeps.listSweeps()).sweeps[0]).toMatchObject({
      id: 'sweep-1-huge',
      status: 'cancelled',
    });
    // The next load has no active sweep to resume: nothing to say, nothing built.
    const next = sweepWithFakes(2);
    await next.store.getState().restore();
    expect(next.lab.getState().notices).toHaveLength(0);
    // Opening it from the list is refused with the same numbers.
    await next.store.getState().refreshSaved();
    expect(await next.store.getState().openSaved('sweep-1-huge')).toBe(false);
    expect(next.lab.getState().notices.at(-1)?.text).toMatch(/cannot be opened: this sweep is 409 600 cells/);
  });
});

/** localStorage's interface over a Map: the loss log's storage in a test without a page. */
function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/** IndexedDB as a full disk leaves it: every write throws a QuotaExceededError with an empty message. */
function fullDisk(): SweepPersistence {
  const full = () => Promise.reject(new DOMException('', 'QuotaExceededError'));
  return { ...indexedDbSweeps, saveSweep: full, saveCell: full, savePartial: full };
}

describe('the lab sweep store when storage is full (issue 25 item 7)', () => {
  it('gives a reason after the colon, and the next load says the sweep and its cells were lost', async () => {
    const storage = memoryStorage();
    const losses = storageSweepLossLog(() => storage);
    const { store, lab, clients } = sweepWithFakes(1, { persistence: fullDisk(), losses });
    await store.getState().start(SPEC);
    await settle();
    finish(clients[0], 100);
    await settle();
    const texts = lab.getState().notices.map((notice) => notice.text);
    expect(texts).toContain(
      "The sweep could not be saved in this browser: this browser's storage for the lab is full (QuotaExceededError). A reload cannot resume it; the next load says so.",
    );
    expect(texts).toContain(
      "A finished cell could not be saved: this browser's storage for the lab is full (QuotaExceededError). Its result stays on this page; a reload trains it again.",
    );
    expect(texts.every((text) => !/: $|:\s*\.|: \./.test(text))).toBe(true);

    // The next load: nothing in IndexedDB to resume, but the page says what was lost, once.
    const next = sweepWithFakes(1, { losses: storageSweepLossLog(() => storage) });
    await next.store.getState().restore();
    expect(next.store.getState().sweep).toBeNull();
    expect(next.lab.getState().notices.map((notice) => notice.text)).toEqual([
      "The sweep “tiny” could not be saved in this browser (this browser's storage for the lab is full (QuotaExceededError)), so it was lost when the page closed and 1 finished cell was not kept: start it again (its link or the form) once there is room.",
    ]);
    const third = sweepWithFakes(1, { losses: storageSweepLossLog(() => storage) });
    await third.store.getState().restore();
    expect(third.lab.getState().notices).toHaveLength(0);
  });

  it('says nothing at the next load when a later save of the sweep succeeded', async () => {
    const storage = memoryStorage();
    let full = true;
    const flaky: SweepPersistence = {
      ...indexedDbSweeps,
      saveSweep: (sweep) => (full ? fullDisk().saveSweep(sweep) : indexedDbSweeps.saveSweep(sweep)),
      saveCell: (outcome, run) => fullDisk().saveCell(outcome, run),
    };
    const { store } = sweepWithFakes(1, { persistence: flaky, losses: storageSweepLossLog(() => storage) });
    await store.getState().start(SPEC);
    await settle();
    full = false;
    await store.getState().pause();
    const next = sweepWithFakes(1, { losses: storageSweepLossLog(() => storage) });
    await next.store.getState().restore();
    expect(next.store.getState().status).toBe('paused');
    expect(next.lab.getState().notices.some((notice) => /lost/.test(notice.text))).toBe(false);
  });
});

describe('one tab trains a sweep (issue 25 item 5)', () => {
  /** Two tabs of one browser: one IndexedDB, one lock manager, each its own ownership and workers. */
  function twoTabs() {
    const locks = memoryLocks();
    const tab = () => sweepWithFakes(2, { ownership: lockedSweepOwnership(locks) });
    return { locks, first: tab(), second: tab() };
  }

  it('a second tab shows the running sweep without training it, and offers to take it over', async () => {
    const { first, second } = twoTabs();
    await first.store.getState().start(SPEC);
    await settle();
    expect(first.clients).toHaveLength(2);
    await second.store.getState().restore();
    await settle();
    expect(second.clients).toHaveLength(0);
    expect(second.store.getState()).toMatchObject({ status: 'paused', elsewhere: true, running: [] });
    const notice = second.lab.getState().notices.at(-1)!;
    expect(notice.text).toBe(
      'The sweep “tiny” is training in another tab; this tab shows it without training it.',
    );
    expect(notice.action?.label).toBe('Take over here');
    // It wrote nothing: the stored sweep is still the first tab's, running.
    expect((await indexedDbSweeps.activeSweep())?.ok && (await indexedDbSweeps.activeSweep())).toMatchObject({
      value: { status: 'running' },
    });
    // Resume in the second tab does not train either while the first one does.
    await second.store.getState().resume();
    await settle();
    expect(second.clients).toHaveLength(0);
    expect(first.store.getState().status).toBe('running');
  });

  it('taking over stops the first tab and trains the rest here, keeping what the first tab finished', async () => {
    const { first, second } = twoTabs();
    await first.store.getState().start(SPEC);
    await settle();
    finish(first.clients[0], 100);
    await settle();
    await second.store.getState().restore();
    await settle();
    second.lab.getState().notices.at(-1)!.action!.run();
    await settle();
    expect(first.store.getState()).toMatchObject({ status: 'paused', elsewhere: true, running: [] });
    expect(first.clients.every((client) => client.terminated)).toBe(true);
    expect(first.lab.getState().notices.at(-1)?.text).toMatch(/^Another tab took over the sweep “tiny”/);
    expect(second.store.getState()).toMatchObject({ status: 'running', elsewhere: false });
    expect(second.store.getState().outcomes.size).toBe(1);
    // The three cells left, two at a time, here only.
    expect(second.clients).toHaveLength(2);
  });

  it('a paused sweep can be resumed in the other tab (pausing lets go)', async () => {
    const { first, second } = twoTabs();
    await first.store.getState().start(SPEC);
    await settle();
    await first.store.getState().pause();
    await second.store.getState().restore();
    await settle();
    expect(second.store.getState()).toMatchObject({ status: 'paused', elsewhere: false });
    await second.store.getState().resume();
    await settle();
    expect(second.clients).toHaveLength(2);
    // Now the first tab is the one that may not.
    await first.store.getState().resume();
    await settle();
    expect(first.store.getState()).toMatchObject({ status: 'paused', elsewhere: true });
  });
});
