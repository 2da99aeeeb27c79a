import { describe, expect, it } from 'vitest';
import type { StoredRun } from '../lib/runStore';
import { PRESETS } from '../engine/presets';
import { createLabStore } from './store';
import { fakeProgress } from '../worker/testing/fakes';
import { FakeClient, connectedLab, fakeRecord, fakeSnapshot, single, supervised } from './testing/fakeClient';

describe('lab store', () => {
  it('connects: subscribes, builds the run, reports the backend', async () => {
    const { store, client } = await connectedLab();
    const state = single(store);
    expect(client.methods()).toEqual(['subscribe', 'init']);
    expect(state.phase).toBe('ready');
    expect(state.backend?.backend).toBe('wasm');
    expect(state.run?.gridSize).toBe(5);
    expect(state.status).toBe('idle');
    await single(store).connect();
    expect(client.methods()).toEqual(['subscribe', 'init']);
  });

  it('reports a worker that fails to start', async () => {
    const client = new FakeClient();
    client.failNext = 'no backend could start';
    const store = createLabStore({ createClient: () => supervised(() => client), liveDelayMs: 0 });
    await single(store).connect();
    expect(single(store).phase).toBe('failed');
    expect(single(store).notices[0]).toMatchObject({ kind: 'error' });
    expect(single(store).notices[0].text).toContain('no backend could start');
  });

  it('start / pause / step call the worker', async () => {
    const { store, client } = await connectedLab();
    await single(store).start();
    expect(single(store).status).toBe('running');
    await single(store).togglePlay();
    expect(single(store).status).toBe('paused');
    await single(store).stepOnce(5);
    expect(client.methods().slice(2)).toEqual(['start', 'pause', 'step']);
    expect(client.calls.at(-1)?.args).toEqual([5]);
  });

  it('appends streamed records and tracks status, step and speed', async () => {
    const { store, client } = await connectedLab();
    client.emit({
      records: [fakeRecord(0), fakeRecord(10)],
      stepsPerSecond: 123,
      predictions: new Int32Array(4),
    });
    client.emit({ records: [fakeRecord(20)], status: 'paused' });
    const state = single(store);
    expect(state.history.map((record) => record.step)).toEqual([0, 10, 20]);
    expect(state.history[1].radiusRatio.hidden0).toBe(1.2);
    expect(state.step).toBe(20);
    expect(state.status).toBe('paused');
    expect(state.predictions).toHaveLength(4);
    expect(state.stepsPerSecond).toBe(50);
  });

  it('when a running lane stops, asks its worker for the after-the-run analysis and writes it into the records', async () => {
    const { store, client } = await connectedLab();
    client.analysis = {
      keys: [4, 11],
      points: [
        { step: 0, restrictedLoss: 3.4, excludedLoss: 0.2 },
        { step: 10, restrictedLoss: 0.9, excludedLoss: 1.5 },
      ],
    };
    const progress = fakeProgress();
    client.emit({ records: [fakeRecord(0, { progress }), fakeRecord(10, { progress })], status: 'running' });
    expect(client.analysisRequests).toBe(0);
    client.emit({ records: [], status: 'paused' });
    await expect.poll(() => single(store).history[1].progress?.afterRunRestrictedLoss).toBe(0.9);
    expect(single(store).history[0].progress?.afterRunExcludedLoss).toBe(0.2);
    expect(client.analysisRequests).toBe(1);
  });

  it('detects memorization and grokking with the configured threshold', async () => {
    const { store, client } = await connectedLab();
    client.emit({ records: [fakeRecord(0, { trainAccuracy: 0.1, testAccuracy: 0.01 })] });
    client.emit({ records: [fakeRecord(410, { trainAccuracy: 1, testAccuracy: 0.05 })] });
    expect(single(store).milestones).toEqual({ memorized: 410, grokked: null, collapsed: null });
    client.emit({ records: [fakeRecord(5000, { trainAccuracy: 1, testAccuracy: 0.96 })] });
    client.emit({ records: [fakeRecord(7340, { trainAccuracy: 1, testAccuracy: 0.995 })] });
    expect(single(store).milestones).toEqual({ memorized: 410, grokked: 7340, collapsed: null });
    // Lowering the threshold live re-reads the whole history.
    single(store).setField('training.grokThreshold', 0.95);
    await single(store).flushLive();
    expect(single(store).milestones).toEqual({ memorized: 410, grokked: 5000, collapsed: null });
  });

  it('sends live edits as one update and records one event per change', async () => {
    const { store, client } = await connectedLab();
    client.currentStep = 300;
    single(store).setField('regularizers.radial.lambda', 0.02);
    single(store).setField('regularizers.radial.lambda', 0.05);
    single(store).toggleRegularizer('radial');
    await single(store).flushLive();
    const updates = client.calls.filter((call) => call.method === 'update');
    expect(updates).toHaveLength(1);
    expect(updates[0].args[0]).toEqual({ regularizers: { radial: { lambda: 0.05, enabled: true } } });
    const events = single(store).eventLog.events;
    expect(events.map((event) => `${event.step} ${event.path}`).sort()).toEqual([
      '300 regularizers.radial.enabled',
      '300 regularizers.radial.lambda',
    ]);
    expect(single(store).config.regularizers.radial.enabled).toBe(true);
    // The same events echoed by the stream are not drawn twice.
    client.emit({ events });
    expect(single(store).eventLog.events).toHaveLength(2);
  });

  it('collects regularizer scalars for the charts', async () => {
    const { store, client } = await connectedLab();
    client.emit({ records: [fakeRecord(1, { regularizers: { radial: { penalty: 0.3 } } })] });
    expect(single(store).scalarKeys).toEqual({ radial: ['penalty'] });
  });

  it('keeps task/model/seed edits for the next reset and applies them then', async () => {
    const { store, client } = await connectedLab();
    single(store).setField('seed', 7);
    single(store).setField('model.hiddenWidth', 64);
    await single(store).flushLive();
    expect(client.methods()).not.toContain('update');
    expect(single(store).pendingReset).toEqual(['seed', 'model.hiddenWidth']);
    client.emit({ records: [fakeRecord(10)] });
    await single(store).reset();
    const state = single(store);
    expect(client.calls.at(-1)).toMatchObject({ method: 'reset' });
    expect((client.calls.at(-1)?.args[0] as { seed: number }).seed).toBe(7);
    expect(state.pendingReset).toEqual([]);
    expect(state.history).toEqual([]);
    expect(state.config.seed).toBe(7);
  });

  it('keeps a run with progress in the runs before a reset or a preset replaces it (undoable)', async () => {
    const kept: StoredRun[] = [];
    const { store, client, clients } = await connectedLab({ keep: async (run) => void kept.push(run) });
    client.emit({ records: [fakeRecord(0), fakeRecord(1274)] });
    client.snapshot = async () => fakeSnapshot(client, 1274, single(store).history);
    await single(store).reset();
    expect(kept.map((run) => run.snapshot?.step)).toEqual([1274]);
    const notice = single(store).notices.find((each) => each.action?.label === 'Reopen it');
    expect(notice?.text).toMatch(/step 1\u202f274\) was kept in your runs/);
    // A reset at step 0 has nothing to keep; a preset with progress does.
    await single(store).reset();
    expect(kept).toHaveLength(1);
    client.emit({ records: [fakeRecord(300)] });
    await single(store).applyPreset('classic');
    expect(kept).toHaveLength(2);
    // Reopen brings the first back, in a new worker, at its step.
    await single(store).restoreRun(kept[0]);
    expect(clients.at(-1)!.methods()).toContain('restore');
    expect(single(store).step).toBe(1274);
  });

  it("gives a lane's worker the wasm threads its run wants, and a new worker when the next run wants others", async () => {
    const threads: number[] = [];
    const clients: FakeClient[] = [];
    const store = createLabStore({
      liveDelayMs: 0,
      createClient: (wasmThreads) => {
        threads.push(wasmThreads);
        return supervised(() => new FakeClient(), clients);
      },
      // As the app's policy does by estimated cost: the classic transformer (p 97) gets 2 threads, the mlp 1.
      wasmThreads: (laneCount, config) => (laneCount === 1 && config.task.modulus === 97 ? 2 : 1),
    });
    await single(store).connect(); // the default config: classic
    expect(threads).toEqual([2]);
    await single(store).reset(); // the same run: the same worker
    expect(threads).toEqual([2]);
    await single(store).applyPreset('mlp');
    expect(threads).toEqual([2, 1]);
    expect(clients[1].methods()).toContain('init');
    expect(single(store).phase).toBe('ready');
    await single(store).applyPreset('classic');
    expect(threads).toEqual([2, 1, 2]);
  });

  it('Reset answers while a run is being built: the build is abandoned and started again in a new worker', async () => {
    const clients: FakeClient[] = [];
    const store = createLabStore({
      liveDelayMs: 0,
      createClient: () => {
        const client = new FakeClient();
        // The first worker never finishes building (a config too big for the device would take minutes).
        if (clients.length === 0) client.init = () => new Promise<never>(() => undefined);
        clients.push(client);
        return supervised(() => client);
      },
    });
    void store.getState().connect();
    await waitForCall(() => clients[0], 'subscribe');
    expect(single(store).busy).toBe(true);
    await single(store).reset();
    expect(clients[0].terminated).toBe(true);
    expect(clients).toHaveLength(2);
    expect(clients[1].methods()).toEqual(['subscribe', 'init']);
    expect([single(store).phase, single(store).busy]).toEqual(['ready', false]);
    expect(single(store).notices.at(-1)?.text).toMatch(/Stopped building the run/);
  });

  it('start on a fresh run applies pending task changes first', async () => {
    const { store, client } = await connectedLab();
    single(store).setField('task.modulus', 53);
    await single(store).start();
    expect(client.methods().slice(2)).toEqual(['reset', 'start']);
    expect(single(store).config.task.modulus).toBe(53);
  });

  it('asks before starting a run estimated to be heavy; no means it does not start', async () => {
    const questions: string[] = [];
    let answer = false;
    const { store, client } = await connectedLab({
      confirm: (question) => {
        questions.push(question);
        return answer;
      },
    });
    await single(store).applyPreset('mlp');
    single(store).setFields({ task: { modulus: 257, trainFraction: 0.99 } });
    await single(store).start();
    expect(questions).toHaveLength(1);
    expect(questions[0]).toMatch(/^This run will be heavy: .*GB.*Start anyway\?$/);
    expect(client.methods()).not.toContain('start');
    answer = true;
    await single(store).start();
    expect(client.methods().slice(-2)).toEqual(['reset', 'start']);
  });

  it('shows invalid fields and never sends them', async () => {
    const { store, client } = await connectedLab();
    single(store).setField('optimizer.lr', 3);
    await single(store).flushLive();
    expect(single(store).issues['optimizer.lr']).toBeTruthy();
    expect(client.methods()).not.toContain('update');
    single(store).setField('task.operation', 'a/b');
    single(store).setField('task.modulus', 96);
    expect(single(store).issues['task.modulus']).toContain('prime');
    await single(store).reset();
    expect(client.methods()).not.toContain('reset');
    expect(single(store).notices.at(-1)?.kind).toBe('error');
  });

  it('applies a preset with a reset', async () => {
    const { store, client } = await connectedLab();
    await single(store).applyPreset('mlp');
    const state = single(store);
    expect(state.presetName).toBe('mlp');
    expect(state.config.model.kind).toBe(PRESETS.mlp.config.model.kind);
    expect(client.methods().at(-1)).toBe('reset');
  });

  it('turns worker messages into dismissible notices', async () => {
    const { store, client } = await connectedLab();
    client.emit({ status: 'diverged', message: 'Loss became NaN at step 120' });
    const notice = single(store).notices[0];
    expect(notice).toMatchObject({ kind: 'warning', text: 'Loss became NaN at step 120' });
    single(store).dismissNotice(notice.id);
    expect(single(store).notices).toEqual([]);
  });

  it('re-inits with a forced backend', async () => {
    const { store, client } = await connectedLab();
    await single(store).setBackendChoice('cpu');
    expect(client.calls.at(-1)).toMatchObject({ method: 'init' });
    expect(client.calls.at(-1)?.args[1]).toBe('cpu');
  });

  it('sends edits made while the backend was starting once it is ready', async () => {
    const client = new FakeClient();
    const store = createLabStore({ createClient: () => supervised(() => client), liveDelayMs: 0 });
    const connecting = single(store).connect();
    single(store).setField('regularizers.radial.enabled', true);
    await connecting;
    await single(store).flushLive();
    expect(client.config?.regularizers.radial.enabled).toBe(true);
  });
});

describe('lab store: fault recovery', () => {
  it('drops records and events after rewoundTo', async () => {
    const { store, client } = await connectedLab();
    client.emit({
      records: [fakeRecord(10), fakeRecord(20, { testAccuracy: 1, trainAccuracy: 1 }), fakeRecord(30)],
    });
    client.currentStep = 25;
    single(store).toggleRegularizer('radial');
    await single(store).flushLive();
    expect(single(store).milestones.grokked).toBe(20);
    client.emit({ rewoundTo: 15, records: [fakeRecord(16)] });
    const state = single(store);
    expect(state.history.map((record) => record.step)).toEqual([10, 16]);
    expect(state.eventLog.events).toEqual([]);
    expect(state.milestones.grokked).toBeNull();
  });
});

describe('lab store: shared-link schedule', () => {
  it('replays scheduled changes exactly at their steps, then trains on', async () => {
    const client = new FakeClient();
    const store = createLabStore({
      createClient: () => supervised(() => client),
      liveDelayMs: 0,
      schedule: [
        { step: 300, path: 'optimizer.lr', regularizer: 'optimizer', from: 0.001, to: 0.002 },
        { step: 100, path: 'regularizers.radial.enabled', regularizer: 'radial', from: false, to: true },
      ],
    });
    await single(store).connect();
    await single(store).start();
    expect(client.methods().slice(2)).toEqual(['step', 'update', 'step', 'update', 'start']);
    expect(client.calls.filter((call) => call.method === 'step').map((call) => call.args[0])).toEqual([
      100, 200,
    ]);
    const events = single(store).eventLog.events;
    expect(events.map((event) => [event.step, event.path])).toEqual([
      [100, 'regularizers.radial.enabled'],
      [300, 'optimizer.lr'],
    ]);
    expect(single(store).draft.regularizers.radial.enabled).toBe(true);
    expect(single(store).schedule).toEqual([]);
  });

  it('stops replaying when paused', async () => {
    const client = new FakeClient();
    const store = createLabStore({
      createClient: () => supervised(() => client),
      liveDelayMs: 0,
      schedule: [{ step: 100, path: 'optimizer.lr', regularizer: 'optimizer', from: 0.001, to: 0.002 }],
    });
    await single(store).connect();
    const started = single(store).start();
    await single(store).pause();
    await started;
    expect(client.methods()).not.toContain('start');
    expect(single(store).schedule).toHaveLength(1);
  });

  it('shows notices passed in (e.g. from a bad link)', () => {
    const store = createLabStore({
      createClient: () => supervised(() => new FakeClient()),
      notices: ['Ignored the link’s setting seed'],
    });
    expect(single(store).notices).toEqual([{ id: 1, kind: 'info', text: 'Ignored the link’s setting seed' }]);
  });
});

describe('lab store: worker failure', () => {
  it('restarting a worker from the page replaces it and resumes its run there', async () => {
    const { store, clients } = await connectedLab();
    await single(store).restartWorker();
    expect(clients[0].terminated).toBe(true);
    expect(clients).toHaveLength(2);
    // No snapshot posted yet: the new worker builds the run's config again.
    expect(clients[1].methods()).toEqual(['subscribe', 'init']);
    expect(clients[1].config).toEqual(clients[0].config);
    expect(single(store).phase).toBe('ready');
  });
});

describe('lab store: saving and restoring runs', () => {
  it('captures the run with its weights and restores it', async () => {
    const { store, client, clients } = await connectedLab();
    client.emit({ records: [fakeRecord(10), fakeRecord(20, { trainAccuracy: 1 })] });
    const snapshot = fakeSnapshot(client, 20, single(store).history);
    client.snapshot = async () => snapshot;
    const saved = await single(store).captureRun(true);
    expect(saved?.history).toHaveLength(2);
    expect(saved?.snapshot).toBe(snapshot);
    expect(saved?.name).toContain('(a + b) mod 5');
    await single(store).reset();
    expect(single(store).history).toEqual([]);
    expect(await single(store).restoreRun(saved!)).toBe(true);
    const state = single(store);
    // The saved run opens in a worker of its own (the one on screen is closed).
    expect(client.terminated).toBe(true);
    expect(clients[1].methods()).toEqual(['subscribe', 'restore']);
    expect(state.history.map((record) => record.step)).toEqual([10, 20]);
    expect(state.milestones.memorized).toBe(20);
    expect(state.run?.id).toBe(saved?.id);
  });

  it('opens the settings of a run saved without weights', async () => {
    const { store, clients } = await connectedLab();
    const saved = await single(store).captureRun(false);
    const settings = { ...saved!, config: { ...saved!.config, seed: 42 } };
    await single(store).restoreRun(settings);
    expect(clients[1].methods()).toEqual(['subscribe', 'init']);
    expect(single(store).config.seed).toBe(42);
  });
});

describe('lab store: weights the worker refuses', () => {
  it('names the problem, builds the run afresh from its settings, keeps the record, and every control answers', async () => {
    const { store, client, clients } = await connectedLab();
    client.emit({ records: [fakeRecord(10), fakeRecord(20)] });
    const snapshot = fakeSnapshot(client, 20, single(store).history);
    client.snapshot = async () => snapshot;
    const saved = await single(store).captureRun(true);
    await single(store).reset();
    const refusing = FakeClient.prototype.restore;
    FakeClient.prototype.restore = async function (this: FakeClient, posted) {
      this.calls.push({ method: 'restore', args: [posted] });
      return {
        ok: false,
        issues: [{ path: 'snapshot.parameters.embedding', message: 'must be a Float32Array' }],
      };
    };
    try {
      expect(await single(store).restoreRun(saved!)).toBe(false);
    } finally {
      FakeClient.prototype.restore = refusing;
    }
    const notice = store.getState().notices.at(-1)!.text;
    expect(notice).toMatch(/snapshot\.parameters\.embedding: must be a Float32Array/);
    expect(notice).toMatch(new RegExp(`“${saved!.name.replace(/[()+]/g, '\\$&')}”`));
    const lane = single(store);
    expect(lane.phase).toBe('ready');
    expect(lane.busy).toBe(false);
    expect(clients.at(-1)!.methods()).toEqual(['subscribe', 'restore', 'init']);
    // Not the saved record's id: training on saves a new run, the saved one stays as it was.
    expect(store.getState().experimentId).not.toBe(saved!.id);
    await single(store).start();
    expect(clients.at(-1)!.methods()).toContain('start');
  });
});

describe('lab store: divergence and worker restarts', () => {
  it('offers a rollback after a divergence and applies it', async () => {
    const { store, client } = await connectedLab();
    client.emit({ records: [fakeRecord(100), fakeRecord(200), fakeRecord(300, { trainLoss: Number.NaN })] });
    client.emit({ status: 'diverged', message: 'Diverged at step 300: loss is NaN.' });
    const notice = single(store).notices.at(-1)!;
    expect(notice.kind).toBe('warning');
    expect(notice.action?.label).toMatch(/Roll back/);
    client.rollbackPoint = 200;
    notice.action!.run();
    await waitForCall(client, 'rollback');
    await single(store).flushLive();
    const state = single(store);
    expect(state.history.map((record) => record.step)).toEqual([100, 200]);
    expect(state.step).toBe(200);
    expect(state.draft.optimizer.lr).toBe(state.config.optimizer.lr);
    expect(state.eventLog.events.map((event) => [event.step, event.path])).toEqual([[200, 'optimizer.lr']]);
  });
});

async function waitForCall(
  client: FakeClient | (() => FakeClient | undefined),
  method: string,
): Promise<void> {
  const current = () => (typeof client === 'function' ? client() : client);
  for (let i = 0; i < 50 && !current()?.methods().includes(method); i++)
    await new Promise((r) => setTimeout(r, 1));
  expect(current()?.methods()).toContain(method);
}
