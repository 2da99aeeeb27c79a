import * as tf from '@tensorflow/tfjs-core';
import { implementRegularizer } from './spec';
import { weightDecayDefinition } from './definitions/weightDecay';

/**
 * Weight decay, decoupled (AdamW: the optimizer shrinks θ by lr·wd·θ each step) or coupled (classic L2:
 * wd·θ is added to the gradient, where Adam's rescaling then weakens it for large-gradient coordinates).
 */
export const weightDecay = implementRegularizer({
  ...weightDecayDefinition,
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
