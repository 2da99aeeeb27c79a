/**
 * The session with the engine's real Trainer on the wasm backend in Node, and the whole page↔worker path
 * (Comlink over a MessageChannel, transfers, structured clones) minus the Worker itself.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendName } from '../engine/backend';
import type { Config } from '../engine/config';
import { initNodeBackend } from '../engine/node';
import { Trainer } from '../engine/trainer';
import { createTrainingApi } from './api';
import type { BackendHost } from '../engine/backendChoice';
import { connectTrainingClient, type ClientBatch } from './client';
import type { MetricRecord } from './protocol';
import { TrainingSession, type SessionTrainer } from './session';
import { createTfHost } from '../engine/tfHost';

const SMALL = {
  task: { modulus: 13, trainFraction: 0.5 },
  model: { kind: 'mlp', embedDim: 16, hiddenWidth: 32 },
  optimizer: { lr: 3e-3, warmupSteps: 0 },
  training: { maxSteps: 1_000_000 },
};

beforeAll(async () => {
  expect(await initNodeBackend('wasm')).toBe('wasm');
});

/** Waits for a state; the limit only ends a wait that would never end (a loaded machine takes its time). */
async function until(condition: () => boolean, timeoutMs = 100_000): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A client talking to a session through Comlink, as the page talks to the worker. */
function connected(session: TrainingSession) {
  const channel = new MessageChannel();
  Comlink.expose(createTrainingApi(session, Comlink.transfer), channel.port1);
  const client = connectTrainingClient(channel.port2, () => {
    channel.port1.close();
    channel.port2.close();
  });
  const batches: ClientBatch[] = [];
  client.onBatch((batch) => batches.push(batch));
  const records = (): MetricRecord[] => batches.flatMap((batch) => batch.records);
  return { client, batches, records };
}

describe('worker session on the real Trainer (wasm)', () => {
  let baselineTensors = 0;
  beforeAll(() => {
    baselineTensors = tf.memory().numTensors;
  });
  afterAll(() => {
    // Every tensor the runs made (trainers, probes, evaluations, snapshots) was freed.
    expect(tf.memory().numTensors).toBe(baselineTensors);
  });

  it('init → step → start → update → pause through Comlink, with metrics streaming', async () => {
    const session = new TrainingSession({
      host: createTfHost(),
      createTrainer: (config) => new Trainer(config),
    });
    const { client, batches, records } = connected(session);
    const init = await client.init(SMALL);
    expect(init.ok).toBe(true);
    if (!init.ok) return;
    // Node has only wasm and cpu: wasm is the one candidate, used without timing.
    expect(init.backend.backend).toBe('wasm');
    expect(init.backend.summary).toBe('Using WASM.');
    expect(init.grid?.size).toBe(13);
    expect(init.isTrain.length).toBe(169);

    await client.step(30);
    await until(() => records().some((r) => r.step === 30));
    const withGrid = batches.filter((b) => b.predictions);
    expect(withGrid.at(-1)!.predictions!.length).toBe(169);
    const embedding = batches.filter((b) => b.embedding).at(-1)!.embedding!;
    expect(embedding.shape).toEqual([13, 16]);
    expect(embedding.values.length).toBe(13 * 16);

    await client.start();
    await until(() => batches.some((b) => b.status === 'running' && b.stepsPerSecond > 0));
    const update = await client.update({
      optimizer: { lr: 0.01 },
      regularizers: { weightDecay: { coefficient: 0.5 } },
    });
    expect(update.ok).toBe(true);
    await until(() => batches.some((b) => b.events.length === 2));
    const bad = await client.update({ model: { hiddenWidth: 64 } });
    expect(bad).toMatchObject({ ok: false, issues: [{ path: 'model' }] });

    // Pause resolves with the run stopped (its last batch says so), however long a loaded machine takes.
    await client.pause();
    await until(() => batches.at(-1)?.status === 'paused');
    expect((await client.snapshot()).step).toBe(batches.at(-1)!.step);
    const steps = records().map((r) => r.step);
    expect(steps.every((s, i) => i === 0 || s > steps[i - 1])).toBe(true);
    expect(records().at(-1)!.learningRate).toBe(0.01);
    expect(Number.isFinite(records().at(-1)!.trainLoss)).toBe(true);

    client.terminate();
    await session.dispose();
  });

  it('the after-the-run analysis: Nanda-exact losses at every evaluation since the run was built', async () => {
    const session = new TrainingSession({
      host: createTfHost(),
      createTrainer: (config) => new Trainer(config),
    });
    const { client, records } = connected(session);
    await client.init({ ...SMALL, training: { ...SMALL.training, evalEvery: 10 } }, 'wasm');
    await client.step(30);
    await until(() => records().some((r) => r.step === 30));
    const analysis = await client.progressAnalysis();
    if (!analysis) throw new Error('no analysis for (a+b) mod 13');
    // The steps evaluated (the run's own records), each with both losses, measured with the last model's keys.
    expect(analysis.points.map((point) => point.step)).toEqual(records().map((r) => r.step));
    expect(analysis.keys).toHaveLength(5);
    for (const point of analysis.points) {
      expect(Number.isFinite(point.restrictedLoss)).toBe(true);
      expect(Number.isFinite(point.excludedLoss)).toBe(true);
    }
    // A new run starts a new analysis; a task without waves has none.
    await client.reset({ task: { operation: 'a*b' } });
    expect(await client.progressAnalysis()).toBeNull();
    client.terminate();
    await session.dispose();
  });

  it('snapshot → restore resumes bit-exactly (weights and Adam moments)', async () => {
    const session = new TrainingSession({
      host: createTfHost(),
      createTrainer: (config) => new Trainer(config),
    });
    const { client } = connected(session);
    await client.init(SMALL, 'wasm');
    await client.step(20);
    const snapshot = await client.snapshot();
    expect(snapshot.step).toBe(20);
    expect(snapshot.parameters.embedding).toBeInstanceOf(Float32Array);
    await client.step(15);
    const straight = await client.snapshot();

    const restored = await client.restore(snapshot);
    expect(restored).toMatchObject({ ok: true, step: 20 });
    await client.step(15);
    const resumed = await client.snapshot();
    expect(resumed.step).toBe(35);
    for (const [name, values] of Object.entries(straight.parameters)) {
      expect(Array.from(resumed.parameters[name]), name).toEqual(Array.from(values));
    }
    expect(resumed.optimizer.step).toBe(straight.optimizer.step);
    // (The evaluation steps after the restore may differ: the adaptive schedule depends on measured timings.)
    expect(resumed.history.slice(0, snapshot.history.length)).toEqual(snapshot.history);

    client.terminate();
    await session.dispose();
  });

  it('falls back from a failing backend to the next, resuming from the last snapshot', async () => {
    // "webgpu" here is wasm in disguise whose trainStep throws at step 45, as a lost device would.
    const tfHost = createTfHost();
    let active: BackendName = 'wasm';
    const host: BackendHost = {
      async activate(name) {
        if (name === 'webgl') throw new Error('no WebGL here');
        await tfHost.activate(name === 'webgpu' ? 'wasm' : name);
        active = name;
      },
    };
    const createTrainer = (config: Config): SessionTrainer => {
      const trainer = new Trainer(config);
      if (active !== 'webgpu') return trainer;
      const trainStep = trainer.trainStep.bind(trainer);
      trainer.trainStep = () => {
        if (trainer.step === 45) throw new Error('GPU device lost: simulated');
        trainStep();
      };
      return trainer;
    };
    const session = new TrainingSession({ host, createTrainer, options: { snapshotIntervalMs: 0 } });
    const { client, batches, records } = connected(session);
    await client.init({ ...SMALL, training: { maxSteps: 80, evalEvery: 20 } }, 'webgpu');
    await client.start();
    await until(() => batches.at(-1)?.status === 'finished');
    const notice = batches.find((b) => b.rewoundTo !== null)!;
    // The last snapshot: taken between chunks after the evaluation at 40, at or before the fault at 45.
    const resumed = notice.rewoundTo!;
    expect(resumed).toBeGreaterThanOrEqual(40);
    expect(resumed).toBeLessThanOrEqual(45);
    expect(notice.backend).toBe('wasm');
    expect(notice.message).toBe(
      `WebGPU failed at step 45 (GPU device lost: simulated); continuing on WASM from step ${resumed}.`,
    );
    expect(records().map((r) => r.step)).toEqual([0, 20, 40, 60, 80]);
    const snapshot = await client.snapshot();
    expect(snapshot.history.map((r) => r.step)).toEqual([0, 20, 40, 60, 80]);
    client.terminate();
    await session.dispose();
  });
});
