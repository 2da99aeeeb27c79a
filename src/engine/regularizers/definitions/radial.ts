import { defineRegularizer } from '../spec';

/**
 * What the UI shows and the config validates for the method in ../radial.ts: its id, text and parameter specs. Pure data
 * without tfjs, so the page loads it without the engine.
 */
export const radialDefinition = defineRegularizer({
  id: 'radial',
  label: 'Radial penalty',
  description:
    'Pulls hidden activations onto the sphere of radius √d, stopping the post-memorization inflation.',
  source: 'seed 000 (radial suppression); arXiv 2606.32000',
  params: {
    lambda: {
      kind: 'number',
      label: 'λ',
      description: 'Penalty strength; 0.001–0.05 works, ≥ 0.2 hurts.',
      min: 1e-4,
      max: 1,
      default: 0.01,
      scale: 'log',
    },
    sites: {
      kind: 'choice',
      label: 'sites',
      description: 'Where h is taken: auto = MLP hidden layer / transformer residual stream.',
      options: ['auto', 'hidden', 'residual', 'embedding', 'all'],
      default: 'auto',
    },
  },
});
