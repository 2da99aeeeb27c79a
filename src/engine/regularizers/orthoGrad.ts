import * as tf from '@tensorflow/tfjs-core';
import { addAll } from '../ops';
import { weightParameterNames } from './frobenius';
import { implementRegularizer, type LiveScalar } from './spec';
import { orthoGradDefinition } from './definitions/orthoGrad';

/**
 * g⊥ = g − (w·g / w·w)·w, rescaled to ‖g‖: the gradient with its component along the weights removed, at the
 * original step size. Guards: w = 0 leaves g as is (no direction to remove); g ∥ w gives 0, as in the authors'
 * code (their 1e-30 epsilons), instead of 0/0.
 */
export function orthogonalize(w: tf.Tensor, g: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const projection = tf.divNoNan(tf.sum(tf.mul(w, g)), tf.sum(tf.square(w)));
    const orthogonal = tf.sub(g, tf.mul(projection, w));
    const scale = tf.divNoNan(tf.norm(g), tf.norm(orthogonal));
    return tf.mul(orthogonal, scale);
  });
}

/**
 * Share of the gradient's energy that points along the weights, Σ(w·g)²/‖w‖² / Σ‖g‖², over all given pairs:
 * the part ⊥Grad throws away (the push that only scales the weights up, toward softmax collapse).
 */
export function radialGradientShare(
  weights: readonly tf.Tensor[],
  gradients: readonly tf.Tensor[],
): tf.Scalar {
  return tf.tidy(() => {
    const along = addAll(
      weights.map((w, i) => tf.divNoNan(tf.square(tf.sum(tf.mul(w, gradients[i]))), tf.sum(tf.square(w)))),
    );
    const total = addAll(gradients.map((g) => tf.sum(tf.square(g))));
    return tf.divNoNan(along, total) as tf.Scalar;
  });
}

/**
 * ⊥Grad (Prieto et al. 2025): scaling the weights up is the cheapest way to lower the loss once the training set
 * is memorized, and drives the logits toward the float limit ("softmax collapse"); projecting that direction out
 * of every parameter's gradient leaves only changes of direction.
 */
export const orthoGrad = implementRegularizer({
  ...orthoGradDefinition,
  create() {
    let lastShare: tf.Tensor | null = null;
    return {
      transformGradients(gradients, context, params) {
        const selected = new Set(
          params.groups === 'all' ? Object.keys(gradients) : weightParameterNames(context.parameterInfo),
        );
        const names = Object.keys(gradients).filter((name) => selected.has(name));
        if (names.length === 0) return gradients;
        const result: tf.NamedTensorMap = { ...gradients };
        for (const name of names) result[name] = orthogonalize(context.parameters[name], gradients[name]);
        lastShare?.dispose();
        lastShare = tf.keep(
          radialGradientShare(
            names.map((name) => context.parameters[name]),
            names.map((name) => gradients[name]),
          ),
        );
        return result;
      },
      scalars(): Record<string, LiveScalar> {
        return lastShare ? { radialShare: lastShare } : {};
      },
      dispose() {
        lastShare?.dispose();
        lastShare = null;
      },
    };
  },
});
