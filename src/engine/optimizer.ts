import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from './config';
import { FAST_PATHS } from './fastPaths';
import { fusedAdamWasmAvailable, fusedAdamWWasm } from './kernels/wasmAdam';
import { fusedAdamW, type FlatAdamScalars } from './webgpuAdam';
import type { AdamState } from './carriedState';

/** One step's settings and bias corrections, shared by both update paths. */
interface AdamUpdate {
  config: OptimizerConfig;
  weightDecay: number;
  lr: number;
  firstCorrection: number;
  secondCorrection: number;
}

/**
 * Adam with decoupled weight decay (AdamW, Loshchilov & Hutter). tfjs ships Adam only, and coupled L2 through
 * the gradient is not the same thing under Adam's per-coordinate rescaling, so the update is written out:
 *   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  θ ← θ − lr·(m̂/(√v̂+ε) + wd·θ).
 *
 * The moments live in two flat vectors (parameters in insertion order). With FAST_PATHS.flatOptimizer the whole
 * update runs once on the concatenated gradient, with the bias corrections folded into two scalars:
 *   θ ← θ·(1 − lr·wd) − (lr·√c₂/c₁)·m / (√v + ε·√c₂),  c₁ = 1−β₁ᵗ, c₂ = 1−β₂ᵗ
 * — about 15 kernels per step whatever the number of parameters, instead of about 16 per parameter. On WebGPU,
 * FAST_PATHS.fusedAdamWebGpu runs that arithmetic as three programs (m′, v′, θ′; webgpuAdam.ts) instead, and on
 * wasm FAST_PATHS.fusedAdamWasm as one JavaScript pass over heap views (kernels/wasmAdam.ts).
 */
export class AdamW {
  private readonly names: string[];
  private readonly shapes: number[][];
  private readonly sizes: number[];
  private readonly offsets: number[];
  private readonly firstMoment: tf.Variable;
  private readonly secondMoment: tf.Variable;
  private stepCount = 0;

  constructor(private readonly parameters: Record<string, tf.Variable>) {
    this.names = Object.keys(parameters);
    this.shapes = this.names.map((name) => parameters[name].shape);
    this.sizes = this.names.map((name) => parameters[name].size);
    this.offsets = [];
    let offset = 0;
    for (const size of this.sizes) {
      this.offsets.push(offset);
      offset += size;
    }
    // Unnamed: variable names are global in tfjs, and several runs (a race, a reset) coexist.
    this.firstMoment = tf.tidy(() => tf.variable(tf.zeros([offset]), false));
    this.secondMoment = tf.tidy(() => tf.variable(tf.zeros([offset]), false));
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
    const update: AdamUpdate = { config, weightDecay, lr, firstCorrection, secondCorrection };
    const complete = this.names.every((name) => gradients[name]);
    if (FAST_PATHS.flatOptimizer && complete && this.names.length > 0) this.applyFlat(gradients, update);
    else this.applyPerParameter(gradients, update);
  }

  private applyFlat(gradients: tf.NamedTensorMap, update: AdamUpdate): void {
    const { config, weightDecay, lr, firstCorrection, secondCorrection } = update;
    const flatten = (tensors: tf.Tensor[]): tf.Tensor1D =>
      tensors.length === 1
        ? tf.reshape(tensors[0], [-1])
        : tf.concat(tensors.map((tensor) => tf.reshape(tensor, [-1])));
    const rootCorrection = Math.sqrt(secondCorrection);
    const scalars: FlatAdamScalars = {
      beta1: config.beta1,
      beta2: config.beta2,
      epsilon: config.epsilon * rootCorrection,
      keep: weightDecay > 0 ? 1 - lr * weightDecay : 1,
      stepSize: (lr * rootCorrection) / firstCorrection,
    };
    tf.tidy(() => {
      const g = flatten(this.names.map((name) => gradients[name]));
      let next: tf.Tensor;
      const fusedUpdate =
        FAST_PATHS.fusedAdamWebGpu && tf.getBackend() === 'webgpu'
          ? fusedAdamW
          : FAST_PATHS.fusedAdamWasm && fusedAdamWasmAvailable()
            ? fusedAdamWWasm
            : null;
      if (fusedUpdate) {
        const theta = flatten(this.names.map((name) => this.parameters[name]));
        const fused = fusedUpdate(this.firstMoment, this.secondMoment, g, theta, scalars);
        this.firstMoment.assign(fused.firstMoment);
        this.secondMoment.assign(fused.secondMoment);
        next = fused.parameters;
      } else {
        const m = tf.add(tf.mul(this.firstMoment, scalars.beta1), tf.mul(g, 1 - scalars.beta1));
        const v = tf.add(tf.mul(this.secondMoment, scalars.beta2), tf.mul(tf.square(g), 1 - scalars.beta2));
        this.firstMoment.assign(m);
        this.secondMoment.assign(v);
        const direction = tf.div(m, tf.add(tf.sqrt(v), scalars.epsilon));
        const theta = flatten(this.names.map((name) => this.parameters[name]));
        const kept = weightDecay > 0 ? tf.mul(theta, scalars.keep) : theta;
        next = tf.sub(kept, tf.mul(direction, scalars.stepSize));
      }
      const parts = this.names.length === 1 ? [next] : tf.split(next, this.sizes);
      this.names.forEach((name, i) => this.parameters[name].assign(tf.reshape(parts[i], this.shapes[i])));
    });
  }

  /** The plain path: the update written out per parameter (the reference the flat path is tested against). */
  private applyPerParameter(gradients: tf.NamedTensorMap, update: AdamUpdate): void {
    const { config, weightDecay, lr, firstCorrection, secondCorrection } = update;
    tf.tidy(() => {
      const firstParts: tf.Tensor[] = [];
      const secondParts: tf.Tensor[] = [];
      this.names.forEach((name, i) => {
        const parameter = this.parameters[name];
        const gradient = gradients[name];
        const m = this.momentSlice(this.firstMoment, i);
        const v = this.momentSlice(this.secondMoment, i);
        if (!gradient) {
          firstParts.push(tf.reshape(m, [-1]));
          secondParts.push(tf.reshape(v, [-1]));
          return;
        }
        const nextM = tf.add(tf.mul(m, config.beta1), tf.mul(gradient, 1 - config.beta1));
        const nextV = tf.add(tf.mul(v, config.beta2), tf.mul(tf.square(gradient), 1 - config.beta2));
        firstParts.push(tf.reshape(nextM, [-1]));
        secondParts.push(tf.reshape(nextV, [-1]));
        const adaptive = tf.div(
          tf.div(nextM, firstCorrection),
          tf.add(tf.sqrt(tf.div(nextV, secondCorrection)), config.epsilon),
        );
        const update = weightDecay > 0 ? tf.add(adaptive, tf.mul(parameter, weightDecay)) : adaptive;
        parameter.assign(tf.sub(parameter, tf.mul(update, lr)));
      });
      if (firstParts.length === 0) return;
      this.firstMoment.assign(tf.concat(firstParts));
      this.secondMoment.assign(tf.concat(secondParts));
    });
  }

  private momentSlice(moment: tf.Variable, index: number): tf.Tensor {
    return tf.reshape(tf.slice(moment, this.offsets[index], this.sizes[index]), this.shapes[index]);
  }

  async getState(): Promise<AdamState> {
    const [first, second] = await Promise.all([this.firstMoment.data(), this.secondMoment.data()]);
    const firstMoments: Record<string, Float32Array> = {};
    const secondMoments: Record<string, Float32Array> = {};
    this.names.forEach((name, i) => {
      const range = [this.offsets[i], this.offsets[i] + this.sizes[i]] as const;
      firstMoments[name] = (first as Float32Array).slice(...range);
      secondMoments[name] = (second as Float32Array).slice(...range);
    });
    return { step: this.stepCount, firstMoments, secondMoments };
  }

  setState(state: AdamState): void {
    this.stepCount = state.step;
    for (const [moment, values] of [
      [this.firstMoment, state.firstMoments],
      [this.secondMoment, state.secondMoments],
    ] as const) {
      // Parts missing from the state keep their current values (sliced on the device: no synchronous read,
      // which breaks later reads on WebGPU in a worker).
      tf.tidy(() => {
        const parts = this.names.map((name, i) => {
          const part = values[name];
          return part && part.length === this.sizes[i]
            ? tf.tensor1d(part)
            : tf.slice(moment, this.offsets[i], this.sizes[i]);
        });
        if (parts.length > 0) moment.assign(tf.concat(parts));
      });
    }
  }

  dispose(): void {
    this.firstMoment.dispose();
    this.secondMoment.dispose();
  }
}
