import { radial } from './radial';
import { weightDecay } from './weightDecay';

/** One line per method. The order is the order of the UI cards and of the classroom shortcuts 1–9. */
export const REGULARIZERS = {
  weightDecay,
  radial,
} as const;

export type RegularizerId = keyof typeof REGULARIZERS;

export const REGULARIZER_IDS = Object.keys(REGULARIZERS) as RegularizerId[];
