import type { SweepSpecInput } from './spec';

/** A named sweep: what it asks, and the spec that answers it. The lab's sweep presets and `--sweep NAME` read this. */
export interface NamedSweep {
  title: string;
  /** The question, one paragraph: what to look for in the map. */
  description: string;
  spec: SweepSpecInput;
}

/** One entry per named sweep; a new one is one entry here. */
export const SWEEPS = {
  'radial-map': {
    title: 'Where does the radial penalty help?',
    description:
      'Weight decay × radial penalty λ on the small MLP ((a+b) mod 31, 70% train). DESIGN §4b measured the penalty rescuing weakly regularized runs (wd 0.1: 3.4–5.7× fewer steps) and doing nothing at wd 1. λ = 0 is the penalty switched off.',
    spec: {
      title: 'Where does the radial penalty help? (steps to grok, mlp preset)',
      preset: 'mlp',
      x: { key: 'regularizers.weightDecay.coefficient', values: [0.03, 0.1, 0.3, 1] },
      y: { key: 'regularizers.radial.lambda', values: [0, 0.003, 0.01, 0.03] },
      seeds: [0],
      steps: 10_000,
      stopAfterGrok: 100,
      evalEvery: 50,
    },
  },
  'data-fraction': {
    title: 'How much data?',
    description:
      "Training fraction × weight decay on the small MLP: Power et al.'s observation that less data means a longer wait for generalization (or none within the budget), and how weight decay shortens it.",
    spec: {
      title: 'How much data? (steps to grok, mlp preset)',
      preset: 'mlp',
      x: { key: 'regularizers.weightDecay.coefficient', values: [0.1, 0.3, 1, 3] },
      y: { key: 'task.trainFraction', values: [0.3, 0.4, 0.5, 0.7] },
      seeds: [0],
      steps: 10_000,
      stopAfterGrok: 100,
      evalEvery: 50,
    },
  },
} as const satisfies Record<string, NamedSweep>;

export type SweepName = keyof typeof SWEEPS;

export function isSweepName(name: string): name is SweepName {
  return Object.hasOwn(SWEEPS, name);
}
