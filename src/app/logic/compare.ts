import { stepsToGrok, stepsToMemorize } from '../../engine/metrics/stepsToGrok';
import type { StoredRun } from '../../lib/runStore';
import type { MetricRecord } from '../../worker/protocol';
import type { ChartSpec } from './charts';
import { laneLookups, laneSeries, mergeHistories, type OverlayLane } from './overlayCharts';

export const COMPARE_CHART_ID = 'compare-accuracy';

/** One row of the comparison table. */
export interface ComparisonRow {
  id: string;
  name: string;
  stepsToMemorize: number | null;
  stepsToGrok: number | null;
  /** Training wall time of the run, ms. */
  wallTimeMs: number;
  lastStep: number;
  lastTestAccuracy: number | null;
}

/** Milestones use each run's own grokking threshold, so a run is judged by the setting it was run with. */
export function comparisonRow(run: StoredRun): ComparisonRow {
  const threshold = run.config.training.grokThreshold;
  const last = run.history.at(-1);
  return {
    id: run.id,
    name: run.name,
    stepsToMemorize: stepsToMemorize(run.history, threshold),
    stepsToGrok: stepsToGrok(run.history, threshold),
    wallTimeMs: run.wallTimeMs,
    lastStep: last?.step ?? 0,
    lastTestAccuracy: last?.testAccuracy ?? null,
  };
}

/**
 * The comparison chart: each run's test accuracy over steps, a line per run in its colour, drawn by the lab's own
 * time-series chart (its history is the runs' records merged by step; each line reads its own run's).
 */
export function compareChart(runs: readonly OverlayLane[]): { spec: ChartSpec; history: MetricRecord[] } {
  return {
    history: mergeHistories(runs.map((run) => run.history)),
    spec: {
      id: COMPARE_CHART_ID,
      title: 'Test accuracy',
      hint: 'Each run’s accuracy on the held-out pairs; the run whose line jumps first grokked first.',
      yScale: 'linear',
      yDomain: [0, 1],
      format: 'percent',
      series: laneSeries(runs, laneLookups(runs), '', (record) => record.testAccuracy),
    },
  };
}

/**
 * The runs to compare, a saved race counting as one run per lane ("Race · … · plain"), so ticking a race
 * compares every lane, not only the first one its record doubles as.
 */
export function comparableRuns(runs: readonly StoredRun[]): StoredRun[] {
  return runs.flatMap((run) =>
    run.comparison
      ? run.comparison.lanes.map((lane, i) => ({
          id: `${run.id}#${i}`,
          name: `${run.name} · ${lane.name}`,
          createdAt: run.createdAt,
          updatedAt: run.updatedAt,
          config: lane.config,
          history: lane.history,
          events: lane.events,
          status: lane.status,
          wallTimeMs: lane.wallTimeMs,
        }))
      : [run],
  );
}
