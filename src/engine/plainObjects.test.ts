import { describe, expect, it } from 'vitest';
import { isPlainObject, leafEntries, leafPaths } from './plainObjects';

describe('the object walker', () => {
  it('walks into objects only: arrays, null, typed arrays and numbers are values', () => {
    expect([{}, { a: 1 }].map(isPlainObject)).toEqual([true, true]);
    expect([null, [], [1], 'x', 3, undefined].map(isPlainObject)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('lists every leaf with its dotted path, depth first in key order; an array is one leaf', () => {
    const rows = [0, 1, 1];
    const patch = {
      task: { table: { name: 't', rows } },
      regularizers: { radial: { enabled: true, lambda: 0.01 } },
    };
    expect(leafEntries(patch)).toEqual([
      ['task.table.name', 't'],
      ['task.table.rows', rows],
      ['regularizers.radial.enabled', true],
      ['regularizers.radial.lambda', 0.01],
    ]);
    expect(leafPaths(patch)).toEqual([
      'task.table.name',
      'task.table.rows',
      'regularizers.radial.enabled',
      'regularizers.radial.lambda',
    ]);
  });

  it('keeps NaN and null leaves, and finds none in an empty object or a bare value', () => {
    expect(leafEntries({ radiusRatio: { hidden0: Number.NaN }, table: null, empty: {} })).toEqual([
      ['radiusRatio.hidden0', Number.NaN],
      ['table', null],
    ]);
    expect(leafPaths({})).toEqual([]);
    expect(leafPaths(3)).toEqual([]);
  });
});
