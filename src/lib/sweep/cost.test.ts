import { describe, expect, it } from 'vitest';
import { costMarkdown, sweepCost } from './cost';
import { outcome, smallSweep } from './testSweep';

describe('sweepCost', () => {
  it('sums the runs, and estimates n shards by the slowest shard (round-robin, as the CLI assigns them)', () => {
    const sweep = smallSweep();
    const cpu = [10, 20, 30, 40];
    const outcomes = new Map(
      sweep.cells.map((c, i) => [
        c.id,
        { ...outcome(c.id, 100), cpuMs: cpu[i] * 1000, wallMs: cpu[i] * 2000 },
      ]),
    );
    const cost = sweepCost(sweep, outcomes, [1, 2, 4, 16]);
    expect(cost).toEqual({
      cells: 4,
      wallS: 200,
      cpuS: 100,
      perCell: { min: 10, median: 25, max: 40 },
      // 2 shards: cells 0, 2 (10 + 30) and 1, 3 (20 + 40).
      shards: [
        { count: 1, seconds: 100 },
        { count: 2, seconds: 60 },
        { count: 4, seconds: 40 },
        { count: 16, seconds: 40 },
      ],
    });
    expect(costMarkdown(cost)).toContain('| 2 | 60 s |');
  });

  it('falls back to wall time for cells without CPU time, and counts only finished cells', () => {
    const sweep = smallSweep();
    const [a] = sweep.cells;
    const cost = sweepCost(sweep, new Map([[a.id, { ...outcome(a.id, 5), cpuMs: null, wallMs: 3000 }]]), [1]);
    expect(cost).toMatchObject({
      cells: 1,
      cpuS: 0,
      perCell: { min: 3, median: 3, max: 3 },
      shards: [{ count: 1, seconds: 3 }],
    });
  });
});
