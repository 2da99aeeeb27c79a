import { defineRegularizer } from '../spec';

/**
 * What the UI shows and the config validates for the method in ../normClamp.ts: its id, text and parameter specs. Pure data
 * without tfjs, so the page loads it without the engine.
 */
export const normClampDefinition = defineRegularizer({
  id: 'normClamp',
  label: 'Weight-norm clamp',
  description: 'From a start step on, rescales all weight matrices and embeddings together to a fixed norm.',
  source: 'seed 002; arXiv 2606.13753; Omnigrok (Liu et al. 2023)',
  params: {
    mode: {
      kind: 'choice',
      label: 'target',
      description:
        'startNorm = ρ × the norm at the start step; initNorm = ρ × the norm at init; absolute = target.',
      options: ['startNorm', 'initNorm', 'absolute'],
      default: 'startNorm',
    },
    rho: {
      kind: 'number',
      label: 'ρ',
      description:
        'Multiplier on the reference norm (ignored for an absolute target); above ≈ 1 delays grokking.',
      min: 0.1,
      max: 3,
      default: 1,
      scale: 'linear',
    },
    target: {
      kind: 'number',
      label: 'absolute norm',
      description: 'The weight norm to hold when the target is absolute.',
      min: 0.1,
      max: 10_000,
      default: 50,
      scale: 'log',
    },
    startStep: {
      kind: 'number',
      label: 'start step',
      description: 'The clamp acts after every optimizer step from this step on.',
      min: 0,
      max: 1_000_000,
      default: 500,
      scale: 'linear',
      integer: true,
    },
  },
});
