import { defineRegularizer } from '../spec';

/**
 * What the UI shows and the config validates for the method in ../frobenius.ts: its id, text and parameter specs. Pure data
 * without tfjs, so the page loads it without the engine.
 */
export const frobeniusDefinition = defineRegularizer({
  id: 'frobenius',
  label: 'Delayed Frobenius',
  description:
    'After memorization, adds λ·Σ‖W‖²_F over weight matrices and embeddings (not biases) to the loss.',
  source: 'seed 003; LessWrong post 38RcAQezS2AEcaEGv',
  params: {
    lambda: {
      kind: 'number',
      label: 'λ',
      description:
        'Penalty strength. The source uses 0.01, which collapsed the weights under Adam here; 1e-4–1e-3 works.',
      min: 1e-6,
      max: 1,
      // Measured, not copied: the source's 0.01 drove the MLP's norm from 56 to 1.4 (train accuracy 4%).
      default: 1e-3,
      scale: 'log',
    },
    trigger: {
      kind: 'choice',
      label: 'trigger',
      description:
        'accuracy = start once train accuracy reaches the threshold; step = start at a fixed step.',
      options: ['accuracy', 'step'],
      default: 'accuracy',
    },
    threshold: {
      kind: 'number',
      label: 'train accuracy',
      description: 'Phase 2 starts at the first evaluation with train accuracy at or above this.',
      min: 0.5,
      max: 1,
      default: 0.99,
      scale: 'linear',
    },
    startStep: {
      kind: 'number',
      label: 'start step',
      description: 'With the step trigger: phase 2 starts at this step.',
      min: 0,
      max: 1_000_000,
      default: 1000,
      scale: 'linear',
      integer: true,
    },
  },
});
