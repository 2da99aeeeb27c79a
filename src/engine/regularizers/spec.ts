import type { NamedTensorMap, Scalar, Tensor } from '@tensorflow/tfjs-core';
import type { RegularizerState } from '../carriedState';
import type { ModelParameters, ParameterInfo, SiteInfo } from '../models/model';

/** One tunable parameter of a regularizer: the single source for its type, validation, default and UI. */
export type ParamSpec =
  | {
      kind: 'number';
      label: string;
      description: string;
      min: number;
      max: number;
      default: number;
      /** Sliders on a log scale for coefficients spanning decades. */
      scale: 'linear' | 'log';
      integer?: boolean;
    }
  | {
      kind: 'choice';
      label: string;
      description: string;
      options: readonly string[];
      default: string;
    }
  | { kind: 'boolean'; label: string; description: string; default: boolean };

export type ParamSpecs = Record<string, ParamSpec>;

export type ParamValue<S extends ParamSpec> = S extends { kind: 'number' }
  ? number
  : S extends { kind: 'boolean' }
    ? boolean
    : S extends { kind: 'choice'; options: readonly (infer O)[] }
      ? O
      : never;

export type ParamValues<P extends ParamSpecs> = { [K in keyof P]: ParamValue<P[K]> };

/** What a regularizer sees of the run it acts on. */
export interface RegularizerContext {
  step: number;
  /** Train accuracy at the latest evaluation (null before the first). */
  lastTrainAccuracy: number | null;
  parameters: ModelParameters;
  parameterInfo: readonly ParameterInfo[];
  sites: readonly SiteInfo[];
  /** Total L2 norm of the parameters at initialization. */
  initialWeightNorm: number;
  /** L2 norm of each parameter at initialization, by name (for norms over a subset, e.g. the weight matrices). */
  initialParameterNorms: Readonly<Record<string, number>>;
  /** The run's seed, for regularizers that draw their own random state (derive a stream with deriveSeed). */
  seed: number;
}

export interface LossContext extends RegularizerContext {
  /** The forward pass's hidden activations, by site name (inside the gradient tape). */
  activations: Record<string, Tensor>;
}

export interface MetaContext extends RegularizerContext {
  /** Loss of the model with the given parameters on the outer (held-out slice of the training) batch. */
  outerLoss(parameters: ModelParameters): Scalar;
}

/** A live scalar for the charts, read back only at evaluation time. */
export type LiveScalar = Tensor | number;

/** The per-run state of an active regularizer. Every hook is optional. */
export interface RegularizerInstance<V> {
  /** A term added to the loss inside the gradient tape. */
  lossTerm?(context: LossContext, params: V): Scalar | null;
  /** Replaces the training cross-entropy (e.g. StableMax). logits [M, C], one-hot targets [M, C]. */
  crossEntropy?(logits: Tensor, oneHotTargets: Tensor, params: V): Scalar;
  /** Rewrites gradients before the optimizer; may keep state. Must not dispose its input. */
  transformGradients?(gradients: NamedTensorMap, context: RegularizerContext, params: V): NamedTensorMap;
  /** Decoupled weight decay coefficient handed to the optimizer this step. */
  decoupledDecay?(params: V): number;
  /** Runs after the optimizer step (e.g. clamping the norm, a meta-update). */
  afterStep?(context: MetaContext, params: V): void;
  /** Named live scalars, e.g. { penalty: ... }. Tensors are owned by the instance. */
  scalars(): Record<string, LiveScalar>;
  /**
   * The instance's carried state (filters, learned networks and their optimizer) as plain data, for snapshots,
   * so a resumed run continues exactly. Absent or null: nothing worth carrying (stateless, or not started yet).
   */
  getState?(): Promise<RegularizerState | null>;
  /** Restores what getState returned (from an instance with the same params). Throws on a mismatched state. */
  setState?(state: RegularizerState): void;
  dispose(): void;
}

/**
 * What the UI shows and the config validates of a method: pure data (no tfjs), so the page can load every
 * definition without the engine. Its implementation adds create() (RegularizerImplementation).
 */
export interface RegularizerDefinition<P extends ParamSpecs = ParamSpecs> {
  id: string;
  label: string;
  /** One line shown in the UI. */
  description: string;
  /** Where it comes from. */
  source: string;
  params: P;
  /** Needs a held-out slice of the training split (NeuralGrok's outer batch). */
  usesHeldOut?: boolean;
}

/** A method's definition plus the per-run instance that does the work (tfjs). */
export interface RegularizerImplementation<
  P extends ParamSpecs = ParamSpecs,
> extends RegularizerDefinition<P> {
  create(): RegularizerInstance<ParamValues<P>>;
}

/** Keeps the parameter types of a definition (literal options, number/boolean kinds) while checking its shape. */
export function defineRegularizer<const P extends ParamSpecs>(
  definition: RegularizerDefinition<P>,
): RegularizerDefinition<P> {
  return definition;
}

/** Keeps the parameter types of an implementation while checking it against the interface. */
export function implementRegularizer<const P extends ParamSpecs>(
  implementation: RegularizerImplementation<P>,
): RegularizerImplementation<P> {
  return implementation;
}

export function defaultParams<P extends ParamSpecs>(params: P): ParamValues<P> {
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(params)) values[key] = spec.default;
  return values as ParamValues<P>;
}
