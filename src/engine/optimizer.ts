import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from './config';

export interface AdamState {
  step: number;
  firstMoments: Record<string, Float32Array>;
  secondMoments: Record<string, Float32Array>;
}

/**
 * Adam with decoupled weight decay (AdamW, Loshchilov & Hutter). tfjs ships Adam only, and coupled L2 through
 * the gradient is not the same thing under Adam's per-coordinate rescaling, so the update is written out:
 *   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  θ ← θ − lr·(m̂/(√v̂+ε) + wd·θ).
 */
export class AdamW {
  private readonly firstMoments = new Map<string, tf.Variable>();
  private readonly secondMoments = new Map<string, tf.Variable>();
  private stepCount = 0;

  constructor(private readonly parameters: Record<string, tf.Variable>) {
    for (const [name, parameter] of Object.entries(parameters)) {
      // Unnamed: variable names are global in tfjs, and several runs (a race, a reset) coexist.
      this.firstMoments.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(parameter), false)),
      );
      this.secondMoments.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(parameter), false)),
      );
    }
  }

  get step(): number {
    return this.stepCount;
  }

  /** The learning rate used at the next step (after linear warm-up). */
  learningRate(config: OptimizerConfig): number {
    const warmup = config.warmupSteps > 0 ? Math.min(1, (this.stepCount + 1) / config.warmupSteps) : 1;
    return config.lr * warmup;
  }

  apply(gradients: tf.NamedTensorMap, config: OptimizerConfig, weightDecay: number): void {
    const lr = this.learningRate(config);
    this.stepCount += 1;
    const t = this.stepCount;
    const firstCorrection = 1 - config.beta1 ** t;
    const secondCorrection = 1 - config.beta2 ** t;
    tf.tidy(() => {
      for (const [name, parameter] of Object.entries(this.parameters)) {
        const gradient = gradients[name];
        if (!gradient) continue;
        const m = this.firstMoments.get(name)!;
        const v = this.secondMoments.get(name)!;
        const nextM = tf.add(tf.mul(m, config.beta1), tf.mul(gradient, 1 - config.beta1));
        const nextV = tf.add(tf.mul(v, config.beta2), tf.mul(tf.square(gradient), 1 - config.beta2));
        m.assign(nextM);
        v.assign(nextV);
        const adaptive = tf.div(
          tf.div(nextM, firstCorrection),
          tf.add(tf.sqrt(tf.div(nextV, secondCorrection)), config.epsilon),
        );
        const update = weightDecay > 0 ? tf.add(adaptive, tf.mul(parameter, weightDecay)) : adaptive;
        parameter.assign(tf.sub(parameter, tf.mul(update, lr)));
      }
    });
  }

  async getState(): Promise<AdamState> {
    const firstMoments: Record<string, Float32Array> = {};
    const secondMoments: Record<string, Float32Array> = {};
    for (const [name, m] of this.firstMoments) firstMoments[name] = (await m.data()) as Float32Array;
    for (const [name, v] of this.secondMoments) secondMoments[name] = (await v.data()) as Float32Array;
    return { step: this.stepCount, firstMoments, secondMoments };
  }

  setState(state: AdamState): void {
    this.stepCount = state.step;
    for (const [name, m] of this.firstMoments) {
      const values = state.firstMoments[name];
      if (values) tf.tidy(() => m.assign(tf.tensor(values, m.shape)));
    }
    for (const [name, v] of this.secondMoments) {
      const values = state.secondMoments[name];
      if (values) tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
    }
  }

  dispose(): void {
    for (const variable of [...this.firstMoments.values(), ...this.secondMoments.values()])
      variable.dispose();
    this.firstMoments.clear();
    this.secondMoments.clear();
  }
}
