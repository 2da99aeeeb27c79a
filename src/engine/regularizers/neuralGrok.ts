import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../config';
import { normalInit, type ModelParameters } from '../models/model';
import { addAll, dense } from '../ops';
import { AdamW } from '../optimizer';
import { createRandom, deriveSeed, type Random } from '../random';
import type { RegularizerState } from '../carriedState';
import { implementRegularizer, type LiveScalar } from './spec';
import { neuralGrokDefinition } from './definitions/neuralGrok';

/** Widths of the amplifier φ: 2 input features → 32 → 32 → 1 score, ReLU between (three linear layers). */
export const AMPLIFIER_WIDTHS = [2, 32, 32, 1] as const;

export interface AmplifierLayer {
  weight: tf.Tensor;
  bias: tf.Tensor;
}

/**
 * φ's initial values: He-normal weights and 0.01 biases, as the authors' code (NeuralOptGrok) does, drawn from
 * the run's seed so a run reproduces.
 */
export function initialAmplifier(random: Random): { weight: Float32Array; bias: Float32Array }[] {
  const layers: { weight: Float32Array; bias: Float32Array }[] = [];
  for (let i = 0; i + 1 < AMPLIFIER_WIDTHS.length; i++) {
    const [fanIn, fanOut] = [AMPLIFIER_WIDTHS[i], AMPLIFIER_WIDTHS[i + 1]];
    layers.push({
      weight: normalInit(fanIn * fanOut, Math.sqrt(2 / fanIn), random),
      bias: new Float32Array(fanOut).fill(0.01),
    });
  }
  return layers;
}

/**
 * Per-entry input features [n, 2]: the raw entry g and g / RMS(g) over its tensor. The raw value alone is useless
 * late in training, when gradients are ~1e-6 and φ would see a constant; the normalized one says how large an
 * entry is relative to its tensor, at any scale. RMS 0 gives 0 (divNoNan).
 */
export function amplifierFeatures(g: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const flat = tf.reshape(g, [-1]);
    const rms = tf.sqrt(tf.mean(tf.square(flat)));
    return tf.stack([flat, tf.divNoNan(flat, rms)], 1) as tf.Tensor2D;
  });
}

/** φ applied to every row of features [n, k]: one score per entry, [n]. */
export function amplifierScores(layers: readonly AmplifierLayer[], features: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    let x: tf.Tensor = features;
    layers.forEach((layer, i) => {
      x = dense(x, layer.weight, layer.bias, i + 1 < layers.length ? 'relu' : undefined);
    });
    return tf.reshape(x, [-1]) as tf.Tensor1D;
  });
}

/**
 * g′ = c·(p⊙g)/‖p⊙g‖ with p = softmax of the scores across the tensor's entries: φ redistributes the gradient
 * over entries, and the step length per tensor is c. ‖p⊙g‖ = 0 (a zero gradient) gives 0.
 */
export function neuralGrokTransform(scores: tf.Tensor, g: tf.Tensor, c: number): tf.Tensor {
  return tf.tidy(() => {
    const p = tf.softmax(tf.reshape(scores, [-1]));
    // g′ does not change when g is scaled, so g is taken at unit RMS first: late-training gradients (~1e-8) times
    // p (~1/n) would otherwise square to below float32's range. No divNoNan on φ's path: the meta-gradient runs
    // through this, and divNoNan's Equal has no gradient in tfjs.
    const flat = tf.reshape(g, [-1]);
    const unit = tf.divNoNan(flat, tf.sqrt(tf.mean(tf.square(flat))));
    const weighted = tf.mul(p, unit);
    return tf.reshape(tf.mul(tf.div(weighted, tf.maximum(tf.norm(weighted), 1e-30)), c), g.shape);
  });
}

/** The amplified gradient of one tensor. */
export function amplify(layers: readonly AmplifierLayer[], g: tf.Tensor, c: number): tf.Tensor {
  return tf.tidy(() => neuralGrokTransform(amplifierScores(layers, amplifierFeatures(g)), g, c));
}

/** H(p)/ln n for p = softmax(scores): 1 when φ treats every entry alike, lower as it concentrates the gradient. */
export function normalizedEntropy(scores: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const logits = tf.reshape(scores, [-1]);
    const logP = tf.logSoftmax(logits);
    const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logP), logP)));
    return tf.divNoNan(entropy, Math.log(logits.size)) as tf.Scalar;
  });
}

interface Amplifier {
  seed: number;
  layers: AmplifierLayer[];
  /** The same variables by name, as the optimizer wants them. */
  variables: Record<string, tf.Variable>;
  initial: tf.Tensor[];
  optimizer: AdamW;
}

function createAmplifier(seed: number): Amplifier {
  const values = initialAmplifier(createRandom(deriveSeed(seed, 'neuralGrok-amplifier')));
  const variables: Record<string, tf.Variable> = {};
  const layers = values.map(({ weight, bias }, i) => {
    // tf.variable leaves its initial tensor allocated; the tidy frees it.
    const layer = {
      weight: tf.tidy(() =>
        tf.variable(tf.tensor2d(weight, [AMPLIFIER_WIDTHS[i], AMPLIFIER_WIDTHS[i + 1]]), true),
      ),
      bias: tf.tidy(() => tf.variable(tf.tensor1d(bias), true)),
    };
    variables[`weight${i}`] = layer.weight;
    variables[`bias${i}`] = layer.bias;
    return layer;
  });
  return {
    seed,
    layers,
    variables,
    initial: Object.values(variables).map((variable) => tf.keep(tf.clone(variable))),
    optimizer: new AdamW(variables),
  };
}

function disposeAmplifier(amplifier: Amplifier): void {
  amplifier.optimizer.dispose();
  tf.dispose([...Object.values(amplifier.variables), ...amplifier.initial]);
}

/** ‖φ − φ₀‖ / ‖φ₀‖: how far the amplifier has learned away from its initialization. */
function relativeDrift(current: readonly tf.Tensor[], initial: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    const energy = (tensors: readonly tf.Tensor[]): tf.Tensor =>
      addAll(tensors.map((t) => tf.sum(tf.square(t))));
    return tf.sqrt(
      tf.divNoNan(energy(current.map((t, i) => tf.sub(t, initial[i]))), energy(initial)),
    ) as tf.Scalar;
  });
}

/**
 * NeuralGrok (arXiv 2504.17243): a small MLP φ rescales every gradient entry before the optimizer, and is itself
 * trained to make a virtual SGD step with its gradients lower the loss on a held-out slice of the training split.
 *
 * The meta-gradient is first order: the last step's raw gradient g is held fixed, θ′ = θ − η·g′(φ) is taken from
 * the parameters after the optimizer step, and ∂L_outer(θ′)/∂φ flows only through g′. The authors' code
 * recomputes g on a copy; holding it fixed costs no extra backward pass and is what the design asks for.
 */
export const neuralGrok = implementRegularizer({
  ...neuralGrokDefinition,
  create() {
    let amplifier: Amplifier | null = null;
    let lastRaw: tf.NamedTensorMap | null = null;
    let lastLoss: tf.Tensor | null = null;
    let lastEntropy: tf.Tensor | null = null;
    let lastDrift: tf.Tensor | null = null;
    const replace = (previous: tf.Tensor | null, next: tf.Tensor): tf.Tensor => {
      previous?.dispose();
      return tf.keep(next);
    };
    return {
      transformGradients(gradients, context, params) {
        amplifier ??= createAmplifier(context.seed);
        const { layers } = amplifier;
        const result: tf.NamedTensorMap = {};
        const entropies: tf.Scalar[] = [];
        for (const [name, g] of Object.entries(gradients)) {
          const { amplified, entropy } = tf.tidy(() => {
            const scores = amplifierScores(layers, amplifierFeatures(g));
            return {
              amplified: neuralGrokTransform(scores, g, params.scale),
              entropy: normalizedEntropy(scores),
            };
          });
          result[name] = amplified;
          entropies.push(entropy);
        }
        lastEntropy = replace(
          lastEntropy,
          tf.tidy(() => tf.mean(tf.stack(entropies))),
        );
        tf.dispose(entropies);
        if (lastRaw) tf.dispose(Object.values(lastRaw));
        // The outer update in afterStep needs this step's raw gradients; the trainer frees its own after the optimizer.
        lastRaw = Object.fromEntries(
          Object.entries(gradients).map(([name, g]) => [name, tf.keep(tf.clone(g))]),
        );
        return result;
      },
      afterStep(context, params) {
        const raw = lastRaw;
        lastRaw = null;
        if (!raw || !amplifier) return;
        if (context.step % params.every === 0) {
          const { layers, variables, optimizer } = amplifier;
          const names = Object.keys(variables);
          const loss = tf.tidy(() => {
            const { value, grads } = tf.variableGrads(() => {
              const virtual: ModelParameters = {};
              for (const [name, parameter] of Object.entries(context.parameters)) {
                const g = raw[name];
                virtual[name] = g
                  ? tf.sub(parameter, tf.mul(amplify(layers, g, params.scale), params.virtualLr))
                  : parameter;
              }
              return context.outerLoss(virtual);
            }, Object.values(variables));
            const gradients: tf.NamedTensorMap = {};
            names.forEach((name) => (gradients[name] = grads[variables[name].name]));
            optimizer.apply(gradients, amplifierOptimizer(params.outerLr), 0);
            return value;
          });
          lastLoss = replace(lastLoss, loss);
          lastDrift = replace(lastDrift, relativeDrift(Object.values(variables), amplifier.initial));
        }
        tf.dispose(Object.values(raw));
      },
      async getState(): Promise<RegularizerState | null> {
        if (!amplifier) return null;
        const arrays: RegularizerState['arrays'] = {};
        for (const [name, variable] of Object.entries(amplifier.variables))
          arrays[`phi/${name}`] = { values: (await variable.data()) as Float32Array, shape: variable.shape };
        const adam = await amplifier.optimizer.getState();
        for (const [name, values] of Object.entries(adam.firstMoments))
          arrays[`m/${name}`] = { values, shape: amplifier.variables[name].shape };
        for (const [name, values] of Object.entries(adam.secondMoments))
          arrays[`v/${name}`] = { values, shape: amplifier.variables[name].shape };
        return { arrays, scalars: { seed: amplifier.seed, adamStep: adam.step } };
      },
      setState(saved) {
        const seed = Number(saved.scalars.seed);
        const adamStep = Number(saved.scalars.adamStep);
        if (!Number.isInteger(seed) || !Number.isInteger(adamStep) || adamStep < 0)
          throw new Error('neuralGrok state: bad seed or step');
        const next = createAmplifier(seed);
        const firstMoments: Record<string, Float32Array> = {};
        const secondMoments: Record<string, Float32Array> = {};
        for (const [name, variable] of Object.entries(next.variables)) {
          const phi = saved.arrays[`phi/${name}`];
          const m = saved.arrays[`m/${name}`];
          const v = saved.arrays[`v/${name}`];
          if ([phi, m, v].some((entry) => !entry || entry.values.length !== variable.size)) {
            disposeAmplifier(next);
            throw new Error(`neuralGrok state: no matching values for ${name}`);
          }
          tf.tidy(() => variable.assign(tf.tensor(phi.values, variable.shape)));
          firstMoments[name] = m.values;
          secondMoments[name] = v.values;
        }
        next.optimizer.setState({ step: adamStep, firstMoments, secondMoments });
        if (amplifier) disposeAmplifier(amplifier);
        amplifier = next;
      },
      scalars() {
        const values: Record<string, LiveScalar> = {};
        if (lastLoss) values.amplifierLoss = lastLoss;
        if (lastEntropy) values.entropy = lastEntropy;
        if (lastDrift) values.amplifierDrift = lastDrift;
        return values;
      },
      dispose() {
        if (amplifier) disposeAmplifier(amplifier);
        if (lastRaw) tf.dispose(Object.values(lastRaw));
        tf.dispose([lastLoss, lastEntropy, lastDrift].filter((t): t is tf.Tensor => t !== null));
        amplifier = lastRaw = lastLoss = lastEntropy = lastDrift = null;
      },
    };
  },
});

/** Adam for φ with the reference's betas (0.9, 0.98), no warm-up, no decay. */
function amplifierOptimizer(lr: number): OptimizerConfig {
  return { lr, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, warmupSteps: 0, batchSize: 0 };
}
