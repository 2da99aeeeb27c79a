/**
 * The shapes computed from a config alone agree with what the real trainer builds on the wasm backend: its
 * datasets (the task builders) and its parameter tensors, for every model family and task kind.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, type Config, type DeepPartial } from '../config';
import { initNodeBackend } from '../node';
import { PRESETS } from '../presets';
import { buildDataset } from '../tasks/registry';
import { Trainer } from '../trainer';
import { parameterSize } from '../carriedState';
import { parameterShapes, taskDimensions } from './parameterShapes';
import { MODELS } from './registry';

beforeAll(async () => {
  await initNodeBackend();
});

function config(patch: DeepPartial<Config>): Config {
  const result = resolveConfig(patch);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

const table = { name: 't', rows: [0, 0, 1, 0, 1, 2, 1, 0, 2, 1, 1, 0, 2, 2, 1] };
const small = { embedDim: 6, hiddenWidth: 10, dModel: 8, heads: 2, dMlp: 12 };

const CASES: Record<string, DeepPartial<Config>> = {
  'MLP, (a+b) mod 13, concat, 2 hidden layers': {
    task: { modulus: 13 },
    model: { kind: 'mlp', ...small, hiddenLayers: 2 },
  },
  'MLP, a/b mod 11 (undefined cells skipped), sum': {
    task: { modulus: 11, operation: 'a/b' },
    model: { kind: 'mlp', ...small, combine: 'sum' },
  },
  'MLP, sparse parity (12 bits)': {
    task: { kind: 'parity', parityBits: 12, parityRelevant: 3, samples: 64 },
    model: { kind: 'mlp', ...small },
  },
  'MLP, uploaded table mod 3': {
    task: { kind: 'table', modulus: 3, table },
    model: { kind: 'mlp', ...small },
  },
  'transformer, (a+b) mod 7, 2 layers, LayerNorm': {
    task: { modulus: 7 },
    model: { kind: 'transformer', ...small, layers: 2, layerNorm: true },
  },
  'transformer, 2-digit addition': {
    task: { kind: 'addition', digits: 2, samples: 64 },
    model: { kind: 'transformer', ...small },
  },
  'transformer, sparse parity': {
    task: { kind: 'parity', parityBits: 6, parityRelevant: 2, samples: 32 },
    model: { kind: 'transformer', ...small },
  },
  'transformer, uploaded table': {
    task: { kind: 'table', modulus: 3, table },
    model: { kind: 'transformer', ...small },
  },
};

describe('parameterShapes (no dataset, no tfjs)', () => {
  it.each(Object.entries(CASES))('%s: the dimensions of the dataset the task builds', (_name, patch) => {
    const resolved = config(patch);
    for (const sequence of [false, true]) {
      const dataset = buildDataset(resolved.task, resolved.seed, sequence);
      expect(taskDimensions(resolved.task, sequence)).toEqual({
        vocabSize: dataset.vocabSize,
        sequenceLength: dataset.sequenceLength,
        answerLength: dataset.answerLength,
        numClasses: dataset.numClasses,
      });
    }
  });

  it.each(Object.entries(CASES))('%s: the trainer’s parameter tensors on wasm', async (_name, patch) => {
    const resolved = config(patch);
    const trainer = new Trainer(resolved);
    try {
      const state = await trainer.getState();
      const expected = parameterShapes(resolved);
      expect(Object.keys(state.parameters)).toEqual(expected.map((info) => info.name));
      for (const info of expected) expect(state.parameters[info.name].length).toBe(parameterSize(info.shape));
      expect(Object.keys(state.optimizer.firstMoments)).toEqual(expected.map((info) => info.name));
    } finally {
      trainer.dispose();
    }
  });

  it('every preset’s model, as the trainer would build it', () => {
    for (const preset of Object.values(PRESETS)) {
      const resolved = config(preset.config);
      const dataset = buildDataset(resolved.task, resolved.seed, MODELS[resolved.model.kind].sequence);
      const model = MODELS[resolved.model.kind].create(resolved.model, dataset);
      expect(parameterShapes(resolved)).toEqual(model.parameterInfo);
      model.dispose?.();
    }
  });
});
