import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from './node';
import { copyBox, installWasmSlice } from './wasmSlice';
import { createRandom } from './random';

/** Every slice and split case the engine makes, and some it does not. */
const SLICES: { shape: number[]; begin: number[]; size: number[] }[] = [
  { shape: [222_592], begin: [12_544], size: [384] },
  { shape: [7, 3, 5], begin: [0, 2, 0], size: [7, 1, 5] },
  { shape: [7, 3, 5], begin: [1, 1, 2], size: [5, 2, -1] },
  { shape: [4, 6], begin: [1, 2], size: [2, 3] },
  { shape: [3, 4, 5, 6], begin: [1, 0, 2, 1], size: [2, 4, 2, 4] },
  { shape: [2, 3, 2, 3, 2], begin: [1, 1, 0, 1, 1], size: [1, 2, 2, 2, 1] },
  { shape: [5], begin: [2], size: [0] },
];
const SPLITS: { shape: number[]; sizes: number[]; axis: number }[] = [
  { shape: [100], sizes: [10, 40, 50], axis: 0 },
  { shape: [6, 9], sizes: [2, 3, 4], axis: 1 },
  { shape: [4, 3, 2], sizes: [1, 3], axis: 0 },
];

function values(shape: number[], seed: number): tf.Tensor {
  const random = createRandom(seed);
  const data = Float32Array.from({ length: tf.util.sizeFromShape(shape) }, () => random.next());
  return tf.tensor(data, shape);
}

function run(): number[][] {
  return tf.tidy(() => [
    ...SLICES.map(({ shape, begin, size }, i) =>
      Array.from(tf.slice(values(shape, i), begin, size).dataSync()),
    ),
    ...SPLITS.flatMap(({ shape, sizes, axis }, i) =>
      tf.split(values(shape, 100 + i), sizes, axis).map((part) => Array.from(part.dataSync())),
    ),
    Array.from(tf.slice(tf.tensor1d([3, 1, 4, 1, 5], 'int32'), 1, 3).dataSync()),
  ]);
}

describe('wasm Slice/SplitV reading heap views', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  it('gives exactly what the upstream kernels give, on every case', () => {
    expect(tf.getBackend()).toBe('wasm');
    const upstream = run();
    installWasmSlice();
    const before = tf.memory().numTensors;
    expect(run()).toEqual(upstream);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('copyBox matches a naive index walk', () => {
    const shape = [3, 4, 5];
    const source = Float32Array.from({ length: 60 }, (_, i) => i);
    const out = new Float32Array(2 * 2 * 3);
    copyBox(source, shape, [1, 2, 1], [2, 2, 3], out);
    const naive: number[] = [];
    for (let i = 1; i < 3; i++)
      for (let j = 2; j < 4; j++) for (let k = 1; k < 4; k++) naive.push(i * 20 + j * 5 + k);
    expect(Array.from(out)).toEqual(naive);
  });
});
