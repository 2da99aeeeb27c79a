/**
 * The radial penalty (λ/d)·mean_r (‖h_r‖ − √d)² as one taped op on the wasm backend: a WebAssembly SIMD pass for
 * the value (and the row norms it saves) and one for the gradient scale·(‖h_r‖ − √d)/‖h_r‖·h_r, instead of ≈ 9
 * kernels forward and ≈ 15 backward through tfjs's engine (FAST_PATHS.fusedRadial; the plain path is radial.ts's).
 */
import * as tf from '@tensorflow/tfjs-core';
import { FAST_PATHS } from '../fastPaths';
import { heapAddresses, registerSimdKernel, simdKernelsActive } from './simd/simdKernels';

const FORWARD = 'GrokRadialPenalty';
const BACKWARD = 'GrokRadialPenaltyGrad';

function register(): void {
  registerSimdKernel(FORWARD, (kernels, wasm, inputs, attrs) => {
    const { h } = inputs;
    const [rows, d] = h.shape;
    const lambda = attrs['lambda'] as number;
    const penalty = wasm.makeOutput([], 'float32');
    const norms = wasm.makeOutput([rows], 'float32');
    const at = heapAddresses(wasm);
    const total = kernels.radialPenalty(at(h), rows, d, at(norms));
    (wasm.typedArrayFromHeap(penalty) as Float32Array)[0] = (lambda / d) * (total / rows);
    return [penalty, norms];
  });
  registerSimdKernel(BACKWARD, (kernels, wasm, inputs, attrs) => {
    const { h, norms, dy } = inputs;
    const [rows, d] = h.shape;
    const lambda = attrs['lambda'] as number;
    const dh = wasm.makeOutput([rows, d], 'float32');
    const upstream = (wasm.typedArrayFromHeap(dy) as Float32Array)[0];
    const at = heapAddresses(wasm);
    kernels.radialPenaltyGrad(at(h), at(norms), rows, d, (upstream * 2 * lambda) / (d * rows), at(dh));
    return dh;
  });
}

/** Whether fusedRadialPenalty runs here: FAST_PATHS.fusedRadial with the SIMD kernels active. */
export function fusedRadialAvailable(): boolean {
  if (!FAST_PATHS.fusedRadial || !simdKernelsActive()) return false;
  register();
  return true;
}

/** (λ/d)·mean over rows of (‖h‖₂ − √d)² for h [..., d], its gradient flowing to h. */
export function fusedRadialPenalty(activation: tf.Tensor, lambda: number): tf.Scalar {
  const d = activation.shape[activation.shape.length - 1];
  const engine = tf.engine();
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [h, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const rows = tf.reshape(h, [-1, d]);
    const [penalty, norms] = engine.runKernel(FORWARD, { h: rows }, { lambda }) as unknown as tf.Tensor[];
    save([rows, norms]);
    return {
      value: penalty as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedRows, savedNorms] = saved;
        const dh = engine.runKernel(
          BACKWARD,
          { h: savedRows, norms: savedNorms, dy },
          { lambda },
        ) as tf.Tensor;
        return tf.reshape(dh, h.shape);
      },
    };
  }) as (h: tf.Tensor) => tf.Scalar;
  return op(activation);
}
