/**
 * Reliability on the real Trainer (wasm backend in Node): a run that really diverges is paused and rolled back
 * with a lower learning rate; a worker that dies mid-run is replaced and the run resumes from the page's latest
 * snapshot with its history intact; tensors are not leaked by either.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../engine/node';
import { Trainer } from '../engine/trainer';
import { createTrainingApi } from './api';
import { connectTrainingClient, type ClientBatch, type WorkerClient } from './client';
import { TrainingSession, type SessionOptions } from './session';
import { createSupervisedClient } from './supervisor';
import type { MetricBatch } from './protocol';
import { createTfHost } from '../engine/tfHost';

const SMALL = {
  task: { modulus: 13, trainFraction: 0.5 },
  model: { kind: 'mlp', embedDim: 16, hiddenWidth: 32 },
  optimizer: { lr: 3e-3, warmupSteps: 0 },
  training: { maxSteps: 1_000_000, evalEvery: 10 },
};

/**
 * Decoupled weight decay with lr·wd = 5 > 2: each step multiplies the weights by about (1 − 5) = −4, so they
 * overflow to Infinity within ~70 steps. With lr × 0.1 the factor is 0.5 and the run is stable again.
 */
const DIVERGING = {
  ...SMALL,
  optimizer: { lr: 0.5, warmupSteps: 0 },
  regularizers: { weightDecay: { enabled: true, coefficient: 10 } },
};

beforeAll(async () => {
  expect(await initNodeBackend('wasm')).toBe('wasm');
});

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function newSession(options: Partial<SessionOptions> = {}): TrainingSession {
  return new TrainingSession({
    host: createTfHost(),
    createTrainer: (config) => new Trainer(config),
    options,
    memory: () => tf.memory(),
  });
}

/** A "worker": a session behind Comlink on a MessageChannel; kill() ends it like a crash (error event). */
function fakeWorker(options: Partial<SessionOptions> = {}) {
  const session = newSession(options);
  const channel = new MessageChannel();
  Comlink.expose(createTrainingApi(session, Comlink.transfer), channel.port1);
  const client = connectTrainingClient(channel.port2, () => {
    channel.port1.close();
    channel.port2.close();
  });
  return {
    session,
    client,
    /** Hung: the run stops and the worker answers nothing more, but no error event fires. */
    async hang(): Promise<void> {
      await session.dispose();
      channel.port1.close();
    },
    async kill(): Promise<void> {
      await session.dispose(); // its memory is gone, as with a crashed worker
      channel.port1.close();
      channel.port2.dispatchEvent(new Event('error'));
    },
  };
}

describe('reliability on the real Trainer (wasm)', () => {
  let baselineTensors = 0;
  beforeAll(() => {
    baselineTensors = tf.memory().numTensors;
  });
  afterAll(() => {
    expect(tf.memory().numTensors).toBe(baselineTensors);
  });

  it('a diverging run pauses, names the step, and rolls back to a good point with a lower lr', async () => {
    const session = newSession();
    const batches: MetricBatch[] = [];
    session.subscribe((batch) => batches.push(batch));
    const init = await session.init(DIVERGING, 'wasm');
    expect(init.ok).toBe(true);
    await session.start();
    await until(() => session.currentStatus === 'diverged');
    const messages = () => batches.flatMap((b) => (b.message ? [b.message] : []));
    await until(() => messages().some((m) => m.includes('Diverged')));
    const divergence = messages().find((m) => m.includes('Diverged'))!;
    expect(divergence).toMatch(/Diverged at step \d+: the (weight norm|training loss) is (NaN|-?Infinity)/);
    expect(divergence).toMatch(/roll back to step \d+/);
    const divergedAt = Number(/step (\d+)/.exec(divergence)![1]);
    const points = session.rollbackPoints();
    expect(points.length).toBeGreaterThan(0);
    expect(points.at(-1)!).toBeLessThan(divergedAt);

    const rolled = await session.rollback(undefined, 0.1);
    expect(rolled.ok).toBe(true);
    if (!rolled.ok) return;
    expect(rolled.step).toBe(points.at(-1));
    expect(rolled.config.optimizer.lr).toBeCloseTo(0.05, 10);
    expect(rolled.events).toEqual([
      { step: rolled.step, regularizer: 'optimizer', path: 'optimizer.lr', from: 0.5, to: 0.05 },
    ]);
    expect(session.currentStatus).toBe('paused');
    const state = await session.snapshot();
    expect(state.step).toBe(rolled.step);
    expect(state.history.at(-1)!.step).toBe(rolled.step);
    expect(state.history.every((r) => Number.isFinite(r.weightNorm))).toBe(true);
    expect(state.events.at(-1)).toMatchObject({ path: 'optimizer.lr', to: 0.05 });
    await until(() => batches.some((b) => b.rewoundTo === rolled.step));

    // With the lower lr the same run trains on without diverging.
    await session.step(80);
    expect(session.currentStatus).toBe('paused');
    const after = await session.snapshot();
    expect(after.step).toBe(rolled.step + 80);
    const last = after.history.at(-1)!;
    expect(Number.isFinite(last.trainLoss) && Number.isFinite(last.weightNorm)).toBe(true);

    // Bad requests come back as issues.
    expect(await session.rollback(-5)).toMatchObject({ ok: false, issues: [{ path: 'toStep' }] });
    expect(await session.rollback(undefined, -1)).toMatchObject({
      ok: false,
      issues: [{ path: 'lrFactor' }],
    });
    expect(await session.rollback(undefined, 1e9)).toMatchObject({ ok: false });
    await session.dispose();
  });

  it('a killed worker is replaced and the run resumes from the last posted snapshot, history intact', async () => {
    const workers: ReturnType<typeof fakeWorker>[] = [];
    const supervised = createSupervisedClient(
      (): WorkerClient => {
        const worker = fakeWorker({ snapshotIntervalMs: 150 });
        workers.push(worker);
        return worker.client;
      },
      { stallMs: 0 },
    );
    const batches: ClientBatch[] = [];
    supervised.onBatch((batch) => batches.push(batch));
    const init = await supervised.init(SMALL, 'wasm');
    expect(init.ok).toBe(true);
    await supervised.start();
    await until(() => (supervised.latestSnapshot()?.step ?? 0) >= 60);
    const recovered = new Promise((resolve) => supervised.onRecovery(resolve));
    await workers[0].kill();
    const report = (await recovered) as { ok: boolean; resumedAt: number };
    const posted = supervised.latestSnapshot()!;
    expect(report.ok).toBe(true);
    expect(workers).toHaveLength(2);
    expect(report.resumedAt).toBe(posted.step);
    const notice = batches.find((b) => b.message?.includes('a new one resumed'))!;
    expect(notice.rewoundTo).toBe(posted.step);

    // It keeps training in the new worker (it was running), from the snapshot's step with its history.
    await until(() => batches.some((b) => b.status === 'running' && b.step > posted.step + 20));
    await supervised.pause();
    const state = await supervised.snapshot();
    expect(state.step).toBeGreaterThan(posted.step);
    expect(state.history.slice(0, posted.history.length)).toEqual(posted.history);
    expect(state.history.map((r) => r.step)).toEqual(
      [...new Set(state.history.map((r) => r.step))].sort((a, b) => a - b),
    );
    supervised.terminate();
    await workers[1].session.dispose();
  });

  it('a silent worker (no error event) is found by the watchdog and replaced', async () => {
    const workers: ReturnType<typeof fakeWorker>[] = [];
    const supervised = createSupervisedClient(
      (): WorkerClient => {
        const worker = fakeWorker({ snapshotIntervalMs: 150 });
        workers.push(worker);
        return worker.client;
      },
      { stallMs: 300, pingTimeoutMs: 300 },
    );
    expect((await supervised.init(SMALL, 'wasm')).ok).toBe(true);
    await supervised.start();
    await until(() => (supervised.latestSnapshot()?.step ?? 0) >= 30);
    // The worker in use now: on a loaded machine the watchdog's short limits may already have replaced the first
    // one (a healthy worker answering late), which is not what this checks.
    await workers.at(-1)!.hang();
    const report = await new Promise<{ ok: boolean; resumedAt: number | null; reason: string }>((resolve) =>
      supervised.onRecovery(resolve),
    );
    expect(report).toMatchObject({ ok: true, reason: 'it stopped responding' });
    expect(report.resumedAt).toBeGreaterThanOrEqual(30);
    await supervised.pause();
    supervised.terminate();
    await workers.at(-1)!.session.dispose();
  });
});
