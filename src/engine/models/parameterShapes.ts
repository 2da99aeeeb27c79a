/**
 * The parameters a config's model has — names, shapes, roles — computed from the config alone: no dataset is
 * built and no tfjs is loaded. The models build their parameters from these functions, and a saved run's weights
 * are checked against them before anything is restored (an imported file whose model.hiddenWidth was edited no
 * longer fits). The dimensions a task gives a model follow the task builders in ../tasks/ (tested against them).
 */
import type { Config, ModelConfig, TaskConfig } from '../config';
import type { ParameterInfo } from './model';

/** What a task's dataset fixes about a model's shapes (a subset of Dataset). */
export interface TaskDimensions {
  vocabSize: number;
  sequenceLength: number;
  answerLength: number;
  numClasses: number;
}

/**
 * The dimensions of the dataset `task` builds; `forSequenceModel` adds the "=" token (see tasks/modular.ts,
 * addition.ts, parity.ts).
 */
export function taskDimensions(task: TaskConfig, forSequenceModel: boolean): TaskDimensions {
  const equals = forSequenceModel ? 1 : 0;
  switch (task.kind) {
    case 'modular':
    case 'table':
      return {
        vocabSize: task.modulus + equals,
        sequenceLength: 2 + equals,
        answerLength: 1,
        numClasses: task.modulus,
      };
    case 'parity':
      return {
        vocabSize: 2 + equals,
        sequenceLength: task.parityBits + equals,
        answerLength: 1,
        numClasses: 2,
      };
    case 'addition': {
      // `123+456=0579` without its last character: the answer digits are predicted next-token.
      const answerLength = task.digits + 1;
      return {
        vocabSize: 12,
        sequenceLength: 2 * task.digits + 1 + answerLength,
        answerLength,
        numClasses: 10,
      };
    }
  }
}

/** Embeddings of the operand tokens (concatenated or summed), hidden layers, class scores. */
export function mlpParameters(model: ModelConfig, task: TaskDimensions): ParameterInfo[] {
  const inputWidth = model.combine === 'concat' ? task.sequenceLength * model.embedDim : model.embedDim;
  const parameters: ParameterInfo[] = [
    { name: 'embedding', shape: [task.vocabSize, model.embedDim], role: 'embedding' },
  ];
  let fanIn = inputWidth;
  for (let layer = 0; layer < model.hiddenLayers; layer++) {
    parameters.push(
      { name: `hidden${layer}.weight`, shape: [fanIn, model.hiddenWidth], role: 'matrix' },
      { name: `hidden${layer}.bias`, shape: [model.hiddenWidth], role: 'bias' },
    );
    fanIn = model.hiddenWidth;
  }
  parameters.push(
    { name: 'output.weight', shape: [fanIn, task.numClasses], role: 'matrix' },
    { name: 'output.bias', shape: [task.numClasses], role: 'bias' },
  );
  return parameters;
}

/** Token and position embeddings, `layers` blocks (optional pre-LayerNorm), unembedding. */
export function transformerParameters(model: ModelConfig, task: TaskDimensions): ParameterInfo[] {
  const d = model.dModel;
  const parameters: ParameterInfo[] = [
    { name: 'embedding', shape: [task.vocabSize, d], role: 'embedding' },
    { name: 'position', shape: [task.sequenceLength, d], role: 'embedding' },
  ];
  for (let block = 0; block < model.layers; block++) {
    const prefix = `block${block}`;
    if (model.layerNorm) {
      parameters.push(
        { name: `${prefix}.norm1.gain`, shape: [d], role: 'gain' },
        { name: `${prefix}.norm1.bias`, shape: [d], role: 'bias' },
        { name: `${prefix}.norm2.gain`, shape: [d], role: 'gain' },
        { name: `${prefix}.norm2.bias`, shape: [d], role: 'bias' },
      );
    }
    parameters.push(
      { name: `${prefix}.attention.query`, shape: [d, d], role: 'matrix' },
      { name: `${prefix}.attention.key`, shape: [d, d], role: 'matrix' },
      { name: `${prefix}.attention.value`, shape: [d, d], role: 'matrix' },
      { name: `${prefix}.attention.out`, shape: [d, d], role: 'matrix' },
      { name: `${prefix}.mlp.in`, shape: [d, model.dMlp], role: 'matrix' },
      { name: `${prefix}.mlp.inBias`, shape: [model.dMlp], role: 'bias' },
      { name: `${prefix}.mlp.out`, shape: [model.dMlp, d], role: 'matrix' },
      { name: `${prefix}.mlp.outBias`, shape: [d], role: 'bias' },
    );
  }
  if (model.layerNorm) {
    parameters.push(
      { name: 'final.norm.gain', shape: [d], role: 'gain' },
      { name: 'final.norm.bias', shape: [d], role: 'bias' },
    );
  }
  parameters.push({ name: 'unembed', shape: [d, task.numClasses], role: 'matrix' });
  return parameters;
}

/** Per model family: whether it reads `a b =`-style sequences (models/registry.ts agrees; tested) and its parameters. */
export const MODEL_PARAMETERS: Record<
  ModelConfig['kind'],
  { sequence: boolean; parameters(model: ModelConfig, task: TaskDimensions): ParameterInfo[] }
> = {
  mlp: { sequence: false, parameters: mlpParameters },
  transformer: { sequence: true, parameters: transformerParameters },
};

/** The parameters the trainer builds for a (valid) config, in the trainer's order. */
export function parameterShapes(config: Pick<Config, 'task' | 'model'>): ParameterInfo[] {
  const family = MODEL_PARAMETERS[config.model.kind];
  return family.parameters(config.model, taskDimensions(config.task, family.sequence));
}
