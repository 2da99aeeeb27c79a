import * as tf from '@tensorflow/tfjs-core';

/** Swaps the last two axes. */
export function transposeLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const rank = perm.length;
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return tf.transpose(x, perm);
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

/**
 * Embedding lookup as one-hot × table. tf.gather's gradient needs UnsortedSegmentSum, which tfjs-wasm lacks;
 * the one-hot product works on every backend. The one-hot input is data, so its gradient is zeros.
 */
export const embed = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
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

/** x [.., in] · w [in, out] + bias, flattening leading axes into one matrix product. */
export function dense(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  const leading = x.shape.slice(0, -1);
  const flat = tf.reshape(x, [-1, x.shape[x.shape.length - 1]]);
  const product = matMul(flat, weight);
  const withBias = bias ? tf.add(product, bias) : product;
  const outputs = weight.shape[weight.shape.length - 1] as number;
  return tf.reshape(withBias, [...leading, outputs]);
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
