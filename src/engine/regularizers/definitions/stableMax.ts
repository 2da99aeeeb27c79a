import { defineRegularizer } from '../spec';

/**
 * What the UI shows and the config validates for the method in ../stableMax.ts: its id, text and parameter specs. Pure data
 * without tfjs, so the page loads it without the engine.
 */
export const stableMaxDefinition = defineRegularizer({
  id: 'stableMax',
  label: 'StableMax',
  description:
    'Trains with StableMax cross-entropy: exp(x) replaced by a linear/hyperbolic s(x) that cannot overflow.',
  source: 'Prieto et al. 2025, "Grokking at the edge of numerical stability"',
  params: {},
});
