import type { Config } from '../../engine/config';
import { stepsToGrok, type AccuracyPoint } from '../../engine/metrics/stepsToGrok';
import type { SweepCell } from './cells';
import type { CellOutcome } from './cellResult';
import type { CellProgress } from './heatmap';

/**
 * The lab's sweep scheduler and bookkeeping, pure: which queued cells start next, how many workers run at once,
 * what a finished run in a worker means as a cell outcome (the same fields the CLI's cell files give), and the
 * live progress keyed as the heatmap wants it. The store (src/app/sweep/sweepStore.ts) owns the workers.
 */

/** Where one cell stands in the lab. */
export type LabCellState = 'queued' | 'running' | 'done';

/**
 * The cells to start now: queued cells (neither finished nor running) in the sweep's order (seed outermost, so
 * the first seed fills the whole map first), as many as free slots allow.
 */
export function cellsToStart(
  cells: readonly Pick<SweepCell, 'id'>[],
  finished: ReadonlySet<string>,
  running: ReadonlySet<string>,
  concurrency: number,
): string[] {
  const free = Math.max(0, Math.floor(concurrency) - running.size);
  if (free === 0) return [];
  const next: string[] = [];
  const seen = new Set<string>();
  for (const cell of cells) {
    if (next.length >= free) break;
    // Two cells with one resolved config (e.g. a knob that the other knob turns off) are one run.
    if (finished.has(cell.id) || running.has(cell.id) || seen.has(cell.id)) continue;
    seen.add(cell.id);
    next.push(cell.id);
  }
  return next;
}

/** Cells not finished yet (distinct runs). */
export function remainingCells(
  cells: readonly Pick<SweepCell, 'id'>[],
  finished: ReadonlySet<string>,
): number {
  return new Set(cells.map((cell) => cell.id).filter((id) => !finished.has(id))).size;
}

/** The largest number of workers the setting may ask for: one per core, at least one. */
export function maxConcurrency(cores: number | undefined): number {
  return Number.isFinite(cores) && (cores as number) >= 1 ? Math.floor(cores as number) : 1;
}

/**
 * The default number of cells trained at once. `leaveOneForPage`: one core stays with the page (its charts and
 * input), the rest train; the lab's choice of it comes from bench/labSweep.ts's measurement (see docs/sweeps.md).
 */
export function defaultConcurrency(cores: number | undefined, leaveOneForPage: boolean): number {
  const max = maxConcurrency(cores);
  return leaveOneForPage ? Math.max(1, max - 1) : max;
}

/** A concurrency the user typed, clamped to 1 … cores (whole numbers); null when it is not a number. */
export function clampConcurrency(value: number, cores: number | undefined): number | null {
  if (!Number.isFinite(value)) return null;
  return Math.min(maxConcurrency(cores), Math.max(1, Math.round(value)));
}

/** What a worker's run ended as, in a status the page sees. */
export type EndStatus = 'finished' | 'diverged' | 'error';

/**
 * The outcome of a cell trained in a worker, from its history: the same rules as the headless loop
 * (src/engine/stopRules.ts): steps-to-grok is the first evaluation at or above grokThreshold; a run stopped
 * grokked when it reached grok + stopAfterGrok, diverged when the worker said so, else it used its budget.
 */
export function labCellOutcome(
  id: string,
  config: Pick<Config, 'training'>,
  history: readonly (AccuracyPoint & { trainingMs?: number })[],
  status: EndStatus,
  wallMs: number,
): CellOutcome {
  const { grokThreshold, stopAfterGrok } = config.training;
  const grokked = stepsToGrok(history, grokThreshold);
  const last = history.at(-1);
  const finalStep = last?.step ?? 0;
  const stoppedBecause =
    status !== 'finished'
      ? 'diverged'
      : grokked !== null && stopAfterGrok > 0 && finalStep >= grokked + stopAfterGrok
        ? 'grokked'
        : 'budget';
  return {
    id,
    stepsToGrok: grokked,
    stoppedBecause,
    finalStep,
    finalTestAccuracy: last?.testAccuracy ?? 0,
    wallMs,
    cpuMs: null,
    msPerStep: last?.trainingMs !== undefined && finalStep > 0 ? last.trainingMs / finalStep : 0,
  };
}

/** The heatmap's live progress (key `${xIndex},${yIndex}`) from the running cells' latest evaluations. */
export function pointProgress(
  cells: readonly SweepCell[],
  progress: Readonly<Record<string, CellProgress>>,
): Record<string, CellProgress> {
  const byPoint: Record<string, CellProgress> = {};
  for (const cell of cells) {
    const current = progress[cell.id];
    // With several seeds of one point running, the one furthest along is shown.
    const key = `${cell.xIndex},${cell.yIndex}`;
    if (current && (!byPoint[key] || byPoint[key].step < current.step)) byPoint[key] = current;
  }
  return byPoint;
}

/** The state of every cell, for the view's counters and the e2e's checks. */
export function cellStates(
  cells: readonly Pick<SweepCell, 'id'>[],
  finished: ReadonlySet<string>,
  running: ReadonlySet<string>,
): Record<LabCellState, number> {
  const counts: Record<LabCellState, number> = { queued: 0, running: 0, done: 0 };
  for (const id of new Set(cells.map((cell) => cell.id))) {
    counts[finished.has(id) ? 'done' : running.has(id) ? 'running' : 'queued']++;
  }
  return counts;
}
