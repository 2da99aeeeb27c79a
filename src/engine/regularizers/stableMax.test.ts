import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy } from '../loss';
import { initNodeBackend } from '../node';
import { Trainer } from '../trainer';
import { stableMaxCrossEntropy, stableMaxScores } from './stableMax';
import { mlpConfig, values } from './testSupport';

beforeAll(async () => {
  await initNodeBackend();
});

describe('StableMax', () => {
  it('s(x) = x + 1 for x ≥ 0 and 1/(1 − x) for x < 0', async () => {
    expect(await values(stableMaxScores(tf.tensor1d([-3, -1, 0, 2])))).toEqual([
      expect.closeTo(0.25, 6),
      expect.closeTo(0.5, 6),
      1,
      3,
    ]);
  });

  it('cross-entropy is mean −log(s(x_t)/Σ s(x_j)) over rows', async () => {
    const logits = tf.tensor2d([
      [-1, 0, 2],
      [1, 1, -3],
    ]);
    const targets = tf.tensor2d([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    // Row 1: s = (0.5, 1, 3), target 3 / 4.5. Row 2: s = (2, 2, 0.25), target 2 / 4.25.
    const expected = (-Math.log(3 / 4.5) - Math.log(2 / 4.25)) / 2;
    expect((await values(stableMaxCrossEntropy(logits, targets)))[0]).toBeCloseTo(expected, 5);
  });

  it('has the analytic gradient: ∂/∂x_j = s′(x_j)/Σs − [j = t]·s′(x_t)/s(x_t)', async () => {
    const x = [-2, 0.5, 1.5];
    const s = x.map((v) => (v >= 0 ? v + 1 : 1 / (1 - v)));
    const ds = x.map((v) => (v >= 0 ? 1 : 1 / (1 - v) ** 2));
    const total = s.reduce((a, b) => a + b);
    const expected = x.map((_, j) => ds[j] / total - (j === 1 ? ds[1] / s[1] : 0));
    const gradient = tf.grad((logits: tf.Tensor) => stableMaxCrossEntropy(logits, tf.tensor2d([[0, 1, 0]])))(
      tf.tensor2d([x]),
    );
    (await values(gradient)).forEach((value, j) => expect(value).toBeCloseTo(expected[j], 5));
  });

  it('stays finite, with a usable gradient, where softmax cross-entropy has none (softmax collapse)', async () => {
    const logits = tf.tensor2d([[1e4, -1e4, 0]]);
    const targets = tf.tensor2d([[1, 0, 0]]);
    // float32 softmax rounds the target probability to exactly 1: loss 0 and a zero gradient.
    const softmaxGradient = await values(tf.grad((l: tf.Tensor) => crossEntropy(l, targets))(logits));
    expect(softmaxGradient.every((v) => v === 0)).toBe(true);
    const loss = (await values(stableMaxCrossEntropy(logits, targets)))[0];
    expect(loss).toBeGreaterThan(0);
    const gradient = await values(tf.grad((l: tf.Tensor) => stableMaxCrossEntropy(l, targets))(logits));
    expect(gradient.every(Number.isFinite)).toBe(true);
    expect(gradient.some((v) => v !== 0)).toBe(true);
    const extreme = await values(stableMaxCrossEntropy(tf.tensor2d([[-1e30, -1e30]]), tf.tensor2d([[1, 0]])));
    expect(extreme[0]).toBeCloseTo(Math.log(2), 5);
  });
});

describe('StableMax in training', () => {
  // Measured (tfjs-wasm, seed 0, mlp preset): with AdamW wd 1 it memorizes by step 50 but groks later than plain
  // (test 0.889 at step 2 600 vs plain's 99% at 900). With weight decay off it climbs to 25% test by step 3 000 while
  // plain softmax without decay stays at 0–0.7%: it generalizes some without decay, but does not grok in that budget.
  it('trains to 100% train accuracy (mlp preset, weight decay off)', async () => {
    const trainer = new Trainer(
      mlpConfig({ seed: 0, regularizers: { weightDecay: { enabled: false }, stableMax: { enabled: true } } }),
    );
    for (let i = 0; i < 150; i++) trainer.trainStep();
    const { record } = await trainer.evaluate();
    expect(record.trainAccuracy).toBe(1);
    trainer.dispose();
  }, 120_000);
});
