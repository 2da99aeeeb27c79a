import { describe, expect, it } from 'vitest';
import { buildGrid } from './grid';
import { sweepTable } from './table';
import { outcome, smallSweep } from './testSweep';

describe('sweepTable', () => {
  it('writes one row per y (largest first) and one column per x, with "> budget" and pending marks', () => {
    const sweep = smallSweep();
    const [a, b, c] = sweep.cells;
    const grid = buildGrid(
      sweep,
      new Map([
        [a.id, outcome(a.id, 1250)],
        [b.id, outcome(b.id, 300)],
        [c.id, outcome(c.id, null)],
      ]),
    );
    expect(sweepTable(grid)).toBe(
      [
        '**small**',
        '',
        '| regularizers.radial.lambda ↓ · regularizers.weightDecay.coefficient → | 0.1 | 1 |',
        '|---|---|---|',
        '| 0.01 | > 1 000 | … |',
        '| 0 | 1 250 | 300 |',
        '',
        'Steps to grok (test accuracy ≥ the config\'s grokThreshold), median over 1 seed; "> 1 000" = not grokked within the budget; 3/4 runs finished.',
        '',
      ].join('\n'),
    );
  });

  it('lists each seed beside the median when there are several', () => {
    const sweep = smallSweep([0, 1, 2]);
    const values = [100, null, 300];
    const outcomes = new Map(
      sweep.cells
        .filter((c) => c.xIndex === 0 && c.yIndex === 0)
        .map((c) => [c.id, outcome(c.id, values[c.seed])]),
    );
    const table = sweepTable(buildGrid(sweep, outcomes));
    expect(table).toContain('| 0 | 300 (100, > 1 000, 300) | … (…, …, …) |');
    expect(table).toContain('median over 3 seeds (each seed in parentheses)');
  });
});
