import { stepsToGrok, stepsToMemorize } from '../../engine/metrics/stepsToGrok';
import type { StoredRun } from '../../lib/runStore';
import { downsample, POINT_BUDGET, type Point } from './downsample';

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

/** Test-accuracy curves of several runs, each downsampled for drawing on a log step axis. */
export function testAccuracyCurves(
  runs: readonly StoredRun[],
): { id: string; name: string; points: Point[] }[] {
  return runs.map((run) => ({
    id: run.id,
    name: run.name,
    points: downsample(
      run.history.map((record) => ({ x: Math.max(1, record.step), y: record.testAccuracy })),
      POINT_BUDGET,
      { x: 'log' },
    ),
  }));
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
