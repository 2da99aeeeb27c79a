/**
 * The session's rollback ring, snapshot posting and snapshot validation, over fake trainers (milliseconds).
 * The real-Trainer divergence → rollback path is in reliability.wasm.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { divergenceReason } from '../engine/divergence';
import type { RunSnapshot } from './protocol';
import { TrainingSession, type SessionOptions } from './session';
import { FakeHost, FakeTrainer, type FakeBehaviour } from './testing/fakes';

const CONFIG = {
  task: { modulus: 5, trainFraction: 0.6 },
  model: { kind: 'mlp', embedDim: 4, hiddenWidth: 8 },
  training: { evalEvery: 10, maxSteps: 1_000_000 },
};

const sessions: TrainingSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.dispose()));
});

function setup(options: Partial<SessionOptions> = {}, behaviour: FakeBehaviour = {}) {
  const host = new FakeHost(['wasm']);
  const session = new TrainingSession({
    host,
    createTrainer: (config) => new FakeTrainer(config, host.active, behaviour),
    options: { batchIntervalMs: 5, snapshotIntervalMs: 0, rollbackIntervalMs: 0, ...options },
  });
  const messages: string[] = [];
  session.subscribe((batch) => batch.message && messages.push(batch.message));
  sessions.push(session);
  return { session, messages };
}

describe('divergenceReason', () => {
  it('flags a non-finite loss or weight norm, and nothing else', () => {
    expect(divergenceReason({ trainLoss: 1, weightNorm: 3 })).toBeNull();
    expect(divergenceReason({ trainLoss: Number.NaN, weightNorm: 3 })).toMatch(/loss is NaN/);
    expect(divergenceReason({ trainLoss: 2.5e6, weightNorm: Number.POSITIVE_INFINITY })).toMatch(
      /weight norm is Infinity/,
    );
  });
});

describe('rollback ring', () => {
  it('keeps at most rollbackPoints points, always including the earliest', async () => {
    const { session } = setup({ rollbackPoints: 3 });
    await session.init(CONFIG, 'wasm');
    await session.step(100);
    const points = session.rollbackPoints();
    expect(points).toHaveLength(3);
    expect(points[0]).toBe(0);
    expect(points.at(-1)).toBe(100);
  });

  it('respects the byte budget', async () => {
    // A fake state holds 6 floats (24 bytes) of weights: 60 bytes fit two.
    const { session } = setup({ rollbackMaxBytes: 60 });
    await session.init(CONFIG, 'wasm');
    await session.step(50);
    expect(session.rollbackPoints()).toEqual([0, 50]);
  });

  it('takes a point only every few evaluations when they come fast', async () => {
    const { session } = setup({ rollbackIntervalMs: 60_000, rollbackEveryEvaluations: 4 });
    await session.init(CONFIG, 'wasm');
    await session.step(100); // evaluations at 0, 10, …, 100
    expect(session.rollbackPoints()).toEqual([0, 40, 80]);
  });

  it('diverges on a NaN loss, offers the last point, and rolls back to a chosen earlier one', async () => {
    const { session, messages } = setup({}, { lossAt: (step) => (step >= 55 ? Number.NaN : 1) });
    await session.init(CONFIG, 'wasm');
    await session.start();
    await new Promise<void>((resolve) => {
      const poll = () => (session.currentStatus === 'diverged' ? resolve() : setTimeout(poll, 2));
      poll();
    });
    expect(session.rollbackPoints()).toEqual([0, 10, 20, 30, 40, 50]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(messages.join('\n')).toMatch(
      /Diverged at step 60: the training loss is NaN.*roll back to step 50/s,
    );
    const result = await session.rollback(35, 0.25);
    expect(result).toMatchObject({ ok: true, step: 30 });
    if (!result.ok) return;
    expect(result.config.optimizer.lr).toBeCloseTo(1e-3 * 0.25);
    expect(session.rollbackPoints()).toEqual([0, 10, 20, 30]);
    expect(session.currentStatus).toBe('paused');
    const missing = await session.rollback(-1);
    expect(missing).toMatchObject({ ok: false, issues: [{ path: 'toStep' }] });
  });

  it('a new run clears the ring', async () => {
    const { session } = setup();
    await session.init(CONFIG, 'wasm');
    await session.step(30);
    expect(session.rollbackPoints().length).toBeGreaterThan(0);
    await session.reset();
    expect(session.rollbackPoints()).toEqual([]);
    expect(await session.rollback()).toMatchObject({ ok: false });
  });
});

describe('snapshots for the page', () => {
  it('posts snapshots while training and when it pauses', async () => {
    const { session } = setup();
    const posted: RunSnapshot[] = [];
    session.onSnapshot((snapshot) => posted.push(snapshot));
    await session.init(CONFIG, 'wasm');
    await session.step(40);
    expect(posted.length).toBeGreaterThan(0);
    expect(posted.at(-1)).toMatchObject({ version: 1, step: 40 });
    expect(posted.at(-1)!.history.at(-1)!.step).toBe(40);
  });

  it('restore refuses NaN weights, non-Float32 arrays and malformed history', async () => {
    const { session } = setup();
    await session.init(CONFIG, 'wasm');
    await session.step(10);
    const good = await session.snapshot();
    expect((await session.restore(good)).ok).toBe(true);
    const nan = { ...good, parameters: { embedding: new Float32Array(6).fill(Number.NaN) } };
    expect(await session.restore(nan)).toMatchObject({
      ok: false,
      issues: [{ path: 'snapshot.parameters.embedding', message: expect.stringMatching(/NaN/) }],
    });
    const plain = { ...good, parameters: { embedding: [1, 2, 3, 4, 5, 6] } };
    expect(await session.restore(plain)).toMatchObject({ ok: false });
    const history = { ...good, history: [null] };
    expect(await session.restore(history)).toMatchObject({
      ok: false,
      issues: [{ path: 'snapshot.history' }],
    });
    // The run that was there is untouched by the refusals.
    expect((await session.snapshot()).step).toBe(10);
  });
});
