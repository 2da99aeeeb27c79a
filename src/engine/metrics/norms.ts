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
