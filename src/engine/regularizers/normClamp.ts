import * as tf from '@tensorflow/tfjs-core';
import { globalNorm } from '../metrics/norms';
import { weightParameterNames } from './frobenius';
import { implementRegularizer, type LiveScalar } from './spec';
import { normClampDefinition } from './definitions/normClamp';

/**
 * θ ← θ·(target/‖θ‖₂), jointly over the given tensors: the direction is kept, the total norm is set.
 * Returns the rescaled tensors and the factor applied (1 guarded against ‖θ‖ = 0 by a tiny floor).
 */
export function clampNorm(
  weights: readonly tf.Tensor[],
  target: number | tf.Scalar,
): { rescaled: tf.Tensor[]; scale: tf.Scalar } {
  return tf.tidy(() => {
    const scale = tf.div(target, tf.maximum(globalNorm(weights), 1e-12)) as tf.Scalar;
    return { rescaled: weights.map((weight) => tf.mul(weight, scale)), scale };
  });
}

/** √(Σ nᵢ²): the joint norm of tensors whose individual norms are known. */
export function jointNorm(norms: readonly number[]): number {
  return Math.sqrt(norms.reduce((sum, n) => sum + n * n, 0));
}

function asVariable(tensor: tf.Tensor, name: string): tf.Variable {
  if (!(tensor instanceof tf.Variable)) throw new Error(`normClamp: parameter ${name} is not a variable`);
  return tensor;
}

/**
 * Weight-norm clamp: from a chosen step on, the weight matrices and embeddings (together; biases and gains are
 * left free) are rescaled after every optimizer step to a fixed total norm. Adam's moments are not reset, so the
 * optimizer keeps its memory while the norm is pinned; the clamp isolates the role of the weight norm.
 */
export const normClamp = implementRegularizer({
  ...normClampDefinition,
  create() {
    // The weight norm when the clamp first acted (startNorm's reference), kept on the device to avoid a sync.
    let startNorm: tf.Tensor | null = null;
    let lastScale: tf.Tensor | null = null;
    let lastTarget: tf.Tensor | null = null;
    return {
      afterStep(context, params) {
        if (context.step < params.startStep) return;
        const names = weightParameterNames(context.parameterInfo);
        if (names.length === 0) return;
        const variables = names.map((name) => asVariable(context.parameters[name], name));
        if (startNorm === null) startNorm = tf.keep(globalNorm(variables));
        const reference = startNorm;
        const target = tf.tidy(() => {
          switch (params.mode) {
            case 'absolute':
              return tf.scalar(params.target);
            case 'initNorm':
              return tf.scalar(
                params.rho * jointNorm(names.map((name) => context.initialParameterNorms[name] ?? 0)),
              );
            case 'startNorm':
              return tf.mul(reference, params.rho) as tf.Scalar;
          }
        });
        const { rescaled, scale } = clampNorm(variables, target);
        variables.forEach((variable, i) => variable.assign(rescaled[i]));
        tf.dispose(rescaled);
        lastScale?.dispose();
        lastTarget?.dispose();
        lastScale = tf.keep(scale);
        lastTarget = tf.keep(target);
      },
      scalars() {
        const values: Record<string, LiveScalar> = {};
        if (lastScale) values.scale = lastScale;
        if (lastTarget) values.target = lastTarget;
        return values;
      },
      dispose() {
        tf.dispose([startNorm, lastScale, lastTarget].filter((t): t is tf.Tensor => t !== null));
        startNorm = lastScale = lastTarget = null;
      },
    };
  },
});
