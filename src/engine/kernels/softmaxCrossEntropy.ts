/**
 * Mean softmax cross-entropy as one taped op of two WebAssembly SIMD passes on the wasm backend (loss.ts, with
 * FAST_PATHS.fusedCrossEntropy and simdKernels): the forward pass writes softmax(logits), which the backward pass
 * reuses for (softmax − targets)·dy/rows, instead of ≈ 14 kernels (logSoftmax's six, the sum, two Exps, a Cast of
 * the int32 targets) through tfjs's engine.
 */
import * as tf from '@tensorflow/tfjs-core';
import { heapAddresses, isInt32, registerSimdKernel, simdKernelsActive } from './simd/simdKernels';

const FORWARD = 'GrokSoftmaxCrossEntropy';
const BACKWARD = 'GrokSoftmaxCrossEntropyGrad';

function register(): void {
  registerSimdKernel(FORWARD, (kernels, wasm, inputs) => {
    const { logits, targets } = inputs;
    const [rows, classes] = logits.shape;
    const loss = wasm.makeOutput([], 'float32');
    const probabilities = wasm.makeOutput([rows, classes], 'float32');
    const at = heapAddresses(wasm);
    const total = kernels.softmaxCrossEntropy(
      at(logits),
      at(targets),
      isInt32(targets),
      rows,
      classes,
      at(probabilities),
    );
    (wasm.typedArrayFromHeap(loss) as Float32Array)[0] = total / rows;
    return [loss, probabilities];
  });
  registerSimdKernel(BACKWARD, (kernels, wasm, inputs) => {
    const { probabilities, targets, dy } = inputs;
    const [rows, classes] = probabilities.shape;
    const out = wasm.makeOutput([rows, classes], 'float32');
    const upstream = (wasm.typedArrayFromHeap(dy) as Float32Array)[0];
    const at = heapAddresses(wasm);
    kernels.softmaxCrossEntropyGrad(
      at(probabilities),
      at(targets),
      isInt32(targets),
      rows * classes,
      upstream / rows,
      at(out),
    );
    return out;
  });
}

/** Whether simdCrossEntropy runs here (the SIMD kernels are active). */
export function simdCrossEntropyAvailable(): boolean {
  if (!simdKernelsActive()) return false;
  register();
  return true;
}

/**
 * Mean over rows of −Σ targets·log softmax(logits), for logits [..., classes] and targets of the same shape whose
 * rows sum to 1 (one-hot, int32 or float32). The targets are data: saved, not an input, so they get no gradient.
 */
export function simdCrossEntropy(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  const classes = logits.shape[logits.shape.length - 1];
  const engine = tf.engine();
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const rows = tf.reshape(targets, [-1, classes]);
    const [loss, probabilities] = engine.runKernel(FORWARD, {
      logits: tf.reshape(x, [-1, classes]),
      targets: rows,
    }) as unknown as tf.Tensor[];
    save([probabilities, rows]);
    return {
      value: loss as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedProbabilities, savedTargets] = saved;
        const gradient = engine.runKernel(BACKWARD, {
          probabilities: savedProbabilities,
          targets: savedTargets,
          dy,
        }) as tf.Tensor;
        return tf.reshape(gradient, x.shape);
      },
    };
  }) as (x: tf.Tensor) => tf.Scalar;
  return op(logits);
}
