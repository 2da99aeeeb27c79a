/**
 * A chart's hover crosshair as plain data: the steps it can stand on, the one nearest the pointer (binary search,
 * so a hover over a long streaming history costs a few comparisons), where the arrow keys take it, and what its
 * readout says for each series at that step. The chart component only draws this.
 */
import type { MetricRecord } from '../../worker/protocol';
import type { ChartSpec } from './charts';
import type { Point } from './downsample';
import { formatInteger, formatPercent, formatValue } from './format';

/**
 * The steps the crosshair can stand on: every drawn point's step, in order, each once. Drawn points, not the whole
 * history: the line shows these, and their number is bounded by the plot's width, not by the run's length.
 */
export function crosshairSteps(series: readonly (readonly Point[])[]): number[] {
  const steps: number[] = [];
  for (const points of series) for (const point of points) steps.push(point.x);
  steps.sort((a, b) => a - b);
  let kept = 0;
  for (let i = 0; i < steps.length; i++)
    if (i === 0 || steps[i] !== steps[kept - 1]) steps[kept++] = steps[i];
  steps.length = kept;
  return steps;
}

/**
 * The index of the value in `sorted` (ascending) nearest to `target`, distance measured after `position` (e.g. the
 * chart's x scale, so "nearest" is nearest on screen, on a log axis too; it must not decrease along `sorted`).
 * A tie goes to the earlier value; an empty list gives -1.
 */
export function nearestIndex(
  sorted: readonly number[],
  target: number,
  position: (value: number) => number = (value) => value,
): number {
  if (sorted.length === 0) return -1;
  // The first index whose position is ≥ target (or sorted.length when there is none).
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (position(sorted[middle]) < target) low = middle + 1;
    else high = middle;
  }
  if (low === 0) return 0;
  if (low === sorted.length) return sorted.length - 1;
  const before = target - position(sorted[low - 1]);
  const after = position(sorted[low]) - target;
  return after < before ? low : low - 1;
}

/** The record of `step` in a history sorted by step (binary search), or undefined when that step has none. */
export function recordAtStep(history: readonly MetricRecord[], step: number): MetricRecord | undefined {
  let low = 0;
  let high = history.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = history[middle].step;
    if (at === step) return history[middle];
    if (at < step) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}

/** A value as the chart's legend and readout print it: a percentage on a percent axis, else a few digits. */
export function formatChartValue(format: ChartSpec['format'], value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return format === 'percent' ? formatPercent(value) : formatValue(value);
}

export interface ReadoutRow {
  key: string;
  label: string;
  color: string;
  /** The series' value at the step; null when it has none there. */
  value: number | null;
  text: string;
}

export interface CrosshairReadout {
  step: number;
  /** "step 3 650". */
  title: string;
  rows: ReadoutRow[];
}

/** What the crosshair reads at `step`: every series of the chart, its colour and its value as the chart prints it. */
export function crosshairReadout(
  spec: ChartSpec,
  history: readonly MetricRecord[],
  step: number,
): CrosshairReadout {
  const record = recordAtStep(history, step);
  return {
    step,
    title: `step ${formatInteger(step)}`,
    rows: spec.series.map((series) => {
      const found = record ? series.value(record) : undefined;
      const value = found === undefined || !Number.isFinite(found) ? null : found;
      return {
        key: series.key,
        label: series.label,
        color: series.color,
        value,
        text: found === undefined ? '—' : formatChartValue(spec.format, found),
      };
    }),
  };
}

/**
 * Where a key takes the crosshair among `count` steps: ← and → one step, Home and End to the ends; from nowhere
 * (`current` null) any of them starts at the latest step. 'leave' for Escape; null for a key it does not use.
 */
export function crosshairKeyMove(
  key: string,
  current: number | null,
  count: number,
): number | 'leave' | null {
  if (key === 'Escape') return 'leave';
  if (count === 0) return null;
  const last = count - 1;
  const at = current === null ? null : Math.min(Math.max(current, 0), last);
  switch (key) {
    case 'ArrowLeft':
      return at === null ? last : Math.max(0, at - 1);
    case 'ArrowRight':
      return at === null ? last : Math.min(last, at + 1);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}
