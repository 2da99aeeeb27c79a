import type { TaskConfig } from '../config';
import { buildAdditionDataset } from './addition';
import type { Dataset } from './dataset';
import { buildModularDataset, buildTableDataset } from './modular';
import { buildParityDataset } from './parity';

export type TaskKind = TaskConfig['kind'];

interface TaskDefinition {
  label: string;
  /** Whether an MLP (which reads a fixed number of operand tokens and predicts one answer) can learn it. */
  mlpCompatible: boolean;
  build(task: TaskConfig, seed: number, forSequenceModel: boolean): Dataset;
}

/** One line per task family. */
export const TASKS: Record<TaskKind, TaskDefinition> = {
  modular: { label: 'Modular arithmetic', mlpCompatible: true, build: buildModularDataset },
  addition: {
    label: 'Multi-digit addition',
    mlpCompatible: false,
    build: (task, seed) => buildAdditionDataset(task, seed),
  },
  parity: { label: 'Sparse parity', mlpCompatible: true, build: buildParityDataset },
  table: { label: 'Uploaded table', mlpCompatible: true, build: buildTableDataset },
};

export function buildDataset(task: TaskConfig, seed: number, forSequenceModel: boolean): Dataset {
  return TASKS[task.kind].build(task, seed, forSequenceModel);
}
