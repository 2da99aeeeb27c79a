/** Human names of the config fields the controls edit (regularizer params are named by their specs). */
export const FIELD_LABELS: Record<string, string> = {
  seed: 'Seed',
  'task.kind': 'Task',
  'task.operation': 'Operation',
  'task.modulus': 'Modulus p',
  'task.trainFraction': 'Train fraction',
  'task.digits': 'Digits',
  'task.samples': 'Examples',
  'task.parityBits': 'Bits',
  'task.parityRelevant': 'Relevant bits',
  'model.kind': 'Model',
  'model.embedDim': 'Embedding size',
  'model.hiddenWidth': 'Hidden width',
  'model.hiddenLayers': 'Hidden layers',
  'model.activation': 'Activation',
  'model.layers': 'Layers',
  'model.dModel': 'd_model',
  'model.heads': 'Heads',
  'model.dMlp': 'd_mlp',
  'model.layerNorm': 'LayerNorm',
  'optimizer.lr': 'Learning rate',
  'optimizer.beta1': 'β₁',
  'optimizer.beta2': 'β₂',
  'optimizer.warmupSteps': 'Warm-up steps',
  'optimizer.batchSize': 'Batch size',
  'training.evalEvery': 'Evaluate every',
  'training.grokThreshold': 'Grok threshold',
  'training.maxSteps': 'Step budget',
  'training.stopAfterGrok': 'Stop after grokking',
};

/** Sections a running trainer accepts through update(); anything else needs a reset. */
export const LIVE_SECTIONS = ['regularizers', 'optimizer', 'training'] as const;

export function isLivePath(path: string): boolean {
  return (LIVE_SECTIONS as readonly string[]).includes(path.split('.')[0]);
}
