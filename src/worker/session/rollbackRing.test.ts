import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../engine/config';
import type { TrainerState } from '../../engine/snapshot';
import { FakeTrainer } from '../testing/fakes';
import { rewindTrainer, RollbackRing, stateBytes, type RingLimits } from './rollbackRing';

function state(step: number, floats = 4): TrainerState {
  return {
    config: DEFAULT_CONFIG,
    step,
    parameters: { w: new Float32Array(floats) },
    optimizer: { step, firstMoments: { w: new Float32Array(floats) }, secondMoments: {} },
    history: [],
    events: [],
    batchEpoch: 0,
  };
}

const LIMITS: RingLimits = {
  rollbackIntervalMs: 1000,
  rollbackEveryEvaluations: 3,
  rollbackPoints: 3,
  rollbackMaxBytes: 1_000_000,
};

/** Counts an evaluation at `step` and keeps a point when due, as the run loop does. */
function evaluateAt(ring: RollbackRing, step: number, now: number): void {
  if (ring.countEvaluation(step, now)) ring.keep(state(step), now);
}

describe('rollback ring', () => {
  it('counts weights and both moments', () => {
    expect(stateBytes(state(0, 4))).toBe(32);
  });

  it('keeps the first evaluation, then every n evaluations or after the interval', () => {
    const ring = new RollbackRing(LIMITS);
    for (const step of [0, 10, 20, 30, 40, 50, 60]) evaluateAt(ring, step, 0);
    expect(ring.steps()).toEqual([0, 30, 60]);
    evaluateAt(ring, 70, 5000); // the interval passed
    expect(ring.steps().at(-1)).toBe(70);
  });

  it('does not keep the same step twice', () => {
    const ring = new RollbackRing({ ...LIMITS, rollbackEveryEvaluations: 1 });
    evaluateAt(ring, 0, 0);
    expect(ring.countEvaluation(0, 0)).toBe(false);
  });

  it('over the count, drops the second-oldest: the earliest point stays reachable', () => {
    const ring = new RollbackRing({ ...LIMITS, rollbackEveryEvaluations: 1 });
    for (const step of [0, 1, 2, 3, 4]) evaluateAt(ring, step, 0);
    expect(ring.steps()).toEqual([0, 3, 4]);
  });

  it('over the byte budget, drops points down to one', () => {
    const ring = new RollbackRing({ ...LIMITS, rollbackEveryEvaluations: 1, rollbackMaxBytes: 70 });
    for (const step of [0, 1, 2]) evaluateAt(ring, step, 0);
    expect(ring.steps()).toEqual([0, 2]);
    const tiny = new RollbackRing({ ...LIMITS, rollbackEveryEvaluations: 1, rollbackMaxBytes: 1 });
    evaluateAt(tiny, 0, 0);
    evaluateAt(tiny, 1, 0);
    expect(tiny.steps()).toEqual([1]);
  });

  it('finds the latest point at or before a step; a rewind drops later points and restarts the count', () => {
    const ring = new RollbackRing({ ...LIMITS, rollbackEveryEvaluations: 1 });
    for (const step of [0, 10, 20]) evaluateAt(ring, step, 0);
    expect(ring.atOrBefore(15)?.step).toBe(10);
    expect(ring.atOrBefore(-1)).toBeUndefined();
    expect(ring.latest()?.step).toBe(20);
    ring.rewindTo(10, 100);
    expect(ring.steps()).toEqual([0, 10]);
    const counting = new RollbackRing(LIMITS);
    evaluateAt(counting, 0, 0);
    evaluateAt(counting, 10, 0);
    counting.rewindTo(0, 0);
    evaluateAt(counting, 10, 0);
    evaluateAt(counting, 20, 0);
    expect(counting.steps()).toEqual([0]); // two evaluations since the rewind: not due yet
    counting.clear();
    expect(counting.steps()).toEqual([]);
    expect(counting.countEvaluation(30, 0)).toBe(true);
  });
});

describe('rewinding a trainer to a rollback point', () => {
  it('restores the point and its config, then lowers the learning rate, recorded at that step', async () => {
    const trainer = new FakeTrainer(DEFAULT_CONFIG, 'wasm');
    for (let i = 0; i < 10; i++) trainer.trainStep();
    const point = await trainer.getState();
    for (let i = 0; i < 10; i++) trainer.trainStep();
    trainer.update({ regularizers: { weightDecay: { enabled: true } } });
    const rewound = rewindTrainer(trainer, point, 0.5);
    const lr = DEFAULT_CONFIG.optimizer.lr;
    expect(rewound).toEqual({
      ok: true,
      from: lr,
      lr: lr * 0.5,
      events: [{ step: 10, regularizer: 'optimizer', path: 'optimizer.lr', from: lr, to: lr * 0.5 }],
    });
    expect(trainer.step).toBe(10);
    expect(trainer.config.regularizers.weightDecay.enabled).toBe(
      DEFAULT_CONFIG.regularizers.weightDecay.enabled,
    );
  });

  it('refuses a factor that makes the learning rate invalid, leaving the trainer as it was', async () => {
    const trainer = new FakeTrainer(DEFAULT_CONFIG, 'wasm');
    const point = await trainer.getState();
    trainer.trainStep();
    expect(rewindTrainer(trainer, point, 1e12)).toMatchObject({
      ok: false,
      issues: [{ path: 'optimizer.lr' }],
    });
    expect(trainer.step).toBe(1);
  });
});
