import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { withFastPaths } from '../fastPaths';
import { initNodeBackend } from '../node';
import { columnSums } from './columnSums';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('columnSums', () => {
  for (const simdKernels of [true, false])
    it(`equals tf.sum over the leading axis (${simdKernels ? 'WebAssembly SIMD' : 'tfjs'}), 7 columns: four lanes and a tail of three`, () => {
      const x = tf.randomNormal([9, 7], 0, 1, 'float32', 5) as tf.Tensor2D;
      const expected = Array.from(tf.sum(x, 0).dataSync());
      const before = tf.memory().numTensors;
      const sums = withFastPaths({ simdKernels }, () => columnSums(x));
      expect(sums.shape).toEqual([7]);
      Array.from(sums.dataSync()).forEach((value, i) => expect(value).toBeCloseTo(expected[i], 5));
      sums.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
});
