import * as tf from '@tensorflow/tfjs-core';
import { implementRegularizer } from './spec';
import { stableMaxDefinition } from './definitions/stableMax';

/** s(x) = x + 1 for x ≥ 0, 1/(1 − x) for x < 0, written as (1 + relu(x)) / (1 + relu(−x)) so no branch divides by 0. */
export function stableMaxScores(logits: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.div(tf.add(tf.relu(logits), 1), tf.add(tf.relu(tf.neg(logits)), 1)));
}

/**
 * Mean −log p_target with p_i = s(x_i)/Σ_j s(x_j), logits [M, C], one-hot targets [M, C]. log s(x) is taken as
 * log1p(relu(x)) − log1p(relu(−x)), exact on both branches and never log 0; the sum is floored before its log.
 */
export function stableMaxCrossEntropy(logits: tf.Tensor, oneHotTargets: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const logScores = tf.sub(tf.log1p(tf.relu(logits)), tf.log1p(tf.relu(tf.neg(logits))));
    const logTotal = tf.log(tf.maximum(tf.sum(stableMaxScores(logits), -1), 1e-30));
    const logTarget = tf.sum(tf.mul(logScores, oneHotTargets), -1);
    return tf.mean(tf.sub(logTotal, logTarget)) as tf.Scalar;
  });
}

/**
 * StableMax (Prieto et al. 2025): exp grows so fast that, once the training set is fitted, the softmax of a
 * few large logits rounds to exactly 1 and the gradient vanishes ("softmax collapse"). s(x) grows only linearly,
 * so the loss keeps a usable gradient and the model can grok without weight decay. Only the training loss is
 * replaced; evaluation still reports softmax cross-entropy, so curves stay comparable across methods.
 */
export const stableMax = implementRegularizer({
  ...stableMaxDefinition,
  create() {
    return {
      crossEntropy: (logits, oneHotTargets) => stableMaxCrossEntropy(logits, oneHotTargets),
      scalars: () => ({}),
      dispose() {},
    };
  },
});
