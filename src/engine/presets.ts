import type { Config, DeepPartial } from './config';

export interface Preset {
  title: string;
  /** What to watch, one paragraph. */
  description: string;
  config: DeepPartial<Config>;
}

/** One entry per preset; configs overlay DEFAULT_CONFIG (the classic setup). */
export const PRESETS = {
  classic: {
    title: 'Classic grokking',
    description:
      'The setup of Power et al. and Nanda et al.: a 1-layer transformer learns (a+b) mod 97 from 30% of the table with AdamW and strong weight decay. Train accuracy hits 100% within a few hundred steps; test accuracy stays near chance for thousands more, then jumps. Watch the weight norm fall while the test curve is flat: that slow cleanup is what grokking is.',
    config: {},
  },
  mlp: {
    title: 'Fast MLP',
    description:
      'A small MLP on (a+b) mod 31 that groks within a couple of thousand steps on a laptop CPU: it memorizes the training pairs first, then test accuracy climbs to 100%.',
    config: {
      task: { modulus: 31, trainFraction: 0.7 },
      model: { kind: 'mlp', embedDim: 64, hiddenWidth: 256 },
      optimizer: { lr: 3e-3, warmupSteps: 0 },
      regularizers: { weightDecay: { enabled: true, coefficient: 1 } },
      training: { maxSteps: 5000 },
    },
  },
} satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;

export function isPresetName(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}
