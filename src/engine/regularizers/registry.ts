import { frobeniusDefinition } from './definitions/frobenius';
import { grokfastDefinition } from './definitions/grokfast';
import { neuralGrokDefinition } from './definitions/neuralGrok';
import { normClampDefinition } from './definitions/normClamp';
import { orthoGradDefinition } from './definitions/orthoGrad';
import { radialDefinition } from './definitions/radial';
import { stableMaxDefinition } from './definitions/stableMax';
import { weightDecayDefinition } from './definitions/weightDecay';

/**
 * One line per method: its definition (text and parameter specs, pure data — the page imports this without
 * tfjs); the implementations are in implementations.ts, one line each in the same order. The order is the order
 * of the UI cards and of the classroom shortcuts 1–9, and the order in which gradient transforms compose (e.g.
 * Grokfast filters before ⊥Grad projects).
 */
export const REGULARIZERS = {
  weightDecay: weightDecayDefinition,
  radial: radialDefinition,
  grokfast: grokfastDefinition,
  frobenius: frobeniusDefinition,
  normClamp: normClampDefinition,
  neuralGrok: neuralGrokDefinition,
  orthoGrad: orthoGradDefinition,
  stableMax: stableMaxDefinition,
} as const;

export type RegularizerId = keyof typeof REGULARIZERS;

export const REGULARIZER_IDS = Object.keys(REGULARIZERS) as RegularizerId[];
