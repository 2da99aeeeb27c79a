import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../engine/config';
import { buildModularDataset, buildTableDataset } from '../../engine/tasks/modular';
import { gridTargets } from './gridTargets';

describe('gridTargets', () => {
  it('matches the engine dataset, including operations that skip cells', () => {
    for (const operation of ['a+b', 'a/b', 'a^2+ab+b^2']) {
      const task = { ...DEFAULT_CONFIG.task, operation, modulus: 13 };
      const dataset = buildModularDataset(task, 0, false);
      expect(Array.from(gridTargets(task, dataset.grid!)!)).toEqual(Array.from(dataset.targets));
    }
  });

  it('reads the answers of an uploaded table', () => {
    const task = {
      ...DEFAULT_CONFIG.task,
      kind: 'table' as const,
      modulus: 3,
      table: { name: 'x', rows: [0, 1, 2, 2, 2, 1, 1, 0, 0] },
    };
    const dataset = buildTableDataset(task, 0, false);
    expect(Array.from(gridTargets(task, dataset.grid!)!)).toEqual(Array.from(dataset.targets));
  });

  it('is null for tasks without a grid', () => {
    expect(gridTargets({ ...DEFAULT_CONFIG.task, kind: 'parity' }, null)).toBeNull();
  });
});
