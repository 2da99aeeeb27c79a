/**
 * The flat AdamW update (optimizer.ts) as one wasm-backend kernel: one JavaScript pass over heap views computes
 * m′, v′ and θ′ for every coordinate, instead of ≈ 13 elementwise kernels over the whole parameter vector (each a
 * trip through tfjs's engine and a fresh heap output) — what webgpuAdam.ts does on WebGPU with three programs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { FlatAdamScalars, FusedAdamW } from '../webgpuAdam';
import { activeSimdKernels, heapAddresses } from './simd/simdKernels';

const KERNEL = 'GrokAdamW';

/** m′ = β₁m + (1−β₁)g, v′ = β₂v + (1−β₂)g², θ′ = keep·θ − stepSize·m′/(√v′ + ε), coordinate by coordinate. */
export function adamWStep(
  m: ArrayLike<number>,
  v: ArrayLike<number>,
  g: ArrayLike<number>,
  theta: ArrayLike<number>,
  scalars: FlatAdamScalars,
  out: { m: Float32Array; v: Float32Array; theta: Float32Array },
): void {
  const { beta1, beta2, epsilon, keep, stepSize } = scalars;
  const oneMinusBeta1 = 1 - beta1;
  const oneMinusBeta2 = 1 - beta2;
  for (let i = 0; i < g.length; i++) {
    const gradient = g[i];
    const first = Math.fround(beta1 * m[i] + oneMinusBeta1 * gradient);
    const second = Math.fround(beta2 * v[i] + oneMinusBeta2 * gradient * gradient);
    out.m[i] = first;
    out.v[i] = second;
    out.theta[i] = keep * theta[i] - (stepSize * first) / (Math.sqrt(second) + epsilon);
  }
}

let registered = false;

/** Registers the kernel on the wasm backend. Idempotent; false when wasm is not part of the bundle. */
function register(): boolean {
  if (registered) return true;
  if (!tf.getKernel(tf.Reshape, 'wasm')) return false;
  registered = true;
  tf.registerKernel({
    kernelName: KERNEL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const wasm = backend as BackendWasm;
      const { m, v, g, theta } = inputs as Record<'m' | 'v' | 'g' | 'theta', tf.TensorInfo>;
      // Allocate first: growing the heap detaches earlier views.
      const outputs = [m, v, theta].map((like) => wasm.makeOutput(like.shape, 'float32'));
      const simd = activeSimdKernels(wasm);
      if (simd) {
        const at = heapAddresses(wasm);
        const { beta1, beta2, epsilon, keep, stepSize } = attrs as unknown as FlatAdamScalars;
        const [outM, outV, outTheta] = outputs.map(at);
        const count = tf.util.sizeFromShape(g.shape);
        simd.adamW(
          at(m),
          at(v),
          at(g),
          at(theta),
          outM,
          outV,
          outTheta,
          count,
          beta1,
          beta2,
          epsilon,
          keep,
          stepSize,
        );
        return outputs;
      }
      const [outM, outV, outTheta] = outputs.map((info) => wasm.typedArrayFromHeap(info) as Float32Array);
      adamWStep(
        wasm.typedArrayFromHeap(m),
        wasm.typedArrayFromHeap(v),
        wasm.typedArrayFromHeap(g),
        wasm.typedArrayFromHeap(theta),
        attrs as unknown as FlatAdamScalars,
        { m: outM, v: outV, theta: outTheta },
      );
      return outputs;
    },
  });
  return true;
}

/** Whether fusedAdamWWasm runs here: the wasm backend with the kernel registered. */
export function fusedAdamWasmAvailable(): boolean {
  return tf.getBackend() === 'wasm' && register();
}

/** The flat AdamW update in one kernel (same contract as webgpuAdam.ts's fusedAdamW). */
export const fusedAdamWWasm: FusedAdamW = (firstMoment, secondMoment, gradient, parameters, scalars) => {
  const [m, v, theta] = tf
    .engine()
    .runKernel(KERNEL, { m: firstMoment, v: secondMoment, g: gradient, theta: parameters }, {
      ...scalars,
    } as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
  return { firstMoment: m, secondMoment: v, parameters: theta };
};
