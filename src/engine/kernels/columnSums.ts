/**
 * Σ over the rows of a [rows, columns] matrix as one WebAssembly SIMD pass on wasm: a dense layer's bias gradient.
 * tfjs-wasm's Sum over the leading axis transposes the whole matrix first (≈ 0.7 ms for the fast transformer's
 * [673, 256] MLP gradient, against ≈ 20 µs of additions).
 */
import * as tf from '@tensorflow/tfjs-core';
import { heapAddresses, registerSimdKernel, simdKernelsActive } from './simd/simdKernels';

const KERNEL = 'GrokColumnSums';

/** Σ_r x[r, :]: one SIMD kernel where the SIMD kernels are active, else tf.sum(x, 0). Not differentiable. */
export function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  if (!simdKernelsActive()) return tf.sum(x, 0);
  registerSimdKernel(KERNEL, (kernels, wasm, inputs) => {
    const { x: matrix } = inputs;
    const [rows, columns] = matrix.shape;
    const out = wasm.makeOutput([columns], 'float32');
    const at = heapAddresses(wasm);
    kernels.columnSums(at(matrix), rows, columns, at(out));
    return out;
  });
  return tf.engine().runKernel(KERNEL, { x }) as tf.Tensor1D;
}
