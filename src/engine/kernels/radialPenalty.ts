/**
 * The radial penalty (λ/d)·mean_r (‖h_r‖ − √d)² as one taped op on the wasm backend: a WebAssembly SIMD pass for
 * the value (and the row norms it saves) and one for the gradient scale·(‖h_r‖ − √d)/‖h_r‖·h_r, instead of ≈ 9
 * kernels forward and ≈ 15 backward through tfjs's engine (FAST_PATHS.fusedRadial; the plain path is radial.ts's).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { FAST_PATHS } from '../fastPaths';
import { heapOffset, simdKernels, type SimdKernels } from './simd/simdKernels';

const FORWARD = 'GrokRadialPenalty';
const BACKWARD = 'GrokRadialPenaltyGrad';

interface Attrs {
  lambda: number;
}

function kernelsOf(backend: BackendWasm): SimdKernels {
  const kernels = simdKernels(backend);
  if (!kernels) throw new Error('the radial penalty kernel needs WebAssembly SIMD (fusedRadialAvailable)');
  return kernels;
}

let registered = false;

function register(): boolean {
  if (registered) return true;
  if (!tf.getKernel(tf.Reshape, 'wasm')) return false;
  registered = true;
  tf.registerKernel({
    kernelName: FORWARD,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const wasm = backend as BackendWasm;
      const { h } = inputs as { h: tf.TensorInfo };
      const [rows, d] = h.shape;
      const { lambda } = attrs as unknown as Attrs;
      const penalty = wasm.makeOutput([], 'float32');
      const norms = wasm.makeOutput([rows], 'float32');
      const total = kernelsOf(wasm).radialPenalty(heapOffset(wasm, h), rows, d, heapOffset(wasm, norms));
      (wasm.typedArrayFromHeap(penalty) as Float32Array)[0] = (lambda / d) * (total / rows);
      return [penalty, norms];
    },
  });
  tf.registerKernel({
    kernelName: BACKWARD,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const wasm = backend as BackendWasm;
      const { h, norms, dy } = inputs as Record<'h' | 'norms' | 'dy', tf.TensorInfo>;
      const [rows, d] = h.shape;
      const { lambda } = attrs as unknown as Attrs;
      const dh = wasm.makeOutput([rows, d], 'float32');
      const upstream = (wasm.typedArrayFromHeap(dy) as Float32Array)[0];
      const at = (info: tf.TensorInfo): number => heapOffset(wasm, info);
      kernelsOf(wasm).radialPenaltyGrad(
        at(h),
        at(norms),
        rows,
        d,
        (upstream * 2 * lambda) / (d * rows),
        at(dh),
      );
      return dh;
    },
  });
  return true;
}

/** Whether fusedRadialPenalty runs here: FAST_PATHS.fusedRadial on the wasm backend with its SIMD kernels. */
export function fusedRadialAvailable(): boolean {
  return (
    FAST_PATHS.fusedRadial &&
    tf.getBackend() === 'wasm' &&
    register() &&
    simdKernels(tf.backend() as BackendWasm) !== null
  );
}

/** (λ/d)·mean over rows of (‖h‖₂ − √d)² for h [..., d], its gradient flowing to h. */
export function fusedRadialPenalty(activation: tf.Tensor, lambda: number): tf.Scalar {
  const d = activation.shape[activation.shape.length - 1];
  const engine = tf.engine();
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [h, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const rows = tf.reshape(h, [-1, d]);
    const [penalty, norms] = engine.runKernel(FORWARD, { h: rows }, {
      lambda,
    } as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
    save([rows, norms]);
    return {
      value: penalty as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedRows, savedNorms] = saved;
        const dh = engine.runKernel(BACKWARD, { h: savedRows, norms: savedNorms, dy }, {
          lambda,
        } as unknown as tf.NamedAttrMap) as tf.Tensor;
        return tf.reshape(dh, h.shape);
      },
    };
  }) as (h: tf.Tensor) => tf.Scalar;
  return op(activation);
}
