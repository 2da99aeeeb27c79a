import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../node';
import { Trainer } from '../trainer';
import { weightParameterNames } from './frobenius';
import { clampNorm, jointNorm } from './normClamp';
import { mlpConfig, values } from './testSupport';

beforeAll(async () => {
  await initNodeBackend();
});

describe('norm clamp math', () => {
  it('rescales jointly to the target: (3, 4) and (0) → norm 10 is (6, 8) and (0), scale 2', async () => {
    const { rescaled, scale } = clampNorm([tf.tensor1d([3, 4]), tf.tensor1d([0])], 10);
    expect(await values(rescaled[0])).toEqual([expect.closeTo(6, 5), expect.closeTo(8, 5)]);
    expect(await values(rescaled[1])).toEqual([0]);
    expect((await values(scale))[0]).toBeCloseTo(2, 6);
    expect(jointNorm([3, 4])).toBe(5);
  });

  it('leaves all-zero weights at zero instead of NaN', async () => {
    const { rescaled } = clampNorm([tf.zeros([3])], 5);
    expect(await values(rescaled[0])).toEqual([0, 0, 0]);
  });
});

async function weightNorm(trainer: Trainer): Promise<number> {
  let sum = 0;
  for (const name of weightParameterNames(trainer.model.parameterInfo)) {
    const { values: entries } = await trainer.readParameter(name);
    for (const v of entries) sum += v * v;
  }
  return Math.sqrt(sum);
}

describe('norm clamp in training', () => {
  it('holds the weight norm at the start norm within 1e-4 (relative) after every step from the start step', async () => {
    const trainer = new Trainer(
      mlpConfig({
        seed: 0,
        regularizers: { normClamp: { enabled: true, startStep: 50, mode: 'startNorm' } },
      }),
    );
    for (let i = 0; i < 49; i++) trainer.trainStep();
    const before = await weightNorm(trainer);
    trainer.trainStep(); // step 50: the clamp starts at the norm this step reached
    const target = await weightNorm(trainer);
    expect(target).not.toBeCloseTo(before, 2); // weights were still moving
    for (let i = 0; i < 60; i++) {
      trainer.trainStep();
      if (i % 10 === 9) expect(Math.abs((await weightNorm(trainer)) / target - 1)).toBeLessThan(1e-4);
    }
    const { record } = await trainer.evaluate();
    expect(record.regularizers.normClamp.target).toBeCloseTo(target, 2);
    expect(record.regularizers.normClamp.scale).toBeGreaterThan(0.9);
    expect(record.trainAccuracy).toBeGreaterThan(0.5); // still learning under the clamp
    trainer.dispose();
  }, 120_000);

  it('initNorm holds ρ × the weight norm at initialization; absolute holds the given target', async () => {
    const trainer = new Trainer(
      mlpConfig({
        seed: 0,
        regularizers: { normClamp: { enabled: true, startStep: 0, mode: 'initNorm', rho: 0.8 } },
      }),
    );
    const initial = jointNorm(
      weightParameterNames(trainer.model.parameterInfo).map((name) => trainer.initialParameterNorms[name]),
    );
    for (let i = 0; i < 5; i++) trainer.trainStep();
    expect((await weightNorm(trainer)) / (0.8 * initial)).toBeCloseTo(1, 4);
    trainer.update({ regularizers: { normClamp: { mode: 'absolute', target: 30 } } });
    trainer.trainStep();
    expect((await weightNorm(trainer)) / 30).toBeCloseTo(1, 4);
    trainer.dispose();
  }, 60_000);
});
