import * as tf from '@tensorflow/tfjs-core';
import { addAll } from '../ops';

/** Sum of squared entries over all tensors: Σ‖W‖²_F. */
export function sumOfSquares(tensors: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => addAll(tensors.map((tensor) => tf.sum(tf.square(tensor)))) as tf.Scalar);
}

/** The L2 norm of all tensors taken together, as if flattened into one vector. */
export function globalNorm(tensors: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(sumOfSquares(tensors)));
}

/**
 * The same norms from values on the host, per named tensor and all together, without a read-back from the backend
 * (Float64 sums over float32 values).
 */
export function hostNorms(tensors: readonly (readonly [string, ArrayLike<number>])[]): {
  total: number;
  byName: Record<string, number>;
} {
  const squares = tensors.map(([name, values]) => {
    let square = 0;
    for (let i = 0; i < values.length; i++) square += values[i] * values[i];
    return [name, square] as const;
  });
  return {
    total: Math.sqrt(squares.reduce((sum, [, square]) => sum + square, 0)),
    byName: Object.fromEntries(squares.map(([name, square]) => [name, Math.sqrt(square)])),
  };
}
