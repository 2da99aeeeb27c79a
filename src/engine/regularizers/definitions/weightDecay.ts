import { defineRegularizer } from '../spec';

/**
 * What the UI shows and the config validates for the method in ../weightDecay.ts: its id, text and parameter specs. Pure data
 * without tfjs, so the page loads it without the engine.
 */
export const weightDecayDefinition = defineRegularizer({
  id: 'weightDecay',
  label: 'Weight decay',
  description:
    'Shrinks every weight toward zero each step; the classic ingredient that makes grokking happen.',
  source: 'Loshchilov & Hutter 2019 (AdamW); Power et al. 2022',
  params: {
    coefficient: {
      kind: 'number',
      label: 'coefficient',
      description: 'wd: how strongly weights are pulled to zero per step (times the learning rate).',
      min: 1e-5,
      max: 10,
      default: 1,
      scale: 'log',
    },
    mode: {
      kind: 'choice',
      label: 'mode',
      description: 'decoupled = AdamW; coupled = L2 added to the gradient before Adam.',
      options: ['decoupled', 'coupled'],
      default: 'decoupled',
    },
  },
});
