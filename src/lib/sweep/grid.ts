import { censoredMedian, type Bounded } from '../censored';
import type { ExpandedSweep } from './cells';
import type { CellOutcome } from './cellResult';

/**
 * The merge: finished cells (from any number of shards, in any order) into the sweep's grid. A grid cell is one
 * (x, y) point; its value is the median steps-to-grok over the seeds, right-censored at the budget for runs that
 * did not grok ("> budget"), or pending while a seed that decides it is still missing.
 */

export interface SeedResult {
  seed: number;
  cellId: string;
  /** null while that run has not finished. */
  outcome: CellOutcome | null;
}

export type GridValue =
  | { kind: 'grokked'; steps: number }
  /**
   * The median did not grok within the budget (or diverged first): known only to exceed `above` — the budget, or
   * with an even number of seeds (lower middle + budget) / 2.
   */
  | { kind: 'censored'; above: number }
  | { kind: 'pending' };

export interface GridPoint {
  xIndex: number;
  yIndex: number;
  xValue: number;
  yValue: number;
  seeds: SeedResult[];
  value: GridValue;
  /** Finished seeds. */
  done: number;
}

export interface SweepGrid {
  title: string;
  xKey: string;
  yKey: string;
  xValues: number[];
  yValues: number[];
  budget: number;
  /** rows[yIndex][xIndex]. */
  rows: GridPoint[][];
  /** Finished cells / all cells. */
  done: number;
  total: number;
}

/** The value of a point from its seeds: the censored median once every seed is in, else pending. */
export function pointValue(seeds: readonly SeedResult[], budget: number): GridValue {
  if (seeds.length === 0 || seeds.some((seed) => seed.outcome === null)) return { kind: 'pending' };
  const median: Bounded = censoredMedian(
    seeds.map(({ outcome }) => ({ step: outcome!.stepsToGrok, cap: budget })),
  );
  if (median.kind === 'exact') return { kind: 'grokked', steps: median.value };
  return { kind: 'censored', above: median.kind === 'above' ? median.value : budget };
}

/** Builds the grid of a sweep from whatever outcomes exist (keyed by cell id; others are ignored). */
export function buildGrid(sweep: ExpandedSweep, outcomes: ReadonlyMap<string, CellOutcome>): SweepGrid {
  const { spec, xValues, yValues, cells } = sweep;
  const rows: GridPoint[][] = yValues.map((yValue, yIndex) =>
    xValues.map((xValue, xIndex) => ({
      xIndex,
      yIndex,
      xValue,
      yValue,
      seeds: [],
      value: { kind: 'pending' },
      done: 0,
    })),
  );
  let done = 0;
  for (const cell of cells) {
    const outcome = outcomes.get(cell.id) ?? null;
    const point = rows[cell.yIndex][cell.xIndex];
    point.seeds.push({ seed: cell.seed, cellId: cell.id, outcome });
    if (outcome !== null) {
      point.done++;
      done++;
    }
  }
  for (const row of rows) for (const point of row) point.value = pointValue(point.seeds, spec.steps);
  return {
    title: spec.title ?? `${spec.y.key} × ${spec.x.key}`,
    xKey: spec.x.key,
    yKey: spec.y.key,
    xValues,
    yValues,
    budget: spec.steps,
    rows,
    done,
    total: cells.length,
  };
}
