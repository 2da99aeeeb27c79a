import { frobenius } from './frobenius';
import { grokfast } from './grokfast';
import { neuralGrok } from './neuralGrok';
import { normClamp } from './normClamp';
import { orthoGrad } from './orthoGrad';
import { radial } from './radial';
import type { RegularizerId, REGULARIZERS } from './registry';
import type { RegularizerImplementation } from './spec';
import { stableMax } from './stableMax';
import { weightDecay } from './weightDecay';

/**
 * The tfjs implementation of every method in the registry, by id (the engine's side; the page never imports
 * this). The type makes a missing method, or an implementation whose parameters differ from its definition's, a
 * compile error.
 */
export const REGULARIZER_IMPLEMENTATIONS: {
  [K in RegularizerId]: RegularizerImplementation<(typeof REGULARIZERS)[K]['params']>;
} = {
  weightDecay,
  radial,
  grokfast,
  frobenius,
  normClamp,
  neuralGrok,
  orthoGrad,
  stableMax,
};
