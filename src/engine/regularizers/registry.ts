import { frobenius } from './frobenius';
import { grokfast } from './grokfast';
import { neuralGrok } from './neuralGrok';
import { normClamp } from './normClamp';
import { orthoGrad } from './orthoGrad';
import { radial } from './radial';
import { stableMax } from './stableMax';
import { weightDecay } from './weightDecay';

/**
 * One line per method. The order is the order of the UI cards and of the classroom shortcuts 1–9, and the order
 * in which gradient transforms compose (e.g. Grokfast filters before ⊥Grad projects).
 */
export const REGULARIZERS = {
  weightDecay,
  radial,
  grokfast,
  frobenius,
  normClamp,
  neuralGrok,
  orthoGrad,
  stableMax,
} as const;

export type RegularizerId = keyof typeof REGULARIZERS;

export const REGULARIZER_IDS = Object.keys(REGULARIZERS) as RegularizerId[];
