import type { ModelConfig } from '../config';
import type { Dataset } from '../tasks/dataset';
import type { Model } from './model';
import { createMlp } from './mlp';
import { createTransformer } from './transformer';

/** One line per model family. `sequence`: whether it reads `a b =`-style sequences with an "=" token. */
export const MODELS: Record<
  ModelConfig['kind'],
  { label: string; sequence: boolean; create(config: ModelConfig, dataset: Dataset): Model }
> = {
  mlp: { label: 'MLP', sequence: false, create: createMlp },
  transformer: { label: 'Transformer', sequence: true, create: createTransformer },
};
