import { formatSteps } from '../censored';
import type { ExpandedSweep } from './cells';
import type { CellOutcome } from './cellResult';
import { selectShard } from './shard';

/**
 * What a sweep cost, from its finished cells, and what it would take on n shards: a shard runs its cells one after
 * another, so its time is the sum of its cells' costs and the sweep's is that of its slowest shard (plus start-up,
 * which the estimate leaves out). Costs are CPU seconds where measured (what a quiet core would spend; wall time on
 * a shared machine is inflated by the load), else wall seconds.
 */

export interface SweepCost {
  cells: number;
  /** Σ wall time of the runs, s (on this machine, under its load). */
  wallS: number;
  /** Σ CPU time of the runs, s. */
  cpuS: number;
  /** Per-cell CPU (or wall) seconds: smallest, median, largest. */
  perCell: { min: number; median: number; max: number };
  /** Estimated time on n shards, one core each, s: the slowest shard's Σ cost. */
  shards: { count: number; seconds: number }[];
}

function cellCost(outcome: CellOutcome): number {
  return (outcome.cpuMs ?? outcome.wallMs) / 1000;
}

export function sweepCost(
  sweep: ExpandedSweep,
  outcomes: ReadonlyMap<string, CellOutcome>,
  shardCounts: readonly number[] = [1, 2, 4, 16],
): SweepCost {
  const finished = sweep.cells.flatMap((cell) => {
    const outcome = outcomes.get(cell.id);
    return outcome ? [{ cell, outcome }] : [];
  });
  const costs = finished.map(({ outcome }) => cellCost(outcome)).sort((a, b) => a - b);
  const costOf = new Map(finished.map(({ cell, outcome }) => [cell.id, cellCost(outcome)]));
  const middle = Math.floor(costs.length / 2);
  return {
    cells: finished.length,
    wallS: finished.reduce((s, { outcome }) => s + outcome.wallMs, 0) / 1000,
    cpuS: finished.reduce((s, { outcome }) => s + (outcome.cpuMs ?? 0), 0) / 1000,
    perCell: {
      min: costs[0] ?? 0,
      median:
        costs.length === 0 ? 0 : costs.length % 2 ? costs[middle] : (costs[middle - 1] + costs[middle]) / 2,
      max: costs.at(-1) ?? 0,
    },
    shards: shardCounts.map((count) => ({
      count,
      seconds: Math.max(
        0,
        ...Array.from({ length: count }, (_, i) =>
          selectShard(sweep.cells, { index: i + 1, count }).reduce(
            (s, cell) => s + (costOf.get(cell.id) ?? 0),
            0,
          ),
        ),
      ),
    })),
  };
}

function duration(seconds: number): string {
  if (seconds < 120) return `${formatSteps(Math.round(seconds))} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function costMarkdown(cost: SweepCost): string {
  return [
    `**Cost** of the ${cost.cells} finished cell(s): Σ ${duration(cost.cpuS)} CPU, Σ ${duration(cost.wallS)} wall on this machine; ` +
      `per cell ${duration(cost.perCell.min)} – ${duration(cost.perCell.max)} (median ${duration(cost.perCell.median)}) CPU.`,
    '',
    '| shards (one core each) | estimated time (slowest shard, Σ CPU of its cells) |',
    '|---|---|',
    ...cost.shards.map((s) => `| ${s.count} | ${duration(s.seconds)} |`),
    '',
  ].join('\n');
}
