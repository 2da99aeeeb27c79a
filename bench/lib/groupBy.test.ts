import { describe, expect, it } from 'vitest';
import { groupBy } from './groupBy';

describe('groupBy', () => {
  it('lists the items under their key, keys in order of first appearance', () => {
    const runs = [
      { method: 'radial', seed: 0 },
      { method: 'baseline', seed: 0 },
      { method: 'radial', seed: 1 },
    ];
    const groups = groupBy(runs, (run) => run.method);
    expect([...groups.keys()]).toEqual(['radial', 'baseline']);
    expect(groups.get('radial')?.map((run) => run.seed)).toEqual([0, 1]);
  });
});
