import type { Config, DeepPartial } from './config';

export interface Preset {
  title: string;
  /** What to watch, one paragraph. */
  description: string;
  config: DeepPartial<Config>;
  /**
   * The natural comparison (race mode): the preset's own run, named presetLane, against the same run with
   * `patch` applied, named otherLane.
   */
  race?: { presetLane: string; otherLane: string; patch: DeepPartial<Config> };
}

/** The CPU-friendly MLP of DESIGN.md §4b: (a∘b) mod 31, 70% train, embeddings 2×64 → 256 ReLU. */
const smallMlp = {
  task: { modulus: 31, trainFraction: 0.7 },
  model: { kind: 'mlp', embedDim: 64, hiddenWidth: 256 },
  optimizer: { lr: 3e-3, warmupSteps: 0 },
} as const satisfies DeepPartial<Config>;

/** One entry per preset; configs overlay DEFAULT_CONFIG (the classic setup). */
export const PRESETS = {
  classic: {
    title: 'Classic grokking',
    description:
      'The setup of Power et al. and Nanda et al.: a 1-layer transformer learns (a+b) mod 97 from 30% of the table with AdamW and strong weight decay. Train accuracy hits 100% within a few hundred steps; test accuracy stays near chance for thousands more, then jumps. Watch the weight norm fall while the test curve is flat: that slow cleanup is what grokking is. Wants a GPU: on a 2-core laptop-class CPU a step takes ≈ 430 ms in the browser (2.3 steps/s), so the thousands of steps it needs take most of an hour — the Fast transformer preset shows the same story in under a minute.',
    config: {},
  },
  fastTransformer: {
    title: 'Fast transformer',
    description:
      'A 1-layer transformer (d 64, 4 heads, MLP 256) learns (a−b) mod 31 from 70% of the table with AdamW (lr 0.01, weight decay 1). It memorizes the training pairs within about 100 steps while test accuracy sits near chance, then test accuracy climbs to 99% (step 675 for seed 0, 600–1 100 over seeds): the classic grokking story, sized to finish in under a minute on a laptop CPU. Race it against weak weight decay (0.1) to see what drives the cleanup. (a−b, not a+b: a transformer reads a+b = b+a from the training pairs, so on a+b it looks two-thirds generalized the moment it memorizes.)',
    config: {
      task: { kind: 'modular', operation: 'a-b', modulus: 31, trainFraction: 0.7 },
      model: { kind: 'transformer', layers: 1, dModel: 64, heads: 4, dMlp: 256, layerNorm: false },
      optimizer: { lr: 1e-2, warmupSteps: 0 },
      regularizers: { weightDecay: { enabled: true, coefficient: 1 } },
      training: { maxSteps: 5000, stopAfterGrok: 300 },
    },
    // Weight decay, not the radial penalty: with wd 1 the penalty moved steps-to-99% both ways over seeds
    // (a−b: 675/600/1 100 plain, 425/1 675/800 radial), while weak decay leaves the memorized model stuck.
    race: {
      presetLane: 'wd 1',
      otherLane: 'wd 0.1',
      patch: { regularizers: { weightDecay: { coefficient: 0.1 } } },
    },
  },
  mlp: {
    title: 'Fast MLP',
    description:
      'A small MLP on (a+b) mod 31 that groks within about a thousand steps on a laptop CPU: it memorizes the training pairs first (train accuracy 100% while test lags), then test accuracy climbs to 100%. The quickest way to see the whole story.',
    config: {
      ...smallMlp,
      regularizers: { weightDecay: { enabled: true, coefficient: 1 } },
      training: { maxSteps: 5000 },
    },
  },
  radialRescue: {
    title: 'Radial penalty rescue',
    description:
      'The same MLP with weak weight decay (0.1): without help it memorizes, then creeps for 10 000+ steps while its hidden activations inflate (watch ‖h‖/√d climb far above 1). The radial penalty pins every hidden representation near the sphere of radius √d, and the run groks in roughly 3 700 steps. Race it against the plain run to see the gap — and remember the honest footnote: strong weight decay (the Fast MLP preset) is quicker still.',
    config: {
      ...smallMlp,
      regularizers: {
        weightDecay: { enabled: true, coefficient: 0.1 },
        radial: { enabled: true, lambda: 0.01 },
      },
      training: { maxSteps: 20_000, stopAfterGrok: 500 },
    },
    race: {
      presetLane: 'radial',
      otherLane: 'plain',
      patch: { regularizers: { radial: { enabled: false } } },
    },
  },
  grokfastVsFrobenius: {
    title: 'Grokfast vs delayed Frobenius',
    description:
      'Two ways to speed grokking up in the weak-weight-decay MLP. Delayed Frobenius does nothing until the training set is memorized, then adds λ·Σ‖W‖² (watch the phase marker and the weight norm drop). Grokfast amplifies the slow component of the gradient. On this MLP, measured over seeds, Grokfast does not help (it amplifies the slow push toward larger activations) while norm control does — the lab shows what happens, not what a paper promised.',
    config: {
      ...smallMlp,
      regularizers: {
        weightDecay: { enabled: true, coefficient: 0.1 },
        frobenius: { enabled: true, lambda: 1e-3 },
      },
      training: { maxSteps: 20_000, stopAfterGrok: 500 },
    },
    race: {
      presetLane: 'delayed Frobenius',
      otherLane: 'Grokfast EMA',
      patch: { regularizers: { frobenius: { enabled: false }, grokfast: { enabled: true, variant: 'ema' } } },
    },
  },
  normClamp: {
    title: 'Weight-norm clamp',
    description:
      'From step 500 the total weight norm is held fixed (an MLP on (a+b) mod 59, 40% train, GELU). Move the target while it trains: a larger pinned norm delays grokking sharply, a smaller one speeds it up until it is too small to fit the data. The weight-norm paper claims an exponential law; measured here the curve is U-shaped — see the bench report.',
    config: {
      task: { modulus: 59, trainFraction: 0.4 },
      model: { kind: 'mlp', embedDim: 128, hiddenWidth: 256, activation: 'gelu' },
      optimizer: { lr: 1e-3, warmupSteps: 0 },
      regularizers: { normClamp: { enabled: true, mode: 'startNorm', rho: 0.85, startStep: 500 } },
      training: { maxSteps: 20_000, stopAfterGrok: 500 },
    },
    race: {
      presetLane: 'clamped',
      otherLane: 'free',
      patch: { regularizers: { normClamp: { enabled: false } } },
    },
  },
  neuralGrok: {
    title: 'NeuralGrok',
    description:
      'A tiny "amplifier" network learns, while the model trains, how to rescale each gradient entry so that a held-out slice of the training set (1/50 of it, never the test set) improves. Watch its own loss and the absolute gradient entropy (AGE), which rises while the model memorizes and falls as it generalizes.',
    config: {
      ...smallMlp,
      regularizers: { weightDecay: { enabled: true, coefficient: 0.1 }, neuralGrok: { enabled: true } },
      training: { maxSteps: 20_000, stopAfterGrok: 500 },
    },
    race: {
      presetLane: 'NeuralGrok',
      otherLane: 'plain',
      patch: { regularizers: { neuralGrok: { enabled: false } } },
    },
  },
  addition: {
    title: '3-digit addition',
    description:
      'A 2-layer causal transformer learns 3-digit addition character by character ("123+456=0579"), trained next-token on the answer digits; accuracy is exact match of all four answer digits on sums it never saw. Slower than the modular tasks: give it minutes, and try the radial penalty on the residual stream.',
    config: {
      task: { kind: 'addition', digits: 3, samples: 4000, trainFraction: 0.5 },
      model: { kind: 'transformer', layers: 2, dModel: 64, heads: 4, dMlp: 256 },
      optimizer: { lr: 1e-3, warmupSteps: 50, batchSize: 256 },
      regularizers: { weightDecay: { enabled: true, coefficient: 0.1 } },
      training: { maxSteps: 20_000, stopAfterGrok: 500 },
    },
    race: {
      presetLane: 'plain',
      otherLane: 'radial',
      patch: { regularizers: { radial: { enabled: true, lambda: 0.01 } } },
    },
  },
} satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;

export function isPresetName(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}
