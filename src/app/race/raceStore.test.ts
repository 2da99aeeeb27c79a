import { describe, expect, it } from 'vitest';
import type { StoredRun } from '../../lib/runStore';
import type { ClientBatch } from '../../worker/client';
import type { BackendChoice, MetricRecord, RunSnapshot, RunStatus } from '../../worker/protocol';
import { FakeClient, fakeRecord } from '../testing/fakeClient';
import { createRaceStore, type RaceClient } from './raceStore';

/** The lab's fake worker client plus what a race needs: terminate, worker errors, a chosen backend. */
class FakeLane extends FakeClient implements RaceClient {
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
    return { version: 1, step: this.currentStep } as RunSnapshot;
  }

  emitBatch(status: RunStatus, records: MetricRecord[], extra: Partial<ClientBatch> = {}) {
    this.listener?.({
      status,
      step: records.at(-1)?.step ?? this.currentStep,
      stepsPerSecond: 40,
      backend: 'wasm',
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

function setup(options: { saveRun?: (run: StoredRun) => Promise<void>; cores?: number } = {}) {
  const lanes: FakeLane[] = [];
  // Lane A's auto pick lands on webgl; a forced choice is honoured. The race must force B onto A's pick.
  const store = createRaceStore({
    createClient: () => {
      const client = new FakeLane((choice) => (choice === 'wasm' ? 'wasm' : 'webgl'));
      lanes.push(client);
      return client;
    },
    ...options,
  });
  return { store, lanes };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('race store', () => {
  it('starts two lanes from the preset: lane A picks the backend, lane B is forced onto it; both start', async () => {
    const { store, lanes } = setup();
    expect(await store.getState().startRace('radialRescue')).toBe(true);
    expect(lanes).toHaveLength(2);
    const [a, b] = lanes;
    expect(a.method('init')[0].args[1]).toBe('auto');
    expect(b.method('init')[0].args[1]).toBe('webgl');
    const state = store.getState();
    expect(state.lanes.map((lane) => lane.backend)).toEqual(['webgl', 'webgl']);
    expect(state.lanes.map((lane) => lane.name)).toEqual(['radial', 'plain']);
    const [configA, configB] = [a.method('init')[0].args[0], b.method('init')[0].args[0]] as {
      seed: number;
      training: { evalEvery: number };
      regularizers: { radial: { enabled: boolean } };
    }[];
    expect(configA.seed).toBe(configB.seed);
    expect(configA.training.evalEvery).toBe(50);
    expect(configB.training.evalEvery).toBe(50);
    expect([configA.regularizers.radial.enabled, configB.regularizers.radial.enabled]).toEqual([true, false]);
    expect(a.method('start')).toHaveLength(1);
    expect(b.method('start')).toHaveLength(1);
    expect(state.phase).toBe('running');
    expect(state.lanes[0].grid?.targets).toBeInstanceOf(Int32Array);
  });

  it('keeps each lane’s history, steps/s and status apart', async () => {
    const { store, lanes } = setup();
    await store.getState().startRace('radialRescue');
    lanes[0].emitBatch('running', [fakeRecord(0), fakeRecord(50, { testAccuracy: 0.4 })]);
    lanes[1].emitBatch('running', [fakeRecord(0)], { stepsPerSecond: 38 });
    const [a, b] = store.getState().lanes;
    expect(a.history.map((record) => record.step)).toEqual([0, 50]);
    expect(b.history.map((record) => record.step)).toEqual([0]);
    expect([a.stepsPerSecond, b.stepsPerSecond]).toEqual([40, 38]);
  });

  it('a regularizer switched in lane B leaves lane A alone', async () => {
    const { store, lanes } = setup();
    await store.getState().startRace('radialRescue');
    lanes[1].currentStep = 120;
    await store.getState().toggleRegularizer(1, 'radial');
    expect(lanes[0].method('update')).toHaveLength(0);
    expect(lanes[1].method('update')[0].args[0]).toEqual({ regularizers: { radial: { enabled: true } } });
    const [a, b] = store.getState().lanes;
    expect(b.config.regularizers.radial.enabled).toBe(true);
    expect(b.eventLog.events).toHaveLength(1);
    expect(b.eventLog.events[0]).toMatchObject({ step: 120, path: 'regularizers.radial.enabled', to: true });
    expect(a.eventLog.events).toHaveLength(0);
    expect(a.config.regularizers.radial.enabled).toBe(true);
  });

  it('refuses per-lane changes that would make the race unfair', async () => {
    const { store, lanes } = setup();
    await store.getState().startRace('radialRescue');
    await store.getState().setLaneField(1, 'training.evalEvery', 10);
    expect(lanes[1].method('update')).toHaveLength(0);
    expect(store.getState().errors.at(-1)).toMatch(/unfair/);
    await store.getState().setLaneField(1, 'optimizer.lr', 0.002);
    expect(lanes[1].method('update')).toHaveLength(1);
  });

  it('pause pauses both lanes; resume starts both', async () => {
    const { store, lanes } = setup();
    await store.getState().startRace('radialRescue');
    await store.getState().pause();
    expect(lanes.map((lane) => lane.method('pause').length)).toEqual([1, 1]);
    expect(store.getState().phase).toBe('paused');
    await store.getState().togglePlay();
    expect(lanes.map((lane) => lane.method('start').length)).toEqual([2, 2]);
    expect(store.getState().phase).toBe('running');
  });

  it('reset rebuilds both lanes from their starting configs (same seed, lane B’s live changes dropped)', async () => {
    const { store, lanes } = setup();
    await store.getState().startRace('radialRescue');
    await store.getState().toggleRegularizer(1, 'radial');
    lanes[0].emitBatch('running', [fakeRecord(0), fakeRecord(50)]);
    await store.getState().reset();
    const resetB = lanes[1].method('reset')[0].args[0] as { regularizers: { radial: { enabled: boolean } } };
    expect(resetB.regularizers.radial.enabled).toBe(false);
    expect(lanes[0].method('reset')).toHaveLength(1);
    const state = store.getState();
    expect(state.lanes.every((lane) => lane.history.length === 0 && lane.eventLog.events.length === 0)).toBe(
      true,
    );
    expect(state.lanes[1].config.regularizers.radial.enabled).toBe(false);
    // It was running: both lanes start again.
    expect(lanes.map((lane) => lane.method('start').length)).toEqual([2, 2]);
  });

  it('a finished lane is snapshotted and its worker terminated; the other keeps running', async () => {
    const { store, lanes } = setup();
    await store.getState().startRace('radialRescue');
    const grokked = [fakeRecord(3650, { testAccuracy: 1 }), fakeRecord(4150, { testAccuracy: 1 })];
    lanes[0].emitBatch('finished', grokked);
    await flush();
    expect(lanes[0].method('snapshot')).toHaveLength(1);
    expect(lanes[0].terminated).toBe(true);
    expect(lanes[1].terminated).toBe(false);
    const state = store.getState();
    expect(state.lanes[0].phase).toBe('closed');
    expect(state.phase).toBe('running');
    // A pause now only reaches the lane still running.
    await store.getState().pause();
    expect(lanes[0].method('pause')).toHaveLength(0);
    expect(lanes[1].method('pause')).toHaveLength(1);
  });

  it('when every lane has stopped the race is saved as one comparison; reset starts new workers', async () => {
    const saved: StoredRun[] = [];
    const { store, lanes } = setup({ saveRun: async (run) => void saved.push(run) });
    await store.getState().startRace('radialRescue');
    lanes[0].emitBatch('finished', [fakeRecord(3650, { testAccuracy: 1, trainingMs: 41_000 })]);
    lanes[1].emitBatch('finished', [fakeRecord(20_000, { testAccuracy: 0.23 })]);
    await flush();
    await flush();
    expect(store.getState().phase).toBe('finished');
    expect(saved).toHaveLength(1);
    const [run] = saved;
    expect(run.comparison?.kind).toBe('race');
    expect(run.comparison?.lanes.map((lane) => lane.name)).toEqual(['radial', 'plain']);
    expect(run.comparison?.winner).toBe(0);
    expect(run.comparison?.lanes.map((lane) => lane.grokStep)).toEqual([3650, null]);
    expect(run.comparison?.summary).toMatch(/^radial grokked at step 3\u202f650 in 41 s; plain stopped/);
    expect(run.comparison?.evalEvery).toBe(50);
    expect(run.history).toEqual(store.getState().lanes[0].history);
    expect(store.getState().savedId).toBe(run.id);

    await store.getState().reset();
    expect(lanes).toHaveLength(4);
    expect(lanes[3].method('init')[0].args[1]).toBe('webgl');
    expect(store.getState().lanes.map((lane) => lane.phase)).toEqual(['ready', 'ready']);
  });

  it('close ends every worker; batches of an old race are ignored', async () => {
    const { store, lanes } = setup();
    await store.getState().startRace('radialRescue');
    store.getState().close();
    expect(lanes.every((lane) => lane.terminated)).toBe(true);
    lanes[0].emitBatch('running', [fakeRecord(0)]);
    expect(store.getState().lanes).toEqual([]);
    expect(store.getState().open).toBe(false);
  });

  it('an unknown preset or one without a race fails with a reason', async () => {
    const { store } = setup();
    expect(await store.getState().startRace('mlp')).toBe(false);
    expect(store.getState().errors[0]).toMatch(/defines no race/);
  });

  it('opens a race without starting it (a shared link)', async () => {
    const { store, lanes } = setup();
    await store.getState().startRace('radialRescue', { autoStart: false });
    expect(store.getState().phase).toBe('ready');
    expect(lanes.every((lane) => lane.method('start').length === 0)).toBe(true);
  });
});
