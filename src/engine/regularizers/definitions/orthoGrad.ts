import { defineRegularizer } from '../spec';

/**
 * What the UI shows and the config validates for the method in ../orthoGrad.ts: its id, text and parameter specs. Pure data
 * without tfjs, so the page loads it without the engine.
 */
export const orthoGradDefinition = defineRegularizer({
  id: 'orthoGrad',
  label: '⊥Grad',
  description: 'Removes the part of each gradient that points along its weights (pure growth), keeping ‖g‖.',
  source: 'Prieto et al. 2025, "Grokking at the edge of numerical stability"',
  params: {
    groups: {
      kind: 'choice',
      label: 'parameters',
      description: 'all = every parameter tensor, as in the paper; weights = matrices and embeddings only.',
      options: ['all', 'weights'],
      default: 'all',
    },
  },
});
