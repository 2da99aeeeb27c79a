import * as tf from '@tensorflow/tfjs-core';

/**
 * Absolute Gradient Entropy (NeuralGrok paper): with pᵢ = |gᵢ| / Σ|g| over every gradient entry of the model,
 * H = −Σ pᵢ ln pᵢ (nats). It rises while a network memorizes and falls while it generalizes.
 */
export function absoluteGradientEntropy(gradients: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    const magnitudes = tf.concat(gradients.map((gradient) => tf.reshape(tf.abs(gradient), [-1])));
    const p = tf.divNoNan(magnitudes, tf.sum(magnitudes));
    // 0·ln 0 = 0: the max() keeps the log finite and the product is 0 anyway.
    return tf.neg(tf.sum(tf.mul(p, tf.log(tf.maximum(p, 1e-30))))) as tf.Scalar;
  });
}
