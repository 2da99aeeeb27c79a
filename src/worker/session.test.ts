import { afterEach, describe, expect, it } from 'vitest';
import type { BackendName } from '../engine/backend';
import { DEFAULT_CONFIG, resolveConfig, type Config } from '../engine/config';
import { PRESETS } from '../engine/presets';
import type { MetricBatch, MetricRecord } from './protocol';
import { TrainingSession } from './session';
import { FakeHost, FakeTrainer, type FakeBehaviour } from './testing/fakes';

const MLP = PRESETS.mlp.config;

function mlpConfig(overrides: object = {}): Config {
  const base = resolveConfig(MLP);
  if (!base.ok) throw new Error('preset invalid');
  const result = resolveConfig(overrides, base.config);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

/** A session over fake trainers, collecting every batch it streams. */
function setup(behaviour: FakeBehaviour = {}, host = new FakeHost(['wasm', 'cpu'])) {
  const trainers: FakeTrainer[] = [];
  const session = new TrainingSession({
    host,
    createTrainer: (config) => {
      const trainer = new FakeTrainer(config, host.active, behaviour);
      trainers.push(trainer);
      return trainer;
    },
    options: { batchIntervalMs: 20, snapshotIntervalMs: 0 },
  });
  const batches: MetricBatch[] = [];
  session.subscribe((batch) => batches.push(batch));
  const records = (): MetricRecord[] => {
    let all: MetricRecord[] = [];
    for (const batch of batches) {
      if (batch.rewoundTo !== null) all = all.filter((record) => record.step <= batch.rewoundTo!);
      all.push(...batch.records);
    }
    return all;
  };
  const messages = (): string[] => batches.flatMap((b) => (b.message ? [b.message] : []));
  const last = (): MetricBatch | undefined => batches.at(-1);
  sessions.push(session);
  return { session, host, trainers, batches, records, messages, last };
}

const sessions: TrainingSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.dispose()));
});

/** Waits for a state; the limit only ends a wait that would never end (a loaded machine takes its time). */
async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('TrainingSession: init', () => {
  it('validates the config and reports issues instead of throwing', async () => {
    const { session } = setup();
    const result = await session.init({ task: { modulus: 1 } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0].path).toBe('task.modulus');
    const backend = await session.init(MLP, 'tpu' as never);
    expect(backend).toMatchObject({ ok: false, issues: [{ path: 'backend' }] });
    expect(session.currentStatus).toBe('idle');
  });

  it('describes the run: backend, resolved config, sites, grid', async () => {
    const { session, last } = setup();
    const result = await session.init(MLP, 'wasm');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.backend).toMatchObject({ backend: 'wasm', choice: 'wasm' });
    expect(result.config.model.kind).toBe('mlp');
    expect(result.config.task.modulus).toBe(31);
    expect(result.step).toBe(0);
    expect(result.sites.map((s) => s.name)).toEqual(['hidden0']);
    expect(result.grid?.size).toBe(2);
    await until(() => last()?.status === 'idle');
  });

  it('rejects calls that need a run before init (a programming error, not bad input)', async () => {
    const { session } = setup();
    await expect(session.start()).rejects.toThrow(/init/);
    await expect(session.update({})).rejects.toThrow(/init/);
  });
});

describe('TrainingSession: running', () => {
  it('start trains to maxSteps, evaluating on the adaptive schedule, and finishes', async () => {
    const { session, records, last, trainers } = setup();
    await session.init(mlpConfig({ training: { maxSteps: 300 } }), 'wasm');
    await session.start();
    await until(() => last()?.status === 'finished');
    const steps = records().map((r) => r.step);
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(300);
    // Adaptive: strictly increasing, far fewer evaluations than steps (a fake step costs ~nothing, so the
    // schedule's evaluation budget spaces them widely).
    expect(steps.every((s, i) => i === 0 || s > steps[i - 1])).toBe(true);
    expect(steps.length).toBeLessThan(60);
    expect(trainers[0].step).toBe(300);
    expect(last()!.step).toBe(300);
    expect(last()!.predictions).not.toBeNull();
    expect(last()!.embedding?.shape).toEqual([2, 3]);
  });

  it('pause stops the run (nothing trains after it resolves) and ends with an evaluation of the step it stopped at', async () => {
    const { session, records, last, trainers } = setup({ stepMs: 2 });
    await session.init(mlpConfig({ training: { maxSteps: 1_000_000 } }), 'wasm');
    await session.start();
    await until(() => trainers[0].step > 50);
    await session.pause();
    const stoppedAt = trainers[0].step;
    // Already sent when pause() resolves: the page never shows 'Paused' beside a step that is still to come.
    expect(last()).toMatchObject({ status: 'paused', step: stoppedAt });
    expect(records().at(-1)!.step).toBe(stoppedAt);
    expect(last()!.stepsPerSecond).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(trainers[0].step).toBe(stoppedAt);
  });

  it('reports stepsPerSecond while running', async () => {
    const { session, batches, trainers } = setup({ stepMs: 1 });
    await session.init(mlpConfig({ training: { maxSteps: 1_000_000 } }), 'wasm');
    await session.start();
    await until(() => trainers[0].step > 300);
    const rates = batches.filter((b) => b.status === 'running').map((b) => b.stepsPerSecond);
    await session.pause();
    const rate = rates.at(-1)!;
    // A rate while running, and a true one: a 1 ms/step busy-wait cannot go faster than 1000 steps/s (how much
    // slower depends on the machine's load, so no lower bound).
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeLessThan(1100);
  });

  it('step(n) trains exactly n steps, evaluates the last, and pauses', async () => {
    const { session, records, last, trainers } = setup();
    await session.init(MLP, 'wasm');
    await session.step(37);
    expect(trainers[0].step).toBe(37);
    expect(last()).toMatchObject({ status: 'paused', step: 37 });
    expect(records().at(-1)!.step).toBe(37);
    await session.step(3);
    expect(trainers[0].step).toBe(40);
    expect(await session.step(0)).toBeUndefined();
    expect(trainers[0].step).toBe(40);
  });

  it('start after pause continues from where it stopped', async () => {
    const { session, records, last, trainers } = setup();
    await session.init(mlpConfig({ training: { maxSteps: 120 } }), 'wasm');
    await session.step(50);
    await session.start();
    await until(() => last()?.status === 'finished');
    expect(trainers[0].step).toBe(120);
    const steps = records().map((r) => r.step);
    expect(new Set(steps).size).toBe(steps.length);
    await session.start(); // already at maxSteps: says so, stays finished
    await until(() => /maxSteps/.test(last()?.message ?? ''));
    expect(last()!.status).toBe('finished');
  });

  it('stops a configured number of steps after grokking', async () => {
    const { session, last, messages } = setup();
    // The fake's test accuracy reaches 1 at step 100.
    await session.init(
      mlpConfig({ training: { maxSteps: 100_000, stopAfterGrok: 50, evalEvery: 10 } }),
      'wasm',
    );
    await session.start();
    await until(() => last()?.status === 'finished');
    expect(last()!.step).toBe(150);
    expect(messages().join()).toMatch(/Grokked at step 100/);
  });
});

describe('TrainingSession: update', () => {
  it('applies a valid patch between steps and streams its events', async () => {
    const { session, batches, trainers } = setup({ stepMs: 1 });
    await session.init(mlpConfig({ training: { maxSteps: 1_000_000 } }), 'wasm');
    await session.start();
    await until(() => trainers[0].step > 20);
    const result = await session.update({ optimizer: { lr: 0.01 } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.events).toEqual([
      expect.objectContaining({ path: 'optimizer.lr', from: 0.003, to: 0.01, step: expect.any(Number) }),
    ]);
    expect(trainers[0].config.optimizer.lr).toBe(0.01);
    await until(() => batches.some((b) => b.events.length > 0));
    await session.pause();
  });

  it('returns issues for invalid patches and fixed sections, never throwing', async () => {
    const { session, trainers } = setup();
    await session.init(MLP, 'wasm');
    expect(await session.update('lr=1')).toMatchObject({ ok: false });
    const invalid = await session.update({ optimizer: { lr: -1 } });
    expect(invalid).toMatchObject({ ok: false, issues: [{ path: 'optimizer.lr' }] });
    expect(trainers[0].config.optimizer.lr).toBe(0.003);
  });

  it('re-opens a finished run when maxSteps is raised', async () => {
    const { session, last } = setup();
    await session.init(mlpConfig({ training: { maxSteps: 20 } }), 'wasm');
    await session.start();
    await until(() => last()?.status === 'finished');
    await session.update({ training: { maxSteps: 40 } });
    await until(() => last()?.status === 'paused');
    await session.start();
    await until(() => last()?.status === 'finished' && last()!.step === 40);
  });
});

describe('TrainingSession: reset, snapshot, restore', () => {
  it('reset starts a new run, overlaying the current config', async () => {
    const { session, trainers } = setup();
    await session.init(MLP, 'wasm');
    await session.step(10);
    const result = await session.reset({ task: { modulus: 23 } });
    expect(result).toMatchObject({ ok: true, step: 0 });
    if (result.ok) {
      expect(result.config.task.modulus).toBe(23);
      expect(result.config.model.kind).toBe('mlp'); // kept from the current config
    }
    expect(trainers[0].disposed).toBe(true);
    expect(trainers[1].step).toBe(0);
    expect((await session.reset({ task: { modulus: 1 } })).ok).toBe(false);
  });

  it('reset while running stops the old run without a closing evaluation', async () => {
    const { session, trainers } = setup({ stepMs: 1 });
    await session.init(mlpConfig({ training: { maxSteps: 1_000_000 } }), 'wasm');
    await session.start();
    await until(() => trainers[0].step > 20);
    const evaluations = trainers[0].evaluations;
    await session.reset();
    expect(trainers[0].disposed).toBe(true);
    expect(trainers[0].evaluations).toBeLessThanOrEqual(evaluations + 1);
    expect(session.currentStatus).toBe('idle');
  });

  it('snapshot → restore resumes the exact state with its history', async () => {
    const { session, trainers } = setup();
    await session.init(MLP, 'wasm');
    await session.step(25);
    const snapshot = await session.snapshot();
    expect(snapshot).toMatchObject({ version: 1, step: 25 });
    expect(snapshot.history.at(-1)!.step).toBe(25);
    await session.step(10);
    const result = await session.restore(snapshot);
    expect(result).toMatchObject({ ok: true, step: 25 });
    expect(trainers.at(-1)!.step).toBe(25);
    expect(trainers.at(-1)!.history).toHaveLength(snapshot.history.length);
    expect(session.currentStatus).toBe('paused');
    await session.step(5);
    expect(trainers.at(-1)!.step).toBe(30);
  });

  it('rejects malformed snapshots with issues', async () => {
    const { session } = setup();
    await session.init(MLP, 'wasm');
    expect(await session.restore(null)).toMatchObject({ ok: false });
    const good = await session.snapshot();
    expect(await session.restore({ ...good, version: 2 })).toMatchObject({
      ok: false,
      issues: [{ path: 'snapshot.version' }],
    });
    const badConfig = { ...good, config: { ...good.config, task: { ...good.config.task, modulus: 0 } } };
    expect(await session.restore(badConfig)).toMatchObject({
      ok: false,
      issues: [{ path: 'config.task.modulus' }],
    });
  });
});

describe('TrainingSession: divergence and faults', () => {
  it('a non-finite loss at an evaluation pauses the run as diverged, naming the step', async () => {
    const { session, last, messages, trainers } = setup({ lossAt: (step) => (step >= 40 ? Number.NaN : 1) });
    await session.init(mlpConfig({ training: { maxSteps: 10_000, evalEvery: 20 } }), 'wasm');
    await session.start();
    await until(() => last()?.status === 'diverged');
    expect(trainers[0].step).toBe(40);
    expect(messages().join()).toMatch(/Diverged at step 40/);
  });

  it('a backend that throws mid-run hands over to the next one from the last snapshot', async () => {
    const host = new FakeHost(['webgpu', 'webgl', 'wasm', 'cpu']);
    const { session, records, last, messages, trainers, batches } = setup(
      { failAt: (step, backend) => (backend === 'webgpu' && step === 57 ? 'GPU device lost: test' : null) },
      host,
    );
    await session.init(mlpConfig({ training: { maxSteps: 200, evalEvery: 10 } }), 'webgpu');
    await session.step(5);
    await session.update({ optimizer: { lr: 0.01 } }); // after the last snapshot: must survive the fault
    await session.start();
    await until(() => last()?.status === 'finished');
    expect(trainers.map((t) => t.backend)).toEqual(['webgpu', 'webgl']);
    expect(trainers[0].disposed).toBe(true);
    expect(host.discarded).toEqual(['webgpu']);
    expect(messages().join()).toMatch(
      /WebGPU failed at step 57 \(GPU device lost: test\); continuing on WebGL from step 50/,
    );
    const rewind = batches.find((b) => b.rewoundTo !== null)!;
    expect(rewind.rewoundTo).toBe(50);
    expect(rewind.backend).toBe('webgl');
    // The history the page assembles has every evaluation once, across the fault.
    const steps = records().map((r) => r.step);
    expect(steps).toEqual([0, 5, ...Array.from({ length: 20 }, (_, i) => (i + 1) * 10)]);
    expect(trainers[1].config.optimizer.lr).toBe(0.01);
    expect(trainers[1].events.map((e) => e.path)).toEqual(['optimizer.lr']);
  });

  it('snapshots by time between chunks, not only at evaluations, so a fault loses little training', async () => {
    const host = new FakeHost(['webgpu', 'wasm']);
    const { session, last, batches, trainers } = setup(
      {
        stepMs: 1,
        failAt: (step, backend) => (backend === 'webgpu' && step === 457 ? 'out of memory' : null),
      },
      host,
    );
    // Evaluations only at 0 and 600; snapshots whenever due (interval 0 = at every chunk boundary).
    await session.init(mlpConfig({ training: { maxSteps: 600, evalEvery: 600 } }), 'webgpu');
    await session.start();
    await until(() => last()?.status === 'finished');
    const rewound = batches.find((b) => b.rewoundTo !== null)!.rewoundTo!;
    expect(rewound).toBeGreaterThan(300); // chunks are ~80 steps of 1 ms
    expect(rewound).toBeLessThanOrEqual(457); // a chunk may end exactly where the next one fails
    expect(trainers[1].history.map((r) => r.step)).toEqual([0, 600]);
  });

  it('a fault signalled between chunks (device lost) fails over at the next chunk', async () => {
    const host = new FakeHost(['webgpu', 'wasm']);
    const { session, last, trainers } = setup({}, host);
    await session.init(mlpConfig({ training: { maxSteps: 50 } }), 'webgpu');
    await session.step(10);
    host.onFault!('webgpu', 'GPU device lost: unknown');
    await session.start();
    await until(() => last()?.status === 'finished');
    expect(trainers.map((t) => t.backend)).toEqual(['webgpu', 'wasm']);
    expect(last()!.backend).toBe('wasm');
  });

  it('when no backend can take over, the run ends in error and snapshot() still returns the last good state', async () => {
    const host = new FakeHost(['wasm']);
    const { session, last, messages } = setup(
      { failAt: (step) => (step === 30 ? 'out of memory' : null) },
      host,
    );
    await session.init(mlpConfig({ training: { maxSteps: 100, evalEvery: 10 } }), 'wasm');
    await session.start();
    await until(() => last()?.status === 'error');
    expect(messages().join()).toMatch(/Training stopped at step 30: WASM failed \(out of memory\)/);
    const snapshot = await session.snapshot();
    expect(snapshot.step).toBe(30);
    const reset = await session.reset();
    expect(reset.ok).toBe(false); // wasm was the only backend and it is gone
  });
});

describe('TrainingSession: auto backend', () => {
  it('times backends once per model shape', async () => {
    const host = new FakeHost(['webgl', 'wasm', 'cpu']);
    const { session } = setup({}, host);
    const first = await session.init(MLP);
    expect(first.ok && Object.keys(first.backend.measuredMsPerStep).sort()).toEqual(['wasm', 'webgl']);
    const activations = host.activations.length;
    await session.reset({ optimizer: { lr: 0.01 } }); // same model: no new timing
    expect(host.activations.length).toBe(activations + 1);
    const bigger = await session.reset({ model: { hiddenWidth: 512 } });
    expect(bigger.ok).toBe(true);
    expect(host.activations.length).toBeGreaterThan(activations + 2);
  });

  it('a defaults-only init works (classic transformer config)', async () => {
    const { session } = setup();
    const result = await session.init({});
    expect(result.ok && result.config).toEqual(DEFAULT_CONFIG);
  });
});

// Exercised only to keep the import used when the suite is filtered.
export type { BackendName };
