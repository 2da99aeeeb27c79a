import { defineRegularizer } from '../spec';

/**
 * What the UI shows and the config validates for the method in ../grokfast.ts: its id, text and parameter specs. Pure data
 * without tfjs, so the page loads it without the engine.
 */
export const grokfastDefinition = defineRegularizer({
  id: 'grokfast',
  label: 'Grokfast',
  description: 'Amplifies the slow-moving part of the gradient (EMA or moving-average low-pass filter).',
  source: 'Lee et al. 2024, arXiv 2405.20233; ironjr/grokfast',
  params: {
    variant: {
      kind: 'choice',
      label: 'filter',
      description:
        'ema = exponential moving average (α, λ); ma = mean of the last w gradients (w, λ window).',
      options: ['ema', 'ma'],
      default: 'ema',
    },
    alpha: {
      kind: 'number',
      label: 'α',
      description: 'EMA momentum: closer to 1 keeps a slower, longer memory of past gradients.',
      min: 0.5,
      max: 0.999,
      default: 0.98,
      scale: 'linear',
    },
    lambda: {
      kind: 'number',
      label: 'λ (EMA)',
      description: 'EMA amplification: g ← g + λ·μ.',
      min: 0,
      max: 10,
      default: 2,
      scale: 'linear',
    },
    window: {
      kind: 'number',
      label: 'window w',
      description: 'MA window in steps; no effect until it has filled. Memory: w copies of the gradient.',
      min: 2,
      max: 200,
      default: 100,
      scale: 'linear',
      integer: true,
    },
    windowLambda: {
      kind: 'number',
      label: 'λ (MA)',
      description: 'MA amplification: g ← g + λ·mean(last w gradients).',
      min: 0,
      max: 20,
      default: 5,
      scale: 'linear',
    },
  },
});
