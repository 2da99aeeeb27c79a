import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config';
import { initNodeBackend } from './node';
import { AdamW } from './optimizer';

beforeAll(async () => {
  await initNodeBackend();
});

describe('AdamW', () => {
  it('matches a hand-computed step with decoupled decay', () => {
    const theta = tf.variable(tf.tensor1d([1, -2]));
    const optimizer = new AdamW({ theta });
    const config = {
      ...DEFAULT_CONFIG.optimizer,
      lr: 0.1,
      beta1: 0.9,
      beta2: 0.99,
      epsilon: 1e-8,
      warmupSteps: 0,
    };
    const gradient = tf.tensor1d([0.5, -0.25]);
    optimizer.apply({ theta: gradient }, config, 0.5);
    // First step: m̂ = g, v̂ = g², so the Adam direction is sign(g) (up to ε).
    const expected = [1 - 0.1 * (1 + 0.5 * 1), -2 - 0.1 * (-1 + 0.5 * -2)];
    const values = theta.dataSync();
    expect(values[0]).toBeCloseTo(expected[0], 5);
    expect(values[1]).toBeCloseTo(expected[1], 5);
    expect(optimizer.step).toBe(1);
    optimizer.dispose();
    tf.dispose([theta, gradient]);
  });

  it('warms the learning rate up linearly', () => {
    const theta = tf.variable(tf.zeros([1]));
    const optimizer = new AdamW({ theta });
    const config = { ...DEFAULT_CONFIG.optimizer, lr: 1, warmupSteps: 4 };
    expect(optimizer.learningRate(config)).toBeCloseTo(0.25);
    optimizer.dispose();
    theta.dispose();
  });

  it('round-trips its state', async () => {
    const theta = tf.variable(tf.tensor1d([1, 2]));
    const optimizer = new AdamW({ theta });
    const gradient = tf.tensor1d([1, 1]);
    optimizer.apply({ theta: gradient }, DEFAULT_CONFIG.optimizer, 0);
    const state = await optimizer.getState();
    const other = new AdamW({ theta });
    other.setState(state);
    expect(await other.getState()).toEqual(state);
    optimizer.dispose();
    other.dispose();
    tf.dispose([theta, gradient]);
  });
});
