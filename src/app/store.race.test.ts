/** The one store with several lanes: a race. The same store, reducer and controls as the single run. */
import { describe, expect, it } from 'vitest';
import type { StoredRun } from '../lib/runStore';
import type { ClientBatch } from '../worker/client';
import type { BackendChoice, MetricRecord, RunSnapshot, RunStatus } from '../worker/protocol';
import { summarize } from './lanes/summary';
import { finishMarkers, raceMessage } from './lanes/race';
import { createLabStore, type LabStoreOptions } from './store';
import { FakeClient, fakeRecord, supervised } from './testing/fakeClient';

/** A fake worker with a chosen backend, snapshots and a terse batch helper. */
class FakeLane extends FakeClient {
  constructor(private readonly backendFor: (choice: BackendChoice | undefined) => 'wasm' | 'webgl') {
    super();
  }

  override async init(config: unknown, backend?: BackendChoice) {
    const result = await super.init(config, backend);
    if (!result.ok) return result;
    const chosen = this.backendFor(backend);
    return { ...result, backend: { ...result.backend, backend: chosen, choice: backend ?? 'auto' } };
  }

  override async snapshot(): Promise<RunSnapshot> {
    this.calls.push({ method: 'snapshot', args: [] });
    return {
      version: 1,
      step: this.currentStep,
      config: this.config,
      history: [],
      events: [],
    } as unknown as RunSnapshot;
  }

  emitBatch(status: RunStatus, records: MetricRecord[], extra: Partial<ClientBatch> = {}) {
    this.currentStep = records.at(-1)?.step ?? this.currentStep;
    this.listener?.({
      status,
      step: records.at(-1)?.step ?? this.currentStep,
      stepsPerSecond: 40,
      backend: 'webgl',
      records,
      events: [],
      predictions: null,
      embedding: null,
      message: null,
      rewoundTo: null,
      ...extra,
    });
  }

  method(name: string) {
    return this.calls.filter((call) => call.method === name);
  }
}

/** A connected page (one lane on clients[0]) whose later lanes get FakeLanes; kept records land in `kept`. */
async function setup(options: Partial<LabStoreOptions> = {}) {
  const clients: FakeLane[] = [];
  const kept: StoredRun[] = [];
  // Lane A's auto pick lands on webgl; a forced choice is honoured. The race must force B onto A's pick.
  const store = createLabStore({
    liveDelayMs: 0,
    keep: async (run) => void kept.push(run),
    ...options,
    createClient: () => {
      const client = new FakeLane((choice) => (choice === 'wasm' ? 'wasm' : 'webgl'));
      clients.push(client);
      return supervised(() => client);
    },
  });
  await store.getState().connect();
  const race = async (autoStart = true) => {
    expect(await store.getState().startRace('radialRescue', { autoStart })).toBe(true);
    return clients.slice(-2);
  };
  const status = () => summarize(store.getState().lanes).status;
  return { store, clients, kept, race, status };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('one store, two lanes (a race)', () => {
  it('replaces the single run: lane A picks the backend, lane B is forced onto it; both start; no third run', async () => {
    const { store, clients, race, status } = await setup();
    const [a, b] = await race();
    expect(clients[0].terminated).toBe(true);
    expect(clients).toHaveLength(3);
    expect(a.method('init')[0].args[1]).toBe('auto');
    expect(b.method('init')[0].args[1]).toBe('webgl');
    const state = store.getState();
    expect(state.lanes.map((lane) => lane.backend?.backend)).toEqual(['webgl', 'webgl']);
    expect(state.lanes.map((lane) => lane.name)).toEqual(['radial', 'plain']);
    const [configA, configB] = [a.method('init')[0].args[0], b.method('init')[0].args[0]] as {
      seed: number;
      training: { evalEvery: number };
      regularizers: { radial: { enabled: boolean } };
    }[];
    expect(configA.seed).toBe(configB.seed);
    expect([configA.training.evalEvery, configB.training.evalEvery]).toEqual([50, 50]);
    expect([configA.regularizers.radial.enabled, configB.regularizers.radial.enabled]).toEqual([true, false]);
    expect([a.method('start').length, b.method('start').length]).toEqual([1, 1]);
    expect(status()).toBe('running');
    expect(state.lanes[0].run?.grid).not.toBeNull();
    // space/the top bar: pause every lane, and nothing else exists to start.
    await store.getState().togglePlay();
    expect([a.method('pause').length, b.method('pause').length]).toEqual([1, 1]);
    expect(status()).toBe('paused');
    await store.getState().togglePlay();
    expect([a.method('start').length, b.method('start').length]).toEqual([2, 2]);
    expect(clients[0].methods()).not.toContain('start');
  });

  it('keeps each lane’s history, speed and status apart; the summary is the race’s', async () => {
    const { store, race } = await setup();
    const [a, b] = await race();
    a.emitBatch('running', [fakeRecord(0), fakeRecord(50, { testAccuracy: 0.4 })]);
    b.emitBatch('running', [fakeRecord(0)], { stepsPerSecond: 38 });
    const [laneA, laneB] = store.getState().lanes;
    expect(laneA.history.map((record) => record.step)).toEqual([0, 50]);
    expect(laneB.history.map((record) => record.step)).toEqual([0]);
    expect([laneA.stepsPerSecond, laneB.stepsPerSecond]).toEqual([40, 38]);
    expect(summarize(store.getState().lanes)).toMatchObject({
      step: 50,
      stepsPerSecond: 78,
      status: 'running',
    });
  });

  it('a regularizer switched in lane B leaves lane A alone; setup edits change every lane', async () => {
    const { store, race } = await setup();
    const [a, b] = await race();
    b.currentStep = 120;
    store.getState().toggleRegularizer('radial', 1);
    await store.getState().flushLive();
    expect(a.method('update')).toHaveLength(0);
    expect(b.method('update')[0].args[0]).toEqual({ regularizers: { radial: { enabled: true } } });
    const [laneA, laneB] = store.getState().lanes;
    expect(laneB.eventLog.events[0]).toMatchObject({
      step: 120,
      path: 'regularizers.radial.enabled',
      to: true,
    });
    expect(laneA.eventLog.events).toHaveLength(0);
    // The sidebar edits the focused lane: live settings in that lane only …
    store.getState().setFocus(1);
    store.getState().setField('optimizer.lr', 0.002);
    await store.getState().flushLive();
    expect(store.getState().lanes.map((lane) => lane.config.optimizer.lr)).toEqual([0.003, 0.002]);
    // … and what only a reset applies, in every lane (the race stays fair).
    store.getState().setField('seed', 9);
    expect(store.getState().lanes.map((lane) => lane.pendingReset)).toEqual([['seed'], ['seed']]);
  });

  it('reset rebuilds every lane from its draft: same seed, lane B’s live change kept as its setting', async () => {
    const { store, race } = await setup();
    const [a, b] = await race();
    a.emitBatch('running', [fakeRecord(0), fakeRecord(50)]);
    await store.getState().reset();
    expect([a.method('reset').length, b.method('reset').length]).toEqual([1, 1]);
    expect(store.getState().lanes.every((lane) => lane.history.length === 0)).toBe(true);
  });

  it('a finished lane is snapshotted and its worker released; when all have stopped the race is kept once', async () => {
    const { store, race, kept, clients } = await setup();
    const [a, b] = await race();
    a.emitBatch('finished', [fakeRecord(3650, { testAccuracy: 1, trainingMs: 41_000 })]);
    await flush();
    expect(a.method('snapshot')).toHaveLength(1);
    expect([a.terminated, b.terminated]).toEqual([true, false]);
    expect(store.getState().lanes[0].phase).toBe('closed');
    await store.getState().pause();
    expect([a.method('pause').length, b.method('pause').length]).toEqual([0, 1]);
    await store.getState().start();
    b.emitBatch('finished', [fakeRecord(20_000, { testAccuracy: 0.23 })]);
    await flush();
    await flush();
    expect(summarize(store.getState().lanes).over).toBe(true);
    expect(kept).toHaveLength(1);
    const [run] = kept;
    expect(run.comparison?.lanes.map((lane) => lane.name)).toEqual(['radial', 'plain']);
    expect(run.comparison?.winner).toBe(0);
    expect(run.comparison?.lanes.map((lane) => lane.grokStep)).toEqual([3650, null]);
    expect(run.comparison?.summary).toMatch(/^radial grokked at step 3\u202f650 in 41 s; plain stopped/);
    // Every lane's weights are in the record, not only lane A's.
    expect(run.comparison?.lanes.map((lane) => lane.snapshot?.step)).toEqual([3650, 20_000]);
    expect(store.getState().savedId).toBe(run.id);
    // Reset races it again, in new workers, lane B forced onto lane A's backend.
    await store.getState().reset();
    expect(clients).toHaveLength(5);
    expect(clients[4].method('init')[0].args[1]).toBe('webgl');
    expect(store.getState().lanes.map((lane) => lane.phase)).toEqual(['ready', 'ready']);
  });

  it('a diverged lane keeps its worker for a rollback; the other lane races on; the rollback rejoins', async () => {
    const { store, race, status } = await setup();
    const [a, b] = await race();
    b.emitBatch('running', [fakeRecord(0), fakeRecord(50), fakeRecord(100)]);
    const message = 'Diverged at step 150: the training loss is NaN.';
    b.emitBatch('diverged', [fakeRecord(150, { trainLoss: Number.NaN })], { message });
    await flush();
    let laneB = store.getState().lanes[1];
    expect([laneB.status, laneB.message, laneB.canRollBack, laneB.phase]).toEqual([
      'diverged',
      message,
      true,
      'ready',
    ]);
    expect(b.terminated).toBe(false);
    expect(status()).toBe('running');
    const notice = store.getState().notices.at(-1)!;
    expect(notice.text).toBe(`Lane plain: ${message}`);
    const lr = laneB.config.optimizer.lr;
    b.rollbackPoint = 100;
    await store.getState().rollback(1);
    laneB = store.getState().lanes[1];
    expect(laneB.history.map((record) => record.step)).toEqual([0, 50, 100]);
    expect(laneB.config.optimizer.lr).toBe(lr / 2);
    expect([laneB.status, laneB.message, laneB.canRollBack]).toEqual(['running', null, false]);
    expect([a.method('start').length, b.method('start').length]).toEqual([1, 2]);
    expect(store.getState().lanes[0].config.optimizer.lr).toBe(lr);
  });

  it('opens a race without starting it (a shared link); an unknown race says why', async () => {
    const { store, race, status } = await setup();
    const lanes = await race(false);
    expect(status()).toBe('idle');
    expect(lanes.every((lane) => lane.method('start').length === 0)).toBe(true);
    expect(await store.getState().startRace('mlp')).toBe(false);
    expect(store.getState().notices.at(-1)?.text).toMatch(/defines no race/);
  });

  it('a single run with progress is kept (undoable) before a race replaces it', async () => {
    const { store, clients, kept, race } = await setup();
    clients[0].emit({ records: [fakeRecord(10), fakeRecord(500)] });
    clients[0].snapshot = async () => ({ version: 1, step: 500 }) as RunSnapshot;
    await race();
    expect(kept).toHaveLength(1);
    expect(kept[0].comparison).toBeUndefined();
    expect(kept[0].snapshot?.step).toBe(500);
    const notice = store.getState().notices.find((each) => each.action?.label === 'Reopen it');
    expect(notice?.text).toContain('step 500');
  });

  it('saves and reopens a race: every lane resumes from its own weights, finished lanes are shown', async () => {
    const first = await setup();
    const [a, b] = await first.race();
    b.currentStep = 1000;
    first.store.getState().toggleRegularizer('grokfast', 1);
    await first.store.getState().flushLive();
    const radial = [fakeRecord(0), fakeRecord(3650, { testAccuracy: 1, trainingMs: 41_000 })];
    a.emitBatch('finished', radial);
    b.emitBatch('running', [fakeRecord(0), fakeRecord(1200)]);
    await flush();
    await first.store.getState().pause();
    const run = (await first.store.getState().captureRun(true))!;
    expect(run.comparison?.lanes.map((lane) => lane.snapshot?.step)).toEqual([3650, 1200]);

    const { store, clients } = await setup();
    expect(await store.getState().restoreRun(run)).toBe(true);
    const state = store.getState();
    expect(state).toMatchObject({
      presetName: 'radialRescue',
      title: first.store.getState().title,
      savedId: run.id,
    });
    // The finished lane is shown without a worker; the paused one resumes in a new worker from its snapshot.
    expect(state.lanes.map((lane) => [lane.name, lane.phase, lane.status])).toEqual([
      ['radial', 'closed', 'finished'],
      ['plain', 'ready', 'paused'],
    ]);
    expect(clients.at(-1)!.method('restore')[0].args[0]).toMatchObject({ step: 1200 });
    expect(state.lanes[0].history).toEqual(radial);
    expect(state.lanes[1].config.regularizers.grokfast.enabled).toBe(true);
    expect(finishMarkers(state.lanes).map((marker) => [marker.step, marker.label])).toEqual([
      [3650, 'radial grokked · 41 s'],
    ]);
    expect(raceMessage(state.lanes)).toMatch(/^radial grokked at step 3\u202f650/);
  });
});

describe('a reopened or imported race with more lanes than cores (issue 25 item 2)', () => {
  it('resumes one lane per core; the rest wait as saved, their weights kept, and the next reopen trains them', async () => {
    const first = await setup();
    const [a, b] = await first.race();
    a.emitBatch('running', [fakeRecord(0), fakeRecord(300)]);
    b.emitBatch('running', [fakeRecord(0), fakeRecord(400)]);
    await flush();
    await first.store.getState().pause();
    const two = (await first.store.getState().captureRun(true))!;
    // A race file of 6 lanes (the had 50): the two lanes, three times over, renamed.
    const lanes = [0, 1, 2].flatMap((copy) =>
      two.comparison!.lanes.map((lane) => ({ ...lane, name: `${lane.name} ${copy}` })),
    );
    const file: StoredRun = { ...two, comparison: { ...two.comparison!, lanes } };

    const { store, clients } = await setup({ cores: 2 });
    const before = clients.length;
    expect(await store.getState().restoreRun(file)).toBe(true);
    // Two workers (one per core), not six.
    expect(clients.slice(before).map((client) => client.method('restore').length)).toEqual([1, 1]);
    const state = store.getState();
    expect(state.lanes.map((lane) => lane.phase)).toEqual([
      'ready',
      'ready',
      'closed',
      'closed',
      'closed',
      'closed',
    ]);
    expect(state.lanes.slice(2).every((lane) => lane.status === 'paused' && lane.history.length === 2)).toBe(
      true,
    );
    expect(state.notices.at(-1)?.text).toBe(
      'This race has 6 lanes to resume and this machine trains 2 at once (one per core): radial 0, plain 0 resume ' +
        'now; radial 1, plain 1, radial 2, plain 2 wait, shown as saved with their weights kept. When these finish, ' +
        'open the race again from your runs to train the next 2.',
    );
    // Nothing is lost: the experiment as it stands still holds every lane's weights.
    const again = (await store.getState().captureRun(true))!;
    expect(again.comparison!.lanes.map((lane) => lane.snapshot?.step)).toEqual([
      300, 400, 300, 400, 300, 400,
    ]);
    // The first two finish; reopened, the next two resume.
    const finished: StoredRun = {
      ...again,
      comparison: {
        ...again.comparison!,
        lanes: again.comparison!.lanes.map((lane, i) => (i < 2 ? { ...lane, status: 'finished' } : lane)),
      },
    };
    const next = await setup({ cores: 2 });
    expect(await next.store.getState().restoreRun(finished)).toBe(true);
    expect(next.store.getState().lanes.map((lane) => lane.phase)).toEqual([
      'closed',
      'closed',
      'ready',
      'ready',
      'closed',
      'closed',
    ]);
  });
});

describe('preset changes in quick succession during a race', () => {
  it('keep the race once, with its own step, and say nothing of the runs that had nothing to keep', async () => {
    const { store, kept, race } = await setup();
    const [a, b] = await race();
    a.emitBatch('running', [fakeRecord(50), fakeRecord(285)]);
    b.emitBatch('running', [fakeRecord(50), fakeRecord(250)]);
    // Six preset clicks, none waiting for the one before (30 ms apart in the issue; here all at once).
    const names = ['mlp', 'classic', 'mlp', 'classic', 'mlp', 'classic'];
    await Promise.all(names.map((name) => store.getState().applyPreset(name)));
    const keptNotices = store
      .getState()
      .notices.map((notice) => notice.text)
      .filter((text) => /was kept in your runs/.test(text));
    expect(keptNotices).toHaveLength(1);
    expect(keptNotices[0]).toMatch(/^“Race · .*” \(step 285\) was kept in your runs\.$/);
    expect(kept).toHaveLength(1);
    expect(kept[0].comparison?.lanes.map((lane) => lane.history.at(-1)?.step)).toEqual([285, 250]);
  });
});
