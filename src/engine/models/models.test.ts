import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ModelConfig } from '../config';
import { initNodeBackend } from '../node';
import { createRandom } from '../random';
import { buildAdditionDataset } from '../tasks/addition';
import type { Dataset } from '../tasks/dataset';
import { buildModularDataset } from '../tasks/modular';
import type { Model } from './model';
import { createMlp } from './mlp';
import { createTransformer } from './transformer';

beforeAll(async () => {
  await initNodeBackend();
});

function run(model: Model, dataset: Dataset, rows: number) {
  const values = model.initialize(createRandom(0));
  const parameters = Object.fromEntries(
    model.parameterInfo.map((info) => [info.name, tf.tensor(values[info.name], info.shape)]),
  );
  const oneHot = tf.oneHot(
    tf.tensor2d(
      dataset.inputs.slice(0, rows * dataset.sequenceLength),
      [rows, dataset.sequenceLength],
      'int32',
    ),
    dataset.vocabSize,
  );
  return model.forward(parameters, oneHot);
}

const model = (patch: Partial<ModelConfig>): ModelConfig => ({ ...DEFAULT_CONFIG.model, ...patch });

describe('models', () => {
  it('MLP: concatenated embeddings → hidden layers → logits, with named activations', () => {
    const dataset = buildModularDataset({ ...DEFAULT_CONFIG.task, modulus: 7 }, 0, false);
    const mlp = createMlp(model({ kind: 'mlp', embedDim: 8, hiddenWidth: 16, hiddenLayers: 2 }), dataset);
    const { logits, activations } = run(mlp, dataset, 5);
    expect(logits.shape).toEqual([5, 1, 7]);
    expect(activations['embedding'].shape).toEqual([5, 16]);
    expect(activations['hidden0'].shape).toEqual([5, 16]);
    expect(activations['hidden1'].shape).toEqual([5, 16]);
    expect(mlp.sites.map((site) => site.role)).toEqual(['embedding', 'hidden', 'hidden']);
    const summed = createMlp(model({ kind: 'mlp', embedDim: 8, combine: 'sum' }), dataset);
    expect(run(summed, dataset, 3).activations['embedding'].shape).toEqual([3, 8]);
  });

  it('transformer: logits at the answer positions, residual and MLP sites per block', () => {
    const dataset = buildModularDataset({ ...DEFAULT_CONFIG.task, modulus: 7 }, 0, true);
    const config = model({ layers: 2, dModel: 16, heads: 4, dMlp: 32 });
    const transformer = createTransformer(config, dataset);
    const { logits, activations } = run(transformer, dataset, 4);
    expect(logits.shape).toEqual([4, 1, 7]);
    expect(activations['residual0'].shape).toEqual([4, 3, 16]);
    // The last block computes only the answer position: nothing else reaches the logits.
    expect(activations['residual1'].shape).toEqual([4, 1, 16]);
    expect(activations['mlp0'].shape).toEqual([4, 3, 32]);
    const withNorm = createTransformer({ ...config, layerNorm: true }, dataset);
    expect(withNorm.parameterInfo.some((info) => info.role === 'gain')).toBe(true);
    expect(run(withNorm, dataset, 2).logits.shape).toEqual([2, 1, 7]);
    transformer.dispose?.();
    withNorm.dispose?.();
  });

  it('transformer on addition predicts every answer digit', () => {
    const dataset = buildAdditionDataset(
      { ...DEFAULT_CONFIG.task, kind: 'addition', digits: 2, samples: 50 },
      0,
    );
    const transformer = createTransformer(model({ dModel: 16, heads: 2, dMlp: 32 }), dataset);
    expect(run(transformer, dataset, 6).logits.shape).toEqual([6, 3, 10]);
  });

  it('attention is causal: later tokens do not change earlier positions', () => {
    const dataset = buildAdditionDataset(
      { ...DEFAULT_CONFIG.task, kind: 'addition', digits: 1, samples: 100 },
      0,
    );
    const transformer = createTransformer(model({ dModel: 8, heads: 2, dMlp: 16 }), dataset, {
      attention: 'auto',
      pruneLastBlock: false,
    });
    const values = transformer.initialize(createRandom(1));
    const parameters = Object.fromEntries(
      transformer.parameterInfo.map((info) => [info.name, tf.tensor(values[info.name], info.shape)]),
    );
    const a = tf.oneHot(tf.tensor2d([[1, 10, 2, 11, 0]], [1, 5], 'int32'), 12);
    const b = tf.oneHot(tf.tensor2d([[1, 10, 2, 11, 7]], [1, 5], 'int32'), 12);
    const first = transformer.forward(parameters, a).activations['residual0'];
    const second = transformer.forward(parameters, b).activations['residual0'];
    const early = (t: tf.Tensor): Float32Array =>
      tf.slice(t, [0, 0, 0], [1, 4, 8]).dataSync() as Float32Array;
    expect(Array.from(early(first))).toEqual(Array.from(early(second)));
  });
});

describe('transformer fast paths', () => {
  it('broadcast attention and last-block pruning give the same logits and gradients as the plain path', () => {
    const dataset = buildAdditionDataset(
      { ...DEFAULT_CONFIG.task, kind: 'addition', digits: 2, samples: 40 },
      0,
    );
    const config = model({ layers: 2, dModel: 16, heads: 4, dMlp: 32, layerNorm: true });
    const plain = createTransformer(config, dataset, { attention: 'matmul', pruneLastBlock: false });
    const fast = createTransformer(config, dataset, { attention: 'broadcast', pruneLastBlock: true });
    const values = plain.initialize(createRandom(3));
    const parameters = Object.fromEntries(
      plain.parameterInfo.map((info) => [info.name, tf.tensor(values[info.name], info.shape)]),
    );
    const oneHot = tf.oneHot(
      tf.tensor2d(dataset.inputs.slice(0, 8 * dataset.sequenceLength), [8, dataset.sequenceLength], 'int32'),
      dataset.vocabSize,
    );
    const names = Object.keys(parameters);
    const lossOf =
      (m: Model) =>
      (...inputs: tf.Tensor[]) =>
        tf.sum(tf.square(m.forward(Object.fromEntries(names.map((n, i) => [n, inputs[i]])), oneHot).logits));
    const expected = plain.forward(parameters, oneHot).logits.dataSync();
    const actual = fast.forward(parameters, oneHot).logits.dataSync();
    actual.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 4));
    const plainGrads = tf.grads(lossOf(plain))(Object.values(parameters));
    const fastGrads = tf.grads(lossOf(fast))(Object.values(parameters));
    plainGrads.forEach((g, i) => {
      const a = g.dataSync();
      const b = fastGrads[i].dataSync();
      const scale = Math.max(1e-3, ...Array.from(a, Math.abs));
      a.forEach((x, j) => expect(Math.abs(x - b[j]) / scale).toBeLessThan(1e-4));
    });
    plain.dispose?.();
    fast.dispose?.();
  });
});
