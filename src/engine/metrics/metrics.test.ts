import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../node';
import { absoluteGradientEntropy } from './age';
import { globalNorm, hostNorms, sumOfSquares } from './norms';
import { meanActivationRadius } from './radius';
import { radialEnergyShare } from './radialShare';
import { summarizeSplits } from './split';
import { stepsToGrok, stepsToMemorize } from './stepsToGrok';

const value = (scalar: tf.Tensor): number => {
  const result = scalar.dataSync()[0];
  scalar.dispose();
  return result;
};

beforeAll(async () => {
  await initNodeBackend();
});

describe('metrics', () => {
  it('weight norm over several tensors', () => {
    const tensors = [tf.tensor1d([3]), tf.tensor2d([[4, 0]])];
    expect(value(globalNorm(tensors))).toBeCloseTo(5);
    expect(value(sumOfSquares(tensors))).toBeCloseTo(25);
    tf.dispose(tensors);
  });

  it('host norms: per name and all together, as the tensors would give', () => {
    const norms = hostNorms([
      ['w', Float32Array.of(3, 0)],
      ['b', Float32Array.of(0, 4)],
      ['empty', new Float32Array(0)],
    ]);
    expect(norms).toEqual({ total: 5, byName: { w: 3, b: 4, empty: 0 } });
  });

  it('mean activation radius', () => {
    const h = tf.tensor2d([
      [3, 4],
      [0, 1],
    ]);
    expect(value(meanActivationRadius(h))).toBeCloseTo((5 + 1) / 2);
    h.dispose();
  });

  it('radial share of gradient energy', () => {
    // Row 1: δ = (1, 1) against h along x: radial part (1, 0), energy 1 of 2.
    // Row 2: δ = (0, 2) against h along y: all radial, energy 4 of 4.
    const h = tf.tensor2d([
      [2, 0],
      [0, 3],
    ]);
    const delta = tf.tensor2d([
      [1, 1],
      [0, 2],
    ]);
    expect(value(radialEnergyShare(h, delta))).toBeCloseTo(5 / 6);
    const zero = tf.zeros([2, 2]);
    expect(value(radialEnergyShare(h, zero))).toBe(0);
    tf.dispose([h, delta, zero]);
  });

  it('absolute gradient entropy', () => {
    // |g| = (1, 1, 2) → p = (¼, ¼, ½): H = −2·¼ ln ¼ − ½ ln ½ = 1.5 ln 2.
    const gradients = [tf.tensor1d([1, -1]), tf.tensor1d([2])];
    expect(value(absoluteGradientEntropy(gradients))).toBeCloseTo(1.5 * Math.LN2, 5);
    const sparse = [tf.tensor1d([0, 0, 5])];
    expect(value(absoluteGradientEntropy(sparse))).toBeCloseTo(0, 6);
    tf.dispose([...gradients, ...sparse]);
  });

  it('splits loss and accuracy by train/test', () => {
    const summary = summarizeSplits([1, 2, 3, 4], [1, 0, 1, 1], [1, 1, 0, 0]);
    expect(summary).toEqual({ trainAccuracy: 0.5, testAccuracy: 1, trainLoss: 1.5, testLoss: 3.5 });
  });

  it('steps-to-grok and steps-to-memorize', () => {
    const history = [
      { step: 0, trainAccuracy: 0.1, testAccuracy: 0.01 },
      { step: 100, trainAccuracy: 1, testAccuracy: 0.05 },
      { step: 900, trainAccuracy: 1, testAccuracy: 0.95 },
      { step: 1000, trainAccuracy: 1, testAccuracy: 0.995 },
    ];
    expect(stepsToMemorize(history)).toBe(100);
    expect(stepsToGrok(history)).toBe(1000);
    expect(stepsToGrok(history, 0.9)).toBe(900);
    expect(stepsToGrok(history.slice(0, 2))).toBeNull();
  });
});
