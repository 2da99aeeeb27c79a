import * as tf from '@tensorflow/tfjs-core';
import { FAST_PATHS } from './fastPaths';
import { columnSums } from './kernels/columnSums';
import { oneHotProduct, oneHotProductAvailable, simdOneHotProductAvailable } from './kernels/oneHotProduct';

/** Swaps the last two axes. */
export function transposeLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const rank = perm.length;
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return tf.transpose(x, perm);
}

/**
 * Inputs per tf.addN kernel on WebGPU: a device binds 8 storage buffers per shader stage unless it asks for more
 * (tfjs does not), and one is the output.
 */
export const WEBGPU_ADD_N_INPUTS = 7;

/**
 * Σ tensors (one shape), as tf.addN. tfjs-webgpu binds every AddN input as its own storage buffer and never splits,
 * so past WEBGPU_ADD_N_INPUTS its pipeline is invalid and Dawn drops the whole submitted batch: the sum silently
 * reads 0 (a weight norm over the transformer's parameters, a Grokfast window). On WebGPU it sums in groups; other
 * backends keep one tf.addN, so their results stay bit for bit what they were.
 */
export function addAll<T extends tf.Tensor>(tensors: readonly T[]): T {
  if (tensors.length === 0) throw new Error('addAll needs at least one tensor');
  if (tensors.length <= WEBGPU_ADD_N_INPUTS || tf.getBackend() !== 'webgpu') return tf.addN([...tensors]);
  return tf.tidy(() => {
    let terms: tf.Tensor[] = [...tensors];
    while (terms.length > WEBGPU_ADD_N_INPUTS) {
      const sums: tf.Tensor[] = [];
      for (let i = 0; i < terms.length; i += WEBGPU_ADD_N_INPUTS) {
        const group = terms.slice(i, i + WEBGPU_ADD_N_INPUTS);
        sums.push(group.length === 1 ? group[0]! : tf.addN(group));
      }
      terms = sums;
    }
    return tf.addN(terms) as T;
  });
}

/**
 * a · b for rank ≥ 2 tensors, with a gradient that transposes explicitly before multiplying. Autodiff of
 * tf.matMul uses the transposeA/transposeB flags, which tfjs-wasm runs 13–25× slower than a transpose followed
 * by a plain product (DESIGN.md §4b) — every backward pass would pay it.
 */
export const matMul = tf.customGrad(
  // customGrad's typing passes inputs and the save function through one rest parameter.
  (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([a, b]);
    return {
      value: tf.matMul(a, b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedA, savedB] = saved;
        return [tf.matMul(dy, transposeLast(savedB)), tf.matMul(transposeLast(savedA), dy)];
      },
    };
  },
) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** Whether a product with one-hot data on the left runs as kernels/oneHotProduct.ts (FAST_PATHS.sparseOneHot). */
const sparseOneHot = (): boolean => FAST_PATHS.sparseOneHot && oneHotProductAvailable();

/**
 * Embedding lookup as one-hot × table. tf.gather's gradient needs UnsortedSegmentSum, which tfjs-wasm lacks;
 * the one-hot product works on every backend (on wasm as a sparse kernel: FAST_PATHS.sparseOneHot).
 */
export function embed(oneHot: tf.Tensor2D, table: tf.Tensor2D): tf.Tensor2D {
  return sparseOneHot() ? oneHotProduct(oneHot, table, null, false) : denseEmbed(oneHot, table);
}

/** embed() as a dense product. The one-hot input is data, so its gradient is zeros. */
const denseEmbed = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [oneHot, table, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([oneHot]);
  return {
    value: tf.matMul(oneHot as tf.Tensor2D, table as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
      tf.zerosLike(saved[0]),
      tf.matMul(tf.transpose(saved[0]), dy as tf.Tensor2D),
    ],
  };
}) as (oneHot: tf.Tensor2D, table: tf.Tensor2D) => tf.Tensor2D;

/**
 * x [M, in] · w [in, out] + bias [out] in one fused kernel (bias added inside the product, as XNNPACK's fully
 * connected op and the GPU backends' fused matMul do), with the explicit-transpose gradient of matMul above.
 */
const fusedLinear = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, bias, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.fused.matMul({ a: x, b: w, bias }),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedX, savedW] = saved;
      return [
        tf.matMul(dy, tf.transpose(savedW)),
        tf.matMul(tf.transpose(savedX), dy),
        columnSums(dy as tf.Tensor2D),
      ];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor1D) => tf.Tensor2D;

/**
 * relu(x · w + bias) in one fused kernel. The gradient masks dy by the output (y > 0 ⇔ pre-activation > 0),
 * so the pre-activation is never materialized: forward 1 kernel instead of 3, backward 6 instead of 9.
 */
const fusedLinearRelu = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, bias, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  const y = tf.fused.matMul({ a: x, b: w, bias, activation: 'relu' });
  save([x, w, y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedX, savedW, savedY] = saved;
      const masked = tf.mul(dy, tf.step(savedY));
      return [
        tf.matMul(masked, tf.transpose(savedW)),
        tf.matMul(tf.transpose(savedX), masked),
        columnSums(masked as tf.Tensor2D),
      ];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor1D) => tf.Tensor2D;

/** relu(x · w + bias) for a data input x (a one-hot matrix): x gets no gradient, which saves a product. */
const dataLinearRelu = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, bias, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  const y = tf.fused.matMul({ a: x, b: w, bias, activation: 'relu' });
  save([x, y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedX, savedY] = saved;
      const masked = tf.mul(dy, tf.step(savedY));
      return [
        tf.zerosLike(savedX),
        tf.matMul(tf.transpose(savedX), masked),
        columnSums(masked as tf.Tensor2D),
      ];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor1D) => tf.Tensor2D;

/**
 * dense() for a data input (no gradient wanted for x): cheaper when fused with ReLU, else dense() itself. One-hot
 * data on wasm skips its zeros when the kernel runs as WebAssembly SIMD (FAST_PATHS.sparseOneHot, simdKernels):
 * as JavaScript passes it cost more than XNNPACK's dense product on the factored MLP's [673, 62] · [62, 256] layer
 * (bench/results/kernel-tax/README.md).
 */
export function dataDense(
  x: tf.Tensor2D,
  weight: tf.Tensor2D,
  bias: tf.Tensor1D,
  activation: 'relu' | 'gelu' | 'tanh',
): tf.Tensor {
  if (FAST_PATHS.sparseOneHot && simdOneHotProductAvailable()) {
    const product = oneHotProduct(x, weight, bias, activation === 'relu');
    return activation === 'relu' ? product : activate(product, activation);
  }
  if (activation === 'relu' && FAST_PATHS.fusedDense) return dataLinearRelu(x, weight, bias);
  return dense(x, weight, bias, activation);
}

/**
 * x [.., in] · w [in, out] + bias, flattening leading axes into one matrix product. With `activation` 'relu' and a
 * bias, the activation is fused into the same kernel (FAST_PATHS.fusedDense); other activations follow it.
 */
export function dense(
  x: tf.Tensor,
  weight: tf.Tensor,
  bias?: tf.Tensor,
  activation?: 'relu' | 'gelu' | 'tanh',
): tf.Tensor {
  const leading = x.shape.slice(0, -1);
  const flat = tf.reshape(x, [-1, x.shape[x.shape.length - 1]]) as tf.Tensor2D;
  const outputs = weight.shape[weight.shape.length - 1] as number;
  let result: tf.Tensor;
  if (bias && FAST_PATHS.fusedDense && weight.rank === 2 && bias.rank === 1) {
    result =
      activation === 'relu'
        ? fusedLinearRelu(flat, weight as tf.Tensor2D, bias as tf.Tensor1D)
        : fusedLinear(flat, weight as tf.Tensor2D, bias as tf.Tensor1D);
    if (activation && activation !== 'relu') result = activate(result, activation);
  } else {
    const product = matMul(flat, weight);
    const withBias = bias ? tf.add(product, bias) : product;
    result = activation ? activate(withBias, activation) : withBias;
  }
  return tf.reshape(result, [...leading, outputs]);
}

export function activate(x: tf.Tensor, activation: 'relu' | 'gelu' | 'tanh'): tf.Tensor {
  switch (activation) {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'gelu':
      // tanh approximation, as in GPT-2; tfjs-core has no gelu op.
      return tf.mul(
        tf.mul(x, 0.5),
        tf.add(1, tf.tanh(tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI)))),
      );
  }
}
