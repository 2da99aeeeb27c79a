import * as tf from '@tensorflow/tfjs-core';
import type { ModelConfig } from '../config';
import type { Dataset } from '../tasks/dataset';
import { FAST_PATHS } from '../fastPaths';
import { dataDense, dense, embed, matMul } from '../ops';
import {
  initializeEach,
  normalInit,
  uniformInit,
  withProbe,
  type ForwardOptions,
  type Model,
  type ModelParameters,
  type SiteInfo,
} from './model';
import { mlpParameters } from './parameterShapes';

/**
 * Token embeddings for the operands, concatenated (or summed), then hidden layers, then class scores.
 * Initialized like PyTorch's nn.Embedding (N(0, 1)) and nn.Linear (U(±1/√fan_in)), the reference setups.
 */
export function createMlp(config: ModelConfig, dataset: Dataset): Model {
  const tokens = dataset.sequenceLength;
  const inputWidth = config.combine === 'concat' ? tokens * config.embedDim : config.embedDim;
  const parameterInfo = mlpParameters(config, dataset);
  const sites: SiteInfo[] = [
    { name: 'embedding', role: 'embedding', dim: inputWidth, label: 'input embedding' },
    ...Array.from({ length: config.hiddenLayers }, (_, layer) => ({
      name: `hidden${layer}`,
      role: 'hidden' as const,
      dim: config.hiddenWidth,
      label: `hidden layer ${layer + 1}`,
    })),
  ];

  /**
   * The factored first layer (FAST_PATHS.factoredEmbedding): concat(E[a], E[b])·W₁ = Σₜ onehotₜ·(E·W₁ₜ), so build
   * the table P [T·V, width] (row t·V+v = E[v]·W₁ₜ, a small product) and read it with one product from the one-hot
   * input. Only when nothing is attached to the embedding site's value (a probe needs h to depend on it).
   */
  const factored = (options: ForwardOptions | undefined): boolean =>
    FAST_PATHS.factoredEmbedding &&
    config.combine === 'concat' &&
    config.hiddenLayers > 0 &&
    !options?.probes?.['embedding'];
  const firstLayerFromTable = (parameters: ModelParameters, oneHot: tf.Tensor): tf.Tensor => {
    const [count, length, vocab] = oneHot.shape;
    const width = config.hiddenWidth;
    const e = config.embedDim;
    const perToken = tf.reshape(
      tf.transpose(tf.reshape(parameters['hidden0.weight'], [length, e, width]), [1, 0, 2]),
      [e, length * width],
    );
    const table = tf.reshape(
      tf.transpose(tf.reshape(matMul(parameters['embedding'], perToken), [vocab, length, width]), [1, 0, 2]),
      [length * vocab, width],
    );
    return dataDense(
      tf.reshape(oneHot, [count, length * vocab]) as tf.Tensor2D,
      table as tf.Tensor2D,
      parameters['hidden0.bias'] as tf.Tensor1D,
      config.activation,
    );
  };

  return {
    kind: 'mlp',
    parameterInfo,
    sites,
    initialize(random) {
      return initializeEach(parameterInfo, (info, size) => {
        if (info.role === 'embedding') return normalInit(size, 1, random);
        const layerFanIn = parameterInfo.find((p) => p.name === info.name.replace('.bias', '.weight'))!
          .shape[0];
        return uniformInit(size, 1 / Math.sqrt(layerFanIn), random);
      });
    },
    forward(parameters, oneHot, options) {
      const [count, length, vocab] = oneHot.shape;
      const tokenEmbeddings = embed(
        tf.reshape(oneHot, [count * length, vocab]),
        parameters['embedding'] as tf.Tensor2D,
      );
      const perExample = tf.reshape(tokenEmbeddings, [count, length, config.embedDim]);
      const combined =
        config.combine === 'concat'
          ? tf.reshape(perExample, [count, length * config.embedDim])
          : tf.sum(perExample, 1);
      const activations: Record<string, tf.Tensor> = {};
      let x = withProbe('embedding', combined, options);
      activations['embedding'] = x;
      for (let layer = 0; layer < config.hiddenLayers; layer++) {
        if (layer === 0 && factored(options)) {
          x = withProbe('hidden0', firstLayerFromTable(parameters, oneHot), options);
          activations['hidden0'] = x;
          continue;
        }
        const hidden = dense(
          x,
          parameters[`hidden${layer}.weight`],
          parameters[`hidden${layer}.bias`],
          config.activation,
        );
        x = withProbe(`hidden${layer}`, hidden, options);
        activations[`hidden${layer}`] = x;
      }
      const logits = dense(x, parameters['output.weight'], parameters['output.bias']);
      return { logits: tf.reshape(logits, [count, 1, dataset.numClasses]), activations };
    },
  };
}
