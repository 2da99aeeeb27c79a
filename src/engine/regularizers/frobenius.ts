import * as tf from '@tensorflow/tfjs-core';
import { sumOfSquares } from '../metrics/norms';
import type { ParameterInfo } from '../models/model';
import { implementRegularizer, type LiveScalar } from './spec';
import { frobeniusDefinition } from './definitions/frobenius';

/** The weight matrices and embeddings: what norm penalties and clamps act on (biases and gains are left alone). */
export function weightParameterNames(parameterInfo: readonly ParameterInfo[]): string[] {
  return parameterInfo
    .filter((info) => info.role === 'matrix' || info.role === 'embedding')
    .map((info) => info.name);
}

/** λ·Σ‖W‖²_F. */
export function frobeniusPenalty(weights: readonly tf.Tensor[], lambda: number): tf.Scalar {
  return tf.tidy(() => tf.mul(sumOfSquares(weights), lambda) as tf.Scalar);
}

export type FrobeniusTrigger = 'accuracy' | 'step';

/** Whether phase 2 should begin: on train accuracy (at the latest evaluation) or at a fixed step. */
export function frobeniusTriggered(
  trigger: FrobeniusTrigger,
  threshold: number,
  startStep: number,
  step: number,
  lastTrainAccuracy: number | null,
): boolean {
  return trigger === 'step'
    ? step >= startStep
    : lastTrainAccuracy !== null && lastTrainAccuracy >= threshold;
}

/**
 * Delayed Frobenius compression: train plainly until the network has memorized, then add an L2 penalty on the
 * weight matrices to squeeze out the memorizing solution. Once in phase 2 it stays there (until switched off).
 */
export const frobenius = implementRegularizer({
  ...frobeniusDefinition,
  create() {
    let phaseStartStep: number | null = null;
    let lastPenalty: tf.Tensor | null = null;
    return {
      lossTerm(context, params) {
        if (phaseStartStep === null) {
          const { step, lastTrainAccuracy } = context;
          if (
            !frobeniusTriggered(params.trigger, params.threshold, params.startStep, step, lastTrainAccuracy)
          ) {
            return null;
          }
          phaseStartStep = step;
        }
        const names = weightParameterNames(context.parameterInfo);
        if (names.length === 0) return null;
        const penalty = frobeniusPenalty(
          names.map((name) => context.parameters[name]),
          params.lambda,
        );
        lastPenalty?.dispose();
        lastPenalty = tf.keep(tf.clone(penalty));
        return penalty;
      },
      scalars() {
        const values: Record<string, LiveScalar> = { phase: phaseStartStep === null ? 1 : 2 };
        if (phaseStartStep !== null) values.phaseStartStep = phaseStartStep;
        if (lastPenalty) values.penalty = lastPenalty;
        return values;
      },
      dispose() {
        lastPenalty?.dispose();
        lastPenalty = null;
        phaseStartStep = null;
      },
    };
  },
});
