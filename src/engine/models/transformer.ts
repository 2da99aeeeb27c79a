import * as tf from '@tensorflow/tfjs-core';
import type { ModelConfig } from '../config';
import type { Dataset } from '../tasks/dataset';
import { activate, dense, embed, matMul, transposeLast } from '../ops';
import { normalInit, withProbe, type Model, type ParameterInfo, type SiteInfo } from './model';

const MASKED = -1e9;

/**
 * A decoder-only transformer in the style of Nanda et al.'s grokking model: learned token and position
 * embeddings, `layers` blocks of causal multi-head attention and a ReLU MLP on a residual stream, optional
 * pre-LayerNorm (off by default, like the classic setups), and an unembedding read at the answer positions.
 */
export function createTransformer(config: ModelConfig, dataset: Dataset): Model {
  const d = config.dModel;
  const heads = config.heads;
  const headDim = d / heads;
  const length = dataset.sequenceLength;
  const answers = dataset.answerLength;
  const parameterInfo: ParameterInfo[] = [
    { name: 'embedding', shape: [dataset.vocabSize, d], role: 'embedding' },
    { name: 'position', shape: [length, d], role: 'embedding' },
  ];
  const sites: SiteInfo[] = [{ name: 'embedding', role: 'embedding', dim: d, label: 'embedding' }];
  for (let block = 0; block < config.layers; block++) {
    const prefix = `block${block}`;
    if (config.layerNorm) {
      parameterInfo.push(
        { name: `${prefix}.norm1.gain`, shape: [d], role: 'gain' },
        { name: `${prefix}.norm1.bias`, shape: [d], role: 'bias' },
        { name: `${prefix}.norm2.gain`, shape: [d], role: 'gain' },
        { name: `${prefix}.norm2.bias`, shape: [d], role: 'bias' },
      );
    }
    parameterInfo.push(
      { name: `${prefix}.attention.qkv`, shape: [d, 3 * d], role: 'matrix' },
      { name: `${prefix}.attention.out`, shape: [d, d], role: 'matrix' },
      { name: `${prefix}.mlp.in`, shape: [d, config.dMlp], role: 'matrix' },
      { name: `${prefix}.mlp.inBias`, shape: [config.dMlp], role: 'bias' },
      { name: `${prefix}.mlp.out`, shape: [config.dMlp, d], role: 'matrix' },
      { name: `${prefix}.mlp.outBias`, shape: [d], role: 'bias' },
    );
    sites.push(
      { name: `mlp${block}`, role: 'hidden', dim: config.dMlp, label: `block ${block + 1} MLP hidden` },
      { name: `residual${block}`, role: 'residual', dim: d, label: `residual after block ${block + 1}` },
    );
  }
  if (config.layerNorm) {
    parameterInfo.push(
      { name: 'final.norm.gain', shape: [d], role: 'gain' },
      { name: 'final.norm.bias', shape: [d], role: 'bias' },
    );
  }
  parameterInfo.push({ name: 'unembed', shape: [d, dataset.numClasses], role: 'matrix' });

  const causalMask = tf.tidy(() => {
    const mask = new Float32Array(length * length);
    for (let i = 0; i < length; i++) for (let j = i + 1; j < length; j++) mask[i * length + j] = MASKED;
    return tf.keep(tf.tensor2d(mask, [length, length]));
  });

  const layerNorm = (x: tf.Tensor, gain: tf.Tensor, bias: tf.Tensor): tf.Tensor => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), gain), bias);
  };

  const attention = (x: tf.Tensor, qkvWeight: tf.Tensor, outWeight: tf.Tensor, count: number): tf.Tensor => {
    const qkv = tf.reshape(dense(x, qkvWeight), [count, length, 3, heads, headDim]);
    // [3, N, heads, T, headDim]
    const [q, k, v] = tf.unstack(tf.transpose(qkv, [2, 0, 3, 1, 4]));
    const scores = tf.add(tf.mul(matMul(q, transposeLast(k)), 1 / Math.sqrt(headDim)), causalMask);
    const mixed = matMul(tf.softmax(scores), v); // [N, heads, T, headDim]
    const merged = tf.reshape(tf.transpose(mixed, [0, 2, 1, 3]), [count, length, d]);
    return dense(merged, outWeight);
  };

  return {
    kind: 'transformer',
    parameterInfo,
    sites,
    initialize(random) {
      const values: Record<string, Float32Array> = {};
      for (const info of parameterInfo) {
        const size = info.shape.reduce((x, y) => x * y, 1);
        if (info.role === 'gain') values[info.name] = new Float32Array(size).fill(1);
        else if (info.role === 'bias') values[info.name] = new Float32Array(size);
        else if (info.name === 'unembed')
          values[info.name] = normalInit(size, 1 / Math.sqrt(dataset.numClasses), random);
        else
          values[info.name] = normalInit(
            size,
            1 / Math.sqrt(info.name.endsWith('mlp.out') ? config.dMlp : d),
            random,
          );
      }
      return values;
    },
    forward(parameters, oneHot, options) {
      const [count, , vocab] = oneHot.shape;
      const p = (name: string): tf.Tensor => parameters[name];
      const tokens = tf.reshape(
        embed(tf.reshape(oneHot, [count * length, vocab]) as tf.Tensor2D, p('embedding') as tf.Tensor2D),
        [count, length, d],
      );
      const activations: Record<string, tf.Tensor> = {};
      let residual = withProbe('embedding', tf.add(tokens, p('position')), options);
      activations['embedding'] = residual;
      for (let block = 0; block < config.layers; block++) {
        const prefix = `block${block}`;
        const attentionInput = config.layerNorm
          ? layerNorm(residual, p(`${prefix}.norm1.gain`), p(`${prefix}.norm1.bias`))
          : residual;
        residual = tf.add(
          residual,
          attention(attentionInput, p(`${prefix}.attention.qkv`), p(`${prefix}.attention.out`), count),
        );
        const mlpInput = config.layerNorm
          ? layerNorm(residual, p(`${prefix}.norm2.gain`), p(`${prefix}.norm2.bias`))
          : residual;
        const hidden = withProbe(
          `mlp${block}`,
          activate(dense(mlpInput, p(`${prefix}.mlp.in`), p(`${prefix}.mlp.inBias`)), 'relu'),
          options,
        );
        activations[`mlp${block}`] = hidden;
        residual = withProbe(
          `residual${block}`,
          tf.add(residual, dense(hidden, p(`${prefix}.mlp.out`), p(`${prefix}.mlp.outBias`))),
          options,
        );
        activations[`residual${block}`] = residual;
      }
      const finalStream = config.layerNorm
        ? layerNorm(residual, p('final.norm.gain'), p('final.norm.bias'))
        : residual;
      const answerStream = tf.slice(finalStream, [0, length - answers, 0], [count, answers, d]);
      return { logits: dense(answerStream, p('unembed')), activations };
    },
    dispose() {
      causalMask.dispose();
    },
  };
}
