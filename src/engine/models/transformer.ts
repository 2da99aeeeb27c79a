import * as tf from '@tensorflow/tfjs-core';
import type { ModelConfig } from '../config';
import type { Dataset } from '../tasks/dataset';
import { dense, embed, matMul } from '../ops';
import {
  initializeEach,
  normalInit,
  withProbe,
  type Model,
  type ModelParameters,
  type SiteInfo,
} from './model';
import { transformerParameters } from './parameterShapes';

const MASKED = -1e9;

/**
 * A decoder-only transformer in the style of Nanda et al.'s grokking model: learned token and position
 * embeddings, `layers` blocks of causal multi-head attention and a ReLU MLP on a residual stream, optional
 * pre-LayerNorm (off by default, like the classic setups), and an unembedding read at the answer positions.
 */
export interface TransformerOptions {
  /** 'auto' broadcasts for short sequences and uses batched matMul otherwise; both compute the same thing. */
  attention: 'auto' | 'broadcast' | 'matmul';
  /**
   * In the last block only the answer positions reach the logits, so only their query, attention output and
   * MLP are computed (exact; about 2× fewer FLOPs for `a b =`). Off computes every position.
   */
  pruneLastBlock: boolean;
}

/** Element budget for the broadcast attention's [N, i, j, d] intermediate. */
const BROADCAST_LIMIT = 16_000_000;

export function createTransformer(
  config: ModelConfig,
  dataset: Dataset,
  options: TransformerOptions = { attention: 'auto', pruneLastBlock: true },
): Model {
  const d = config.dModel;
  const heads = config.heads;
  const headDim = d / heads;
  const length = dataset.sequenceLength;
  const answers = dataset.answerLength;
  const parameterInfo = transformerParameters(config, dataset);
  const sites: SiteInfo[] = [
    { name: 'embedding', role: 'embedding', dim: d, label: 'embedding' },
    ...Array.from({ length: config.layers }, (_, block): SiteInfo[] => [
      { name: `mlp${block}`, role: 'hidden', dim: config.dMlp, label: `block ${block + 1} MLP hidden` },
      { name: `residual${block}`, role: 'residual', dim: d, label: `residual after block ${block + 1}` },
    ]).flat(),
  ];

  const causalMask = tf.tidy(() => {
    const mask = new Float32Array(length * length);
    for (let i = 0; i < length; i++) for (let j = i + 1; j < length; j++) mask[i * length + j] = MASKED;
    return tf.keep(tf.tensor2d(mask, [length, length]));
  });

  const layerNorm = (x: tf.Tensor, gain: tf.Tensor, bias: tf.Tensor): tf.Tensor => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), gain), bias);
  };

  /**
   * Causal multi-head attention for the query positions `from..length-1` (all positions except in the last
   * block, where only the answer positions feed the output). Returns [N, queries, d].
   */
  const attention = (
    x: tf.Tensor,
    prefix: string,
    parameters: ModelParameters,
    count: number,
    from: number,
  ) => {
    const queries = length - from;
    // Separate projections rather than one fused qkv: slicing the fused product (and padding its gradient)
    // cost more than the extra matMul dispatches on wasm.
    const queryInput = from === 0 ? x : tf.slice(x, [0, from, 0], [count, queries, d]);
    const q = tf.reshape(dense(queryInput, parameters[`${prefix}.attention.query`]), [
      count,
      queries,
      heads,
      headDim,
    ]);
    const k = tf.reshape(dense(x, parameters[`${prefix}.attention.key`]), [count, length, heads, headDim]);
    const v = tf.reshape(dense(x, parameters[`${prefix}.attention.value`]), [count, length, heads, headDim]);
    const mask = from === 0 ? causalMask : tf.slice(causalMask, [from, 0], [queries, length]);
    const strategy =
      options.attention === 'auto'
        ? count * queries * length * d <= BROADCAST_LIMIT
          ? 'broadcast'
          : 'matmul'
        : options.attention;
    let mixed: tf.Tensor; // [N, queries, heads, headDim]
    if (strategy === 'broadcast') {
      // Short sequences: products by broadcasting over [N, i, j, heads, headDim] need no transposes and no
      // batched matMul, the two slowest kernels for tiny per-head matrices on wasm.
      const scores = tf.sum(tf.mul(tf.expandDims(q, 2), tf.expandDims(k, 1)), 4); // [N, i, j, heads]
      const masked = tf.add(tf.mul(scores, 1 / Math.sqrt(headDim)), tf.expandDims(mask, 2));
      const weights = tf.softmax(tf.transpose(masked, [0, 1, 3, 2])); // softmax over j: [N, i, heads, j]
      const weightsByKey = tf.expandDims(tf.transpose(weights, [0, 1, 3, 2]), 4); // [N, i, j, heads, 1]
      mixed = tf.sum(tf.mul(weightsByKey, tf.expandDims(v, 1)), 2);
    } else {
      const qh = tf.transpose(q, [0, 2, 1, 3]); // [N, heads, i, headDim]
      const kh = tf.transpose(k, [0, 2, 3, 1]); // [N, heads, headDim, j]
      const vh = tf.transpose(v, [0, 2, 1, 3]);
      const scores = tf.add(tf.mul(matMul(qh, kh), 1 / Math.sqrt(headDim)), mask);
      mixed = tf.transpose(matMul(tf.softmax(scores), vh), [0, 2, 1, 3]);
    }
    return dense(tf.reshape(mixed, [count, queries, d]), parameters[`${prefix}.attention.out`]);
  };

  return {
    kind: 'transformer',
    parameterInfo,
    sites,
    initialize(random) {
      return initializeEach(parameterInfo, (info, size) => {
        if (info.role === 'gain') return new Float32Array(size).fill(1);
        if (info.role === 'bias') return new Float32Array(size);
        if (info.name === 'unembed') return normalInit(size, 1 / Math.sqrt(dataset.numClasses), random);
        return normalInit(size, 1 / Math.sqrt(info.name.endsWith('mlp.out') ? config.dMlp : d), random);
      });
    },
    forward(parameters, oneHot, forwardOptions) {
      const [count, , vocab] = oneHot.shape;
      const p = (name: string): tf.Tensor => parameters[name];
      const tokens = tf.reshape(
        embed(tf.reshape(oneHot, [count * length, vocab]) as tf.Tensor2D, p('embedding') as tf.Tensor2D),
        [count, length, d],
      );
      const activations: Record<string, tf.Tensor> = {};
      let residual = withProbe('embedding', tf.add(tokens, p('position')), forwardOptions);
      activations['embedding'] = residual;
      for (let block = 0; block < config.layers; block++) {
        const prefix = `block${block}`;
        const from = options.pruneLastBlock && block === config.layers - 1 ? length - answers : 0;
        const attentionInput = config.layerNorm
          ? layerNorm(residual, p(`${prefix}.norm1.gain`), p(`${prefix}.norm1.bias`))
          : residual;
        const attended = attention(attentionInput, prefix, parameters, count, from);
        const kept = from === 0 ? residual : tf.slice(residual, [0, from, 0], [count, length - from, d]);
        residual = tf.add(kept, attended);
        const mlpInput = config.layerNorm
          ? layerNorm(residual, p(`${prefix}.norm2.gain`), p(`${prefix}.norm2.bias`))
          : residual;
        const hidden = withProbe(
          `mlp${block}`,
          dense(mlpInput, p(`${prefix}.mlp.in`), p(`${prefix}.mlp.inBias`), 'relu'),
          forwardOptions,
        );
        activations[`mlp${block}`] = hidden;
        residual = withProbe(
          `residual${block}`,
          tf.add(residual, dense(hidden, p(`${prefix}.mlp.out`), p(`${prefix}.mlp.outBias`))),
          forwardOptions,
        );
        activations[`residual${block}`] = residual;
      }
      const finalStream = config.layerNorm
        ? layerNorm(residual, p('final.norm.gain'), p('final.norm.bias'))
        : residual;
      const positions = finalStream.shape[1] as number;
      const answerStream = tf.slice(finalStream, [0, positions - answers, 0], [count, answers, d]);
      return { logits: dense(answerStream, p('unembed')), activations };
    },
    dispose() {
      causalMask.dispose();
    },
  };
}
