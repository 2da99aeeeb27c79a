import * as tf from '@tensorflow/tfjs-core';

/**
 * Share of gradient energy that is radial with respect to the activations: for each representation h with
 * upstream gradient δ = ∂L/∂h, δ_r = (δ·ĥ)ĥ; returns Σ‖δ_r‖² / Σ‖δ‖² over all rows (0 when δ is 0).
 * The angular share is one minus this.
 */
export function radialEnergyShare(activation: tf.Tensor, gradient: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const d = activation.shape[activation.shape.length - 1];
    const h = tf.reshape(activation, [-1, d]);
    const delta = tf.reshape(gradient, [-1, d]);
    const along = tf.sum(tf.mul(h, delta), 1);
    const radialEnergy = tf.sum(tf.divNoNan(tf.square(along), tf.sum(tf.square(h), 1)));
    const totalEnergy = tf.sum(tf.square(delta));
    return tf.divNoNan(radialEnergy, totalEnergy) as tf.Scalar;
  });
}
