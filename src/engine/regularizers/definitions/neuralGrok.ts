import { defineRegularizer } from '../spec';

/**
 * What the UI shows and the config validates for the method in ../neuralGrok.ts: its id, text and parameter specs. Pure data
 * without tfjs, so the page loads it without the engine.
 */
export const neuralGrokDefinition = defineRegularizer({
  id: 'neuralGrok',
  label: 'NeuralGrok',
  description:
    'A tiny learned network reweights each gradient entry, trained on a held-out slice of the train set.',
  source: 'arXiv 2504.17243; Blackzxy/NeuralOptGrok',
  usesHeldOut: true,
  params: {
    scale: {
      kind: 'number',
      label: 'c',
      description: 'Norm of each parameter tensor’s amplified gradient.',
      min: 0.01,
      max: 100,
      default: 1,
      scale: 'log',
    },
    every: {
      kind: 'number',
      label: 'outer every T',
      description: 'Train the amplifier every T steps on the held-out slice (1/50 of the training split).',
      min: 1,
      max: 100,
      default: 4,
      scale: 'linear',
      integer: true,
    },
    virtualLr: {
      kind: 'number',
      label: 'virtual step η',
      description:
        'SGD step size of the virtual update θ′ = θ − η·g′ whose held-out loss trains the amplifier.',
      min: 1e-5,
      max: 0.1,
      default: 1e-3,
      scale: 'log',
    },
    outerLr: {
      kind: 'number',
      label: 'amplifier lr',
      description: 'Adam learning rate of the amplifier.',
      min: 1e-6,
      max: 1e-2,
      default: 1e-4,
      scale: 'log',
    },
  },
});
