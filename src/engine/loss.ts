import * as tf from '@tensorflow/tfjs-core';

/** Per-row cross-entropy from logits [M, C] and one-hot targets [M, C]. */
export function crossEntropyRows(logits: tf.Tensor, oneHotTargets: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), oneHotTargets), -1)) as tf.Tensor1D);
}

/** Mean cross-entropy over rows. */
export function crossEntropy(logits: tf.Tensor, oneHotTargets: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(crossEntropyRows(logits, oneHotTargets)));
}
