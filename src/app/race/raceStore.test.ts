import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../engine/config';
import type { StoredRun } from '../../lib/runStore';
import type { ClientBatch } from '../../worker/client';
import type { BackendChoice, MetricRecord, RunSnapshot, RunStatus } from '../../worker/protocol';
import { FakeClient, fakeRecord } from '../testing/fakeClient';
import { finishMarkers, raceMessage } from './lanes';
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

  it('a diverged lane keeps its worker and a rollback; the other lane keeps running', async () => {
    const { store, lanes } = setup();
    await store.getState().startRace('radialRescue');
    lanes[0].emitBatch('running', [fakeRecord(0), fakeRecord(50)]);
    lanes[1].emitBatch('running', [fakeRecord(0), fakeRecord(50), fakeRecord(100)]);
    const message =
      'Diverged at step 150: the training loss is NaN. Training is paused; roll back to step 100 …';
    lanes[1].emitBatch('diverged', [fakeRecord(150, { trainLoss: Number.NaN })], { message });
    await flush();
    let [a, b] = store.getState().lanes;
    expect(b.status).toBe('diverged');
    expect(b.message).toBe(message);
    expect(b.canRollBack).toBe(true);
    // Not ended like a finished lane: its run stays for the rollback. Lane A and the race are untouched.
    expect(lanes[1].terminated).toBe(false);
    expect(lanes[1].method('snapshot')).toHaveLength(0);
    expect(b.phase).toBe('ready');
    expect(store.getState().phase).toBe('running');
    expect(a.status).toBe('running');
    lanes[0].emitBatch('running', [fakeRecord(100)]);
    expect(store.getState().lanes[0].history.map((record) => record.step)).toEqual([0, 50, 100]);

    // The single run's rollback, in lane B only: back to step 100, lr halved, racing again.
    const lr = b.config.optimizer.lr;
    lanes[1].rollbackPoint = 100;
    await store.getState().rollbackLane(1);
    [a, b] = store.getState().lanes;
    expect(b.history.map((record) => record.step)).toEqual([0, 50, 100]);
    expect(b.step).toBe(100);
    expect(b.config.optimizer.lr).toBe(lr / 2);
    expect(b.eventLog.events).toEqual([
      { step: 100, regularizer: 'optimizer', path: 'optimizer.lr', from: lr, to: lr / 2 },
    ]);
    expect([b.status, b.message, b.canRollBack]).toEqual(['running', null, false]);
    expect(lanes[1].method('start')).toHaveLength(2);
    expect(lanes[0].method('start')).toHaveLength(1);
    expect(a.config.optimizer.lr).toBe(lr);
  });

  it('a race whose last running lane diverges is over and saved; rolling that lane back races on', async () => {
    const saved: StoredRun[] = [];
    const { store, lanes } = setup({ saveRun: async (run) => void saved.push(run) });
    await store.getState().startRace('radialRescue');
    lanes[0].emitBatch('finished', [fakeRecord(3650, { testAccuracy: 1 })]);
    await flush();
    lanes[1].emitBatch('diverged', [fakeRecord(400, { trainLoss: Number.NaN })], {
      message: 'Diverged at step 400: the training loss is NaN.',
    });
    await flush();
    expect(store.getState().phase).toBe('finished');
    expect(saved).toHaveLength(1);
    expect(saved[0].comparison?.lanes[1].status).toBe('diverged');
    expect(lanes[1].terminated).toBe(false);

    await store.getState().rollbackLane(1);
    expect(store.getState().phase).toBe('running');
    expect(store.getState().lanes[1].status).toBe('running');
    lanes[1].emitBatch('finished', [fakeRecord(20_000, { testAccuracy: 0.3 })]);
    await flush();
    await flush();
    // Saved again under the same id: the record now holds the lane's run after the rollback.
    expect(saved.map((run) => run.id)).toEqual([saved[0].id, saved[0].id]);
    expect(saved[1].comparison?.lanes[1].status).toBe('finished');
    expect(lanes[1].terminated).toBe(true);
  });

  it('a lane whose worker cannot roll back is ended when it diverges (its message kept)', async () => {
    const clients: FakeLane[] = [];
    const store = createRaceStore({
      createClient: () => {
        const client = new FakeLane(() => 'wasm');
        // The race's client type makes rollback optional: a worker without it.
        const withoutRollback: RaceClient = Object.assign(client, { rollback: undefined });
        clients.push(client);
        return withoutRollback;
      },
    });
    await store.getState().startRace('radialRescue');
    clients[1].emitBatch('diverged', [fakeRecord(400, { trainLoss: Number.NaN })], {
      message: 'Diverged at step 400: the training loss is NaN.',
    });
    await flush();
    const lane = store.getState().lanes[1];
    expect([lane.phase, lane.canRollBack, lane.message]).toEqual([
      'closed',
      false,
      'Diverged at step 400: the training loss is NaN.',
    ]);
    expect(clients[1].terminated).toBe(true);
  });

  it('reopens a saved race with every lane: histories, changes, finish lines and result, no workers', async () => {
    const saved: StoredRun[] = [];
    const first = setup({ saveRun: async (run) => void saved.push(run) });
    await first.store.getState().startRace('radialRescue');
    first.lanes[1].currentStep = 1000;
    await first.store.getState().toggleRegularizer(1, 'grokfast');
    const radial = [fakeRecord(0), fakeRecord(3650, { testAccuracy: 1, trainingMs: 41_000 })];
    const plain = [fakeRecord(0), fakeRecord(4500, { testAccuracy: 1, trainingMs: 52_000 })];
    first.lanes[0].emitBatch('finished', radial);
    first.lanes[1].emitBatch('finished', plain);
    await flush();
    await flush();
    expect(saved).toHaveLength(1);
    const [run] = saved;
    const { title } = first.store.getState();
    first.store.getState().close();

    const { store, lanes } = setup();
    expect(store.getState().openSaved(run)).toBe(true);
    expect(lanes).toHaveLength(0);
    const state = store.getState();
    expect(state).toMatchObject({
      open: true,
      reopened: true,
      phase: 'finished',
      preset: 'radialRescue',
      title,
      savedId: run.id,
    });
    expect(state.lanes.map((lane) => [lane.name, lane.phase, lane.status])).toEqual([
      ['radial', 'closed', 'finished'],
      ['plain', 'closed', 'finished'],
    ]);
    expect(state.lanes.map((lane) => lane.history)).toEqual([radial, plain]);
    expect(state.lanes.map((lane) => lane.difference)).toEqual([
      ['Radial penalty on'],
      ['Radial penalty off'],
    ]);
    // Lane B shows the change it had: its Grokfast switch is on, its marker is in its event log.
    expect(state.lanes[1].config.regularizers.grokfast.enabled).toBe(true);
    expect(state.lanes[1].startConfig.regularizers.grokfast.enabled).toBe(false);
    expect(state.lanes[1].eventLog.events.map((event) => [event.step, event.path])).toEqual([
      [1000, 'regularizers.grokfast.enabled'],
    ]);
    expect(finishMarkers(state.lanes).map((marker) => [marker.step, marker.label, marker.color])).toEqual([
      [3650, 'radial grokked · 41 s', state.lanes[0].color],
      [4500, 'plain grokked · 52 s', state.lanes[1].color],
    ]);
    expect(raceMessage(state.lanes)).toBe(run.comparison?.summary);
    // Races saved before the title was kept show their record's name.
    store
      .getState()
      .openSaved({ ...run, name: 'Race · old', comparison: { ...run.comparison!, title: undefined } });
    expect(store.getState().title).toBe('old');

    // Reset races it again: new workers from the lanes' starting configs.
    await store.getState().reset();
    expect(lanes).toHaveLength(2);
    const init = lanes[1].method('init')[0].args[0] as { regularizers: { grokfast: { enabled: boolean } } };
    expect(init.regularizers.grokfast.enabled).toBe(false);
    expect(store.getState().reopened).toBe(false);
    expect(store.getState().lanes.every((lane) => lane.history.length === 0)).toBe(true);
  });

  it('refuses to reopen a record that is not a race, or a lane with an invalid config', () => {
    const { store } = setup();
    const single: StoredRun = {
      id: 'single',
      name: 'run',
      createdAt: 0,
      updatedAt: 0,
      config: DEFAULT_CONFIG,
      history: [],
      events: [],
      status: 'paused',
      wallTimeMs: 0,
    };
    expect(store.getState().openSaved(single)).toBe(false);
    expect(store.getState().errors).toEqual(['“run” is not a saved race.']);
    const lane = {
      name: 'plain',
      difference: [],
      config: DEFAULT_CONFIG,
      history: [],
      events: [],
      status: 'finished' as const,
      wallTimeMs: 0,
      backend: 'wasm',
      grokStep: null,
    };
    const broken: StoredRun = {
      ...single,
      comparison: {
        kind: 'race',
        preset: null,
        evalEvery: 50,
        winner: null,
        summary: null,
        lanes: [lane, { ...lane, name: 'odd', config: { ...DEFAULT_CONFIG, seed: -1 } }],
      },
    };
    expect(store.getState().openSaved(broken)).toBe(false);
    expect(store.getState().errors[0]).toMatch(/^Lane odd: seed/);
    expect(store.getState().phase).toBe('failed');
  });
});
