import * as tf from '@tensorflow/tfjs-core';
import { deepMerge, resolveConfig, type Config, type DeepPartial } from '../config';
import type { ParameterInfo } from '../models/model';
import { PRESETS } from '../presets';
import type { MetaContext, RegularizerContext } from './spec';

/**
 * Shared by the regularizer tests (not used by the app): configs on the CI-sized problem, and hand-made contexts
 * for driving an instance without a trainer.
 */

/** The mlp preset ((a+b) mod 31, 70% train, 2×64 → 256 → 31, lr 3e-3, AdamW wd 1) with a patch on top. */
export function mlpConfig(patch: DeepPartial<Config> = {}): Config {
  const result = resolveConfig(deepMerge(PRESETS.mlp.config, patch));
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

/** The same problem in the weak-decay regime (wd 0.1), where the hidden radius inflates after memorization. */
export function weakDecayConfig(patch: DeepPartial<Config> = {}): Config {
  return mlpConfig(deepMerge({ regularizers: { weightDecay: { coefficient: 0.1 } } }, patch));
}

/** A context over the given tensors, each treated as a parameter of the given role. */
export function contextFor(
  parameters: Record<string, tf.Tensor>,
  roles: Record<string, ParameterInfo['role']> = {},
  step = 0,
): RegularizerContext {
  const parameterInfo = Object.entries(parameters).map(([name, tensor]) => ({
    name,
    shape: tensor.shape,
    role: roles[name] ?? 'matrix',
  }));
  return {
    step,
    lastTrainAccuracy: null,
    parameters,
    parameterInfo,
    sites: [],
    initialWeightNorm: 0,
    initialParameterNorms: {},
    seed: 0,
  };
}

export function metaContextFor(
  context: RegularizerContext,
  outerLoss: MetaContext['outerLoss'],
): MetaContext {
  return { ...context, outerLoss };
}

export async function values(tensor: tf.Tensor): Promise<number[]> {
  return Array.from(await tensor.data());
}
