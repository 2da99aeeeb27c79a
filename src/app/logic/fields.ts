import { REGULARIZERS } from '../../engine/regularizers/registry';
import type { ParamSpec } from '../../engine/regularizers/spec';

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

const REGULARIZER_DEFINITIONS: Record<string, { label: string; params: Record<string, ParamSpec> }> =
  REGULARIZERS;

/** "someNewKey" → "Some new key". */
function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A changed config path as the user knows it, for the "Applies when you start: …" list: the control's label, the
 * regularizer and parameter names, "Uploaded table" for any part of the table; never a dotted key.
 */
export function pendingChangeLabel(path: string): string {
  if (FIELD_LABELS[path]) return FIELD_LABELS[path];
  const keys = path.split('.');
  if (keys[0] === 'task' && keys[1] === 'table') return 'Uploaded table';
  if (keys[0] === 'regularizers' && keys.length >= 2) {
    const definition = REGULARIZER_DEFINITIONS[keys[1]];
    const method = definition?.label ?? humanize(keys[1]);
    if (keys.length === 2) return method;
    if (keys[2] === 'enabled') return `${method} on/off`;
    return `${method} ${definition?.params[keys[2]]?.label ?? humanize(keys[2])}`;
  }
  return humanize(keys[keys.length - 1]);
}
