import type { BackendReport, InitResult } from '../protocol';
import type { SessionTrainer } from './types';

/** What init/reset/restore answer about the run: its backend, config, step and what the page draws it with. */
export function describeRun(trainer: SessionTrainer, report: BackendReport): InitResult {
  const { dataset } = trainer;
  return {
    ok: true,
    backend: report,
    config: trainer.config,
    step: trainer.step,
    sites: trainer.model.sites.map(({ name, label, role, dim }) => ({ name, label, role, dim })),
    datasetTitle: dataset.title,
    gridSize: dataset.grid?.size ?? null,
    grid: dataset.grid ? { size: dataset.grid.size, a: dataset.grid.a, b: dataset.grid.b } : null,
    isTrain: dataset.isTrain,
    tokenNames: dataset.tokenNames,
    operandVocabulary: dataset.operandVocabulary,
  };
}
