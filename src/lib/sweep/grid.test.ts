import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CellOutcome } from './cellResult';
import { buildGrid, pointValue } from './grid';
import { selectShard } from './shard';
import { outcome, smallSweep } from './testSweep';

describe('buildGrid', () => {
  it('puts each outcome in its (x, y) point, rows by y, and counts what is done', () => {
    const sweep = smallSweep();
    const [a, b, c] = sweep.cells;
    const grid = buildGrid(
      sweep,
      new Map([a, b, c].map((cell, i) => [cell.id, outcome(cell.id, i === 2 ? null : 100 * (i + 1))])),
    );
    expect(grid).toMatchObject({
      xValues: [0.1, 1],
      yValues: [0, 0.01],
      budget: 1000,
      done: 3,
      total: 4,
      title: 'small',
    });
    expect(grid.rows[0][0].value).toEqual({ kind: 'grokked', steps: 100 });
    expect(grid.rows[0][1].value).toEqual({ kind: 'grokked', steps: 200 });
    expect(grid.rows[1][0].value).toEqual({ kind: 'censored', above: 1000 });
    expect(grid.rows[1][1].value).toEqual({ kind: 'pending' });
    expect(grid.rows[1][1]).toMatchObject({ xValue: 1, yValue: 0.01, done: 0 });
  });

  it('takes the median over seeds once all are in; censored runs count as slower than any that grokked', () => {
    const seeds = (...steps: (number | null)[]) =>
      steps.map((s, seed) => ({ seed, cellId: String(seed), outcome: outcome(String(seed), s) }));
    expect(pointValue(seeds(300, null, 100), 1000)).toEqual({ kind: 'grokked', steps: 300 });
    expect(pointValue(seeds(null, null, 100), 1000)).toEqual({ kind: 'censored', above: 1000 });
    expect(pointValue(seeds(200, 400), 1000)).toEqual({ kind: 'grokked', steps: 300 });
    // Two seeds, one censored: the median is only known to exceed (200 + 1000) / 2.
    expect(pointValue(seeds(200, null), 1000)).toEqual({ kind: 'censored', above: 600 });
    expect(pointValue([{ seed: 0, cellId: 'a', outcome: null }, ...seeds(5)], 1000)).toEqual({
      kind: 'pending',
    });
  });

  it('ignores outcomes of other sweeps', () => {
    const sweep = smallSweep();
    const grid = buildGrid(sweep, new Map([['feedfeedfeedfeed', outcome('feedfeedfeedfeed', 5)]]));
    expect(grid.done).toBe(0);
  });

  it('merging the shards gives the unsharded grid, whatever the shard count and arrival order', () => {
    const sweep = smallSweep([0, 1, 2]);
    const all = new Map<string, CellOutcome>(
      sweep.cells.map((c, i) => [c.id, outcome(c.id, i % 5 === 0 ? null : 50 * (i + 1))]),
    );
    const whole = buildGrid(sweep, all);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 13 }), fc.integer(), (count, salt) => {
        const merged = new Map<string, CellOutcome>();
        const shards = Array.from({ length: count }, (_, i) =>
          selectShard(sweep.cells, { index: i + 1, count }),
        );
        // Shards finish in any order.
        shards.sort((p, q) => ((p.length * 31 + salt) % 7) - ((q.length * 17 + salt) % 5));
        for (const shard of shards) for (const cell of shard) merged.set(cell.id, all.get(cell.id)!);
        expect(buildGrid(sweep, merged)).toEqual(whole);
      }),
    );
  });
});
