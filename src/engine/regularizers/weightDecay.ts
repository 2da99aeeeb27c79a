import * as tf from '@tensorflow/tfjs-core';
import { defineRegularizer } from './spec';

/**
 * Weight decay, decoupled (AdamW: the optimizer shrinks θ by lr·wd·θ each step) or coupled (classic L2:
 * wd·θ is added to the gradient, where Adam's rescaling then weakens it for large-gradient coordinates).
 */
export const weightDecay = defineRegularizer({
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
  create() {
    return {
      decoupledDecay: (params) => (params.mode === 'decoupled' ? params.coefficient : 0),
      transformGradients(gradients, context, params) {
        if (params.mode !== 'coupled') return gradients;
        const result: tf.NamedTensorMap = {};
        for (const [name, gradient] of Object.entries(gradients)) {
          result[name] = tf.add(gradient, tf.mul(context.parameters[name], params.coefficient));
        }
        return result;
      },
      scalars: () => ({}),
      dispose() {},
    };
  },
});
