import type { ModelConfig } from '../config';
import type { Dataset } from '../tasks/dataset';
import type { Model } from './model';
import { createMlp } from './mlp';
import { MODEL_PARAMETERS } from './parameterShapes';
import { createTransformer } from './transformer';

/**
 * One line per model family. `sequence`: whether it reads `a b =`-style sequences with an "=" token (kept with the
 * parameter shapes, which depend on it).
 */
export const MODELS: Record<
  ModelConfig['kind'],
  { label: string; sequence: boolean; create(config: ModelConfig, dataset: Dataset): Model }
> = {
  mlp: { label: 'MLP', sequence: MODEL_PARAMETERS.mlp.sequence, create: createMlp },
  transformer: {
    label: 'Transformer',
    sequence: MODEL_PARAMETERS.transformer.sequence,
    create: createTransformer,
  },
};
