import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from './node';
import { dense, embed, matMul } from './ops';

beforeAll(async () => {
  await initNodeBackend();
});

const close = (actual: tf.Tensor, expected: tf.Tensor): void => {
  const a = actual.dataSync();
  const e = expected.dataSync();
  expect(actual.shape).toEqual(expected.shape);
  a.forEach((x, i) => expect(x).toBeCloseTo(e[i], 4));
};

describe('ops', () => {
  it('matMul with explicit-transpose gradient equals tf.matMul and its gradient (2-D and batched)', () => {
    const before = tf.memory().numTensors;
    for (const [shapeA, shapeB] of [
      [
        [3, 4],
        [4, 5],
      ],
      [
        [2, 3, 4, 2],
        [2, 3, 2, 4],
      ],
    ]) {
      const a = tf.randomNormal(shapeA, 0, 1, 'float32', 1);
      const b = tf.randomNormal(shapeB, 0, 1, 'float32', 2);
      const ours = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(matMul(x, y))))([a, b]);
      const reference = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y))))([a, b]);
      close(matMul(a, b), tf.matMul(a, b));
      close(ours[0], reference[0]);
      close(ours[1], reference[1]);
    }
    tf.disposeVariables();
    expect(tf.memory().numTensors).toBeGreaterThanOrEqual(before);
  });

  it('embed is a lookup whose table gradient counts the tokens', () => {
    const oneHot = tf.oneHot(tf.tensor1d([2, 0, 2], 'int32'), 3) as tf.Tensor2D;
    const table = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    close(
      embed(oneHot, table),
      tf.tensor2d([
        [5, 6],
        [1, 2],
        [5, 6],
      ]),
    );
    const gradient = tf.grad((t: tf.Tensor) => tf.sum(embed(oneHot, t as tf.Tensor2D)))(table);
    close(
      gradient,
      tf.tensor2d([
        [1, 1],
        [0, 0],
        [2, 2],
      ]),
    );
  });

  it('dense flattens leading axes', () => {
    const x = tf.ones([2, 3, 4]);
    const out = dense(x, tf.ones([4, 5]), tf.ones([5]));
    expect(out.shape).toEqual([2, 3, 5]);
    expect(out.dataSync()[0]).toBe(5);
  });
});
