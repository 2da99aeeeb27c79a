import * as tf from '@tensorflow/tfjs-core';
import { FAST_PATHS } from './fastPaths';
import { simdCrossEntropy, simdCrossEntropyAvailable } from './kernels/softmaxCrossEntropy';

/** Per-row cross-entropy from logits [M, C] and one-hot targets [M, C]. */
export function crossEntropyRows(logits: tf.Tensor, oneHotTargets: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), oneHotTargets), -1)) as tf.Tensor1D);
}

/**
 * Mean cross-entropy over rows. With FAST_PATHS.fusedCrossEntropy it is one taped op whose gradient is written
 * out: ∂/∂logits = (softmax(logits) − targets) / M for targets whose rows sum to 1 (one-hot, as every caller's);
 * the targets are data and get no gradient. On wasm with FAST_PATHS.simdKernels that op is two SIMD passes
 * (kernels/softmaxCrossEntropy.ts).
 */
export function crossEntropy(logits: tf.Tensor, oneHotTargets: tf.Tensor): tf.Scalar {
  if (!FAST_PATHS.fusedCrossEntropy) return tf.tidy(() => tf.mean(crossEntropyRows(logits, oneHotTargets)));
  if (simdCrossEntropyAvailable()) return simdCrossEntropy(logits, oneHotTargets);
  const rows = logits.size / logits.shape[logits.shape.length - 1];
  // The targets are not an input (an input would need a gradient tensor of its own) but saved: the caller may
  // have made them inside the taped function, whose intermediates are freed before the backward pass.
  const fused = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const logProbabilities = tf.logSoftmax(x);
    save([logProbabilities, oneHotTargets]);
    return {
      value: tf.div(tf.neg(tf.sum(tf.mul(logProbabilities, oneHotTargets))), rows),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.mul(tf.sub(tf.exp(saved[0]), saved[1]), tf.div(dy, rows)),
    };
  }) as (x: tf.Tensor) => tf.Scalar;
  return fused(logits);
}
