/**
 * What every section of the science report (REPORT.md) reads off a group's runs: outcomes at a threshold, per-method
 * summaries (censored medians, ranges, wall time), the cell and bound formats, the accuracy curve a plot draws.
 */
import type { RunResult } from './results';
import { linePlot, type Series } from './svg';
import {
  censoredMedian,
  censoredRange,
  formatBounded,
  formatRatio,
  formatSteps,
  THRESHOLD_KEYS,
  type Bounded,
  type Outcome,
  type ThresholdKey,
} from './stats';

/** Each group's heading in the report: its task, model and base setup. */
export const GROUP_TITLES: Record<string, string> = {
  'mlp31-add': '(a+b) mod 31, MLP 2×64 → 256 ReLU, 70% train, full-batch AdamW lr 3e-3',
  'mlp31-sub': '(a−b) mod 31, same MLP',
  'mlp31-sq': '(a²+b²) mod 31, same MLP',
  'classic-p97': '(a+b) mod 97, 1-layer transformer d 128, 4 heads, d_mlp 512, 30% train, AdamW lr 1e-3 wd 1',
  'mlp31-wd1': '(a+b) mod 31, MLP 2×64 → 256 ReLU, 70% train, full-batch AdamW lr 1e-3 wd 1',
  'tf31-sub':
    '(a−b) mod 31, 1-layer transformer d 64, 4 heads, d_mlp 256, 70% train, full-batch AdamW lr 0.01 (the Fast transformer preset’s model and task)',
  'add2-tf2': '2-digit addition, 3 000 problems (50% train), 2-layer transformer d 64 + LayerNorm, batch 64',
};

export function outcome(result: RunResult, key: ThresholdKey): Outcome {
  return { step: result.steps[key], cap: result.cap };
}

/** Training wall time to reach the threshold; censored runs: their ms/step × cap (a lower bound). */
export function wallOutcome(result: RunResult, key: ThresholdKey): Outcome {
  const at = result.trainingMsAt[key];
  return { step: at, cap: Math.max(result.trainingMs, result.msPerStep * result.cap) };
}

/** A step count that may be a bound: "1 100", "> 20 000". */
export function boundedSteps(value: Bounded): string {
  return formatBounded(value, formatSteps);
}

/** A ratio that may be a bound: "2.8×", "< 0.73×". */
export function boundedRatio(value: Bounded): string {
  return formatBounded(value, formatRatio, '×');
}

/** One run's step at a threshold, "> cap" when it did not get there. */
export function stepCell(result: RunResult, key: ThresholdKey): string {
  const step = result.steps[key];
  return step === null ? `> ${formatSteps(result.cap)}` : formatSteps(step);
}

export interface MethodSummary {
  method: string;
  label: string;
  runs: RunResult[];
  median: Record<ThresholdKey, Bounded>;
  range: Record<ThresholdKey, { min: Bounded; max: Bounded }>;
  wall: Record<ThresholdKey, Bounded>;
}

export function summarize(method: string, runs: RunResult[]): MethodSummary {
  const medianValues = {} as Record<ThresholdKey, Bounded>;
  const ranges = {} as Record<ThresholdKey, { min: Bounded; max: Bounded }>;
  const wall = {} as Record<ThresholdKey, Bounded>;
  for (const key of THRESHOLD_KEYS) {
    medianValues[key] = censoredMedian(runs.map((r) => outcome(r, key)));
    ranges[key] = censoredRange(runs.map((r) => outcome(r, key)));
    wall[key] = censoredMedian(runs.map((r) => wallOutcome(r, key)));
  }
  return {
    method,
    label: runs[0]?.label ?? method,
    runs,
    median: medianValues,
    range: ranges,
    wall,
  };
}

/** Test accuracy against step (step 0 left out: the plots' step axis is logarithmic). */
export function accuracyCurve(result: RunResult): [number, number][] {
  return result.history.filter((p) => p.step > 0).map((p) => [p.step, p.testAccuracy] as [number, number]);
}

/** Accuracy against a logarithmic step axis from 10 to `cap`, with a line at the threshold a grok is read at. */
export function accuracyPlot(plot: {
  title: string;
  series: Series[];
  cap: number;
  threshold: { y: number; label: string };
  yLabel?: string;
  size?: { width: number; height: number };
}): string {
  return linePlot({
    title: plot.title,
    xLabel: 'step (log)',
    yLabel: plot.yLabel ?? 'test accuracy',
    series: plot.series,
    xScale: 'log',
    xDomain: [10, plot.cap],
    yDomain: [0, 1],
    ...plot.size,
    hLines: [plot.threshold],
  });
}
