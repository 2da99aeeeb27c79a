import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { FAST_PATHS } from '../fastPaths';
import { initNodeBackend } from '../node';
import { createRandom } from '../random';
import {
  oneHotProduct,
  oneHotProductAvailable,
  simdOneHotProductAvailable,
  sparseRowsProduct,
} from './oneHotProduct';
import { simdKernels } from './simd/simdKernels';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

/** One-hot rows with two nonzero columns each, plus a row of zeros and a row with a value that is not 1. */
function dataRows(rows: number, inner: number, seed: number): tf.Tensor2D {
  const random = createRandom(seed);
  const values = new Float32Array(rows * inner);
  for (let r = 0; r < rows - 1; r++) {
    values[r * inner + Math.floor(random.next() * (inner / 2))] = 1;
    values[r * inner + inner / 2 + Math.floor(random.next() * (inner / 2))] = 1;
  }
  values[2 * inner + 1] = 2.5;
  return tf.tensor2d(values, [rows, inner]);
}

const normal = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

function expectClose(actual: tf.Tensor, expected: tf.Tensor): void {
  expect(actual.shape).toEqual(expected.shape);
  const reference = expected.dataSync();
  const values = actual.dataSync();
  let worst = 0;
  values.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - reference[i]))));
  expect(worst).toBeLessThan(1e-4);
}

for (const simd of [true, false])
  describe(`one-hot product kernels (wasm, ${simd ? 'WebAssembly SIMD' : 'JavaScript passes'})`, () => {
    beforeEach(() => {
      FAST_PATHS.simdKernels = simd;
    });
    afterEach(() => {
      FAST_PATHS.simdKernels = true;
    });

    it('runs on the wasm backend', () => {
      expect(oneHotProductAvailable()).toBe(true);
      expect(simdOneHotProductAvailable()).toBe(simd);
    });

    for (const [label, withBias, relu] of [
      ['bias + ReLU (the factored first layer)', true, true],
      ['bias, no activation', true, false],
      ['no bias, no activation (an embedding lookup)', false, false],
      ['no bias, ReLU', false, true],
    ] as const) {
      for (const dtype of ['float32', 'int32'] as const)
        it(`${label}, ${dtype} data: value and gradients equal the dense product's`, () => {
          const floats = dataRows(9, 8, 1);
          // int32 as the tasks make one-hots (the 2.5 truncates to 2); the dense reference multiplies the same values.
          const x = dtype === 'int32' ? (tf.cast(floats, 'int32') as tf.Tensor2D) : floats;
          // 5 columns: the SIMD loops take four, their scalar tails one.
          const w = normal([8, 5], 2);
          const b = normal([5], 3);
          const target = normal([9, 5], 4);
          const dense = (weight: tf.Tensor, bias: tf.Tensor) => {
            const product = tf.matMul(tf.cast(x, 'float32'), weight);
            const withB = withBias ? tf.add(product, bias) : product;
            return relu ? tf.relu(withB) : withB;
          };
          const sparse = (weight: tf.Tensor, bias: tf.Tensor) =>
            oneHotProduct(x, weight as tf.Tensor2D, withBias ? (bias as tf.Tensor1D) : null, relu);
          expectClose(sparse(w, b), dense(w, b));
          // A loss that weighs every output differently, so each gradient entry is checked.
          const loss = (f: typeof dense) => (weight: tf.Tensor, bias: tf.Tensor) =>
            tf.sum(tf.mul(f(weight, bias), target));
          const inputs = withBias ? [w, b] : [w];
          const denseGrads = tf.grads((...t: tf.Tensor[]) => loss(dense)(t[0], t[1] ?? b))(inputs);
          const sparseGrads = tf.grads((...t: tf.Tensor[]) => loss(sparse)(t[0], t[1] ?? b))(inputs);
          sparseGrads.forEach((grad, i) => expectClose(grad, denseGrads[i]));
          const sparseW = sparseGrads[0];
          // Not trivially zero.
          expect(tf.max(tf.abs(sparseW)).dataSync()[0]).toBeGreaterThan(0.1);
        });
    }

    it('leaves no tensor behind over a forward and backward pass', () => {
      const x = dataRows(6, 4, 5);
      const w = tf.variable(normal([4, 3], 6)) as tf.Variable<tf.Rank.R2>;
      const b = tf.variable(normal([3], 7)) as tf.Variable<tf.Rank.R1>;
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        const { value, grads } = tf.variableGrads(() => tf.sum(oneHotProduct(x, w, b, true)), [w, b]);
        tf.dispose([value, ...Object.values(grads)]);
      }
      expect(tf.memory().numTensors).toBe(before);
    });

    it('a NaN in a selected weight row reaches the output through ReLU (divergence stays visible)', () => {
      const x = tf.tensor2d([[0, 1]]);
      const w = tf.tensor2d([
        [1, 1, 1, 1, 1],
        [NaN, -1, 2, -3, NaN],
      ]);
      const values = Array.from(oneHotProduct(x, w, null, true).dataSync());
      expect(values.slice(1, 4)).toEqual([0, 2, 0]);
      // The JavaScript pass maps NaN to 0 in its ReLU; the SIMD kernel keeps it, as tfjs's Relu does.
      if (simd) {
        expect(values[0]).toBeNaN();
        expect(values[4]).toBeNaN();
      }
    });

    it('sparseRowsProduct: a row without nonzeros gives relu(bias)', () => {
      const out = new Float32Array(2);
      sparseRowsProduct(
        new Float32Array(3),
        new Float32Array(6),
        Float32Array.from([-1, 2]),
        1,
        3,
        2,
        true,
        out,
      );
      expect(Array.from(out)).toEqual([0, 2]);
    });
  });

describe('WebAssembly SIMD kernels', () => {
  it('run on the single-threaded build’s memory, one instance per backend (wasmThreads.test.ts: the shared memory of the threaded build)', () => {
    const backend = tf.backend() as BackendWasm;
    const kernels = simdKernels(backend);
    expect(kernels).not.toBeNull();
    expect(simdKernels(backend)).toBe(kernels);
  });
});
