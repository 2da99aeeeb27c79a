import * as tf from '@tensorflow/tfjs-core';

/** ‖h‖₂ of every representation: h [..., d] → [M] with M the product of the leading axes. */
export function rowNorms(activation: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const d = activation.shape[activation.shape.length - 1];
    const rows = tf.reshape(activation, [-1, d]);
    // The epsilon keeps the gradient of the norm finite at h = 0.
    return tf.sqrt(tf.add(tf.sum(tf.square(rows), 1), 1e-12));
  });
}

/** Mean hidden-activation radius: the average ‖h‖₂ over examples (and positions). */
export function meanActivationRadius(activation: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(rowNorms(activation)));
}
