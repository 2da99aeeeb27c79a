import { add, type Tensor } from '@tensorflow/tfjs-core';
import type { Random } from '../random';

/** Parameters by name: the trainable variables, or stand-ins (e.g. NeuralGrok's virtual step). */
export type ModelParameters = Record<string, Tensor>;

export interface ParameterInfo {
  name: string;
  shape: number[];
  /** Matrices (and embeddings) are what norm penalties act on; biases are not. */
  role: 'matrix' | 'embedding' | 'bias' | 'gain';
}

/** A place in the network whose hidden representation h ∈ R^dim is measured and may be regularized. */
export interface SiteInfo {
  name: string;
  role: 'embedding' | 'hidden' | 'residual';
  dim: number;
  label: string;
}

export interface ForwardOptions {
  /** Zero tensors added to the named activations, so their gradient is ∂L/∂h at that site. */
  probes?: Record<string, Tensor>;
}

export interface ForwardResult {
  /** [N, K, C]: class scores at the K answer positions. */
  logits: Tensor;
  /** Hidden representations by site name, each [..., dim]. */
  activations: Record<string, Tensor>;
}

export interface Model {
  kind: 'mlp' | 'transformer';
  parameterInfo: ParameterInfo[];
  sites: SiteInfo[];
  /** Initial values, drawn on the host from a seeded generator so every backend starts identically. */
  initialize(random: Random): Record<string, Float32Array>;
  /** oneHot is [N, T, V] float32. */
  forward(parameters: ModelParameters, oneHot: Tensor, options?: ForwardOptions): ForwardResult;
  /** Frees constants the model holds (e.g. the causal mask). */
  dispose?(): void;
}

/** Draws every parameter in declaration order (the order fixes which random numbers each one gets). */
export function initializeEach(
  parameterInfo: ParameterInfo[],
  draw: (info: ParameterInfo, size: number) => Float32Array,
): Record<string, Float32Array> {
  const values: Record<string, Float32Array> = {};
  for (const info of parameterInfo)
    values[info.name] = draw(
      info,
      info.shape.reduce((x, y) => x * y, 1),
    );
  return values;
}

export function normalInit(size: number, std: number, random: Random): Float32Array {
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = random.normal() * std;
  return values;
}

export function uniformInit(size: number, bound: number, random: Random): Float32Array {
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = (2 * random.next() - 1) * bound;
  return values;
}

export function withProbe(name: string, activation: Tensor, options: ForwardOptions | undefined): Tensor {
  const probe = options?.probes?.[name];
  return probe ? add(activation, probe) : activation;
}
