import * as tf from '@tensorflow/tfjs-core';
import { sumOfSquares } from '../metrics/norms';
import type { ParameterInfo } from '../models/model';
import { defineRegularizer, type LiveScalar } from './spec';

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
export const frobenius = defineRegularizer({
  id: 'frobenius',
  label: 'Delayed Frobenius',
  description:
    'After memorization, adds λ·Σ‖W‖²_F over weight matrices and embeddings (not biases) to the loss.',
  source: 'seed 003; LessWrong post 38RcAQezS2AEcaEGv',
  params: {
    lambda: {
      kind: 'number',
      label: 'λ',
      description:
        'Penalty strength. The source uses 0.01, which collapsed the weights under Adam here; 1e-4–1e-3 works.',
      min: 1e-6,
      max: 1,
      // Measured, not copied: the source's 0.01 drove the MLP's norm from 56 to 1.4 (train accuracy 4%).
      default: 1e-3,
      scale: 'log',
    },
    trigger: {
      kind: 'choice',
      label: 'trigger',
      description:
        'accuracy = start once train accuracy reaches the threshold; step = start at a fixed step.',
      options: ['accuracy', 'step'],
      default: 'accuracy',
    },
    threshold: {
      kind: 'number',
      label: 'train accuracy',
      description: 'Phase 2 starts at the first evaluation with train accuracy at or above this.',
      min: 0.5,
      max: 1,
      default: 0.99,
      scale: 'linear',
    },
    startStep: {
      kind: 'number',
      label: 'start step',
      description: 'With the step trigger: phase 2 starts at this step.',
      min: 0,
      max: 1_000_000,
      default: 1000,
      scale: 'linear',
      integer: true,
    },
  },
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
