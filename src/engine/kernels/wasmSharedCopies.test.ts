import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAST_PATHS } from '../fastPaths';
import { initNodeBackend } from '../node';

beforeAll(async () => {
  // node.ts installs the sharing kernels beside the heap-view Slice.
  await initNodeBackend('wasm');
});

const DEFAULT = FAST_PATHS.sharedCopies;
afterEach(() => {
  FAST_PATHS.sharedCopies = DEFAULT;
});

describe('wasm Identity and same-dtype Cast share their input', () => {
  it('a clone (what the tape makes of every saved tensor) allocates no buffer, and outlives its source', () => {
    expect(tf.getBackend()).toBe('wasm');
    FAST_PATHS.sharedCopies = true;
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const buffers = tf.memory().numDataBuffers;
    const copy = tf.clone(x);
    const same = tf.cast(x, 'float32');
    expect(tf.memory().numDataBuffers).toBe(buffers);
    x.dispose();
    same.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3, 4]);
    copy.dispose();
    expect(tf.memory().numDataBuffers).toBe(buffers - 1);
  });

  it('a cast to another dtype still converts (and copies)', () => {
    FAST_PATHS.sharedCopies = true;
    const x = tf.tensor1d([1.75, -2.5, 3]);
    const buffers = tf.memory().numDataBuffers;
    const asInt = tf.cast(x, 'int32');
    expect(tf.memory().numDataBuffers).toBe(buffers + 1);
    expect(asInt.dtype).toBe('int32');
    expect(Array.from(asInt.dataSync())).toEqual([1, -2, 3]);
    tf.dispose([x, asInt]);
  });

  it('switched off, the upstream kernels copy', () => {
    FAST_PATHS.sharedCopies = false;
    const x = tf.tensor1d([5, 6]);
    const buffers = tf.memory().numDataBuffers;
    const copy = tf.clone(x);
    expect(tf.memory().numDataBuffers).toBe(buffers + 1);
    tf.dispose([x, copy]);
  });

  it('gradients through saved tensors are unchanged', () => {
    const x = tf.tensor2d([0.5, -1, 2, 3], [2, 2]);
    const w = tf.tensor2d([1, 2, -3, 0.25], [2, 2]);
    const grads = (shared: boolean) => {
      FAST_PATHS.sharedCopies = shared;
      return tf
        .grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.exp(tf.matMul(tf.tanh(a), b))))([x, w])
        .map((g) => Array.from(g.dataSync()));
    };
    expect(grads(true)).toEqual(grads(false));
  });
});
