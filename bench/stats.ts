/**
 * Pure statistics for the science bench: milestones read from a run's history, medians and spreads of
 * right-censored samples (runs that never grok within their step cap), speed-up ratios and a least-squares fit.
 */

import type { Bounded } from '../src/lib/censored';

export {
  censoredMedian,
  censoredRange,
  formatBounded,
  formatSteps,
  type Bounded,
  type Outcome,
} from '../src/lib/censored';

/** The grokking thresholds the papers use: 90% (weight-norm paper), 95% (Grokfast, NeuralGrok), 99% (Power). */
export const THRESHOLDS = { t90: 0.9, t95: 0.95, t99: 0.99 } as const;
export type ThresholdKey = keyof typeof THRESHOLDS;
export const THRESHOLD_KEYS = Object.keys(THRESHOLDS) as ThresholdKey[];

export interface AccuracyPoint {
  step: number;
  trainAccuracy: number;
  testAccuracy: number;
}

/** First evaluated step with test accuracy ≥ each threshold (null = not within the run). */
export function thresholdSteps(
  history: readonly AccuracyPoint[],
  thresholds: Readonly<Record<ThresholdKey, number>> = THRESHOLDS,
): Record<ThresholdKey, number | null> {
  const result = { t90: null, t95: null, t99: null } as Record<ThresholdKey, number | null>;
  for (const key of THRESHOLD_KEYS) {
    const hit = history.find((point) => point.testAccuracy >= thresholds[key]);
    result[key] = hit ? hit.step : null;
  }
  return result;
}

/** First evaluated step with train accuracy ≥ threshold (the memorization step). */
export function memorizeStep(history: readonly AccuracyPoint[], threshold = 0.99): number | null {
  return history.find((point) => point.trainAccuracy >= threshold)?.step ?? null;
}

/** A bound times a positive factor: the same kind of bound. */
export function scaleBounded(value: Bounded, factor: number): Bounded {
  if (value.kind === 'unknown' || !(factor > 0)) return { kind: 'unknown' };
  return { ...value, value: value.value * factor };
}

/**
 * Speed-up of a method over a baseline: baseline / method. A censored baseline makes it a lower bound, a censored
 * method an upper bound, both censored: unknown.
 */
export function speedup(baseline: Bounded, method: Bounded): Bounded {
  if (baseline.kind === 'unknown' || method.kind === 'unknown') return { kind: 'unknown' };
  if (method.value <= 0) return { kind: 'unknown' };
  const ratio = baseline.value / method.value;
  const baselineLow = baseline.kind === 'exact' || baseline.kind === 'above';
  const baselineHigh = baseline.kind === 'exact' || baseline.kind === 'below';
  const methodLow = method.kind === 'exact' || method.kind === 'above';
  const methodHigh = method.kind === 'exact' || method.kind === 'below';
  // ratio ≥ true when baseline is a lower bound (true baseline ≥ value) and the method exact or an upper bound.
  if (baseline.kind === 'exact' && method.kind === 'exact') return { kind: 'exact', value: ratio };
  if (baselineLow && methodHigh) return { kind: 'above', value: ratio };
  if (baselineHigh && methodLow) return { kind: 'below', value: ratio };
  return { kind: 'unknown' };
}

export function formatRatio(x: number): string {
  return x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2);
}

export interface LinearFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination (1 − SS_res/SS_tot); NaN when y has no variance. */
  r2: number;
  n: number;
}

/** Ordinary least squares y ≈ intercept + slope·x. Needs ≥ 2 points with distinct x. */
export function linearFit(x: readonly number[], y: readonly number[]): LinearFit {
  if (x.length !== y.length) throw new Error('linearFit: x and y differ in length');
  const n = x.length;
  if (n < 2) throw new Error('linearFit: needs at least 2 points');
  const meanX = x.reduce((s, v) => s + v, 0) / n;
  const meanY = y.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - meanX) ** 2;
    sxy += (x[i] - meanX) * (y[i] - meanY);
    syy += (y[i] - meanY) ** 2;
  }
  if (sxx === 0) throw new Error('linearFit: x has no spread');
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let ssRes = 0;
  for (let i = 0; i < n; i++) ssRes += (y[i] - intercept - slope * x[i]) ** 2;
  return { slope, intercept, r2: syy === 0 ? Number.NaN : 1 - ssRes / syy, n };
}

/** Fits ln(steps) = ln(T₀) + α·x: the weight-norm paper's T_grok ∝ e^{αρ}. Steps must be positive. */
export function logLinearFit(x: readonly number[], steps: readonly number[]): LinearFit {
  if (steps.some((s) => !(s > 0))) throw new Error('logLinearFit: steps must be positive');
  return linearFit(
    x,
    steps.map((s) => Math.log(s)),
  );
}

/** Median of plain numbers (NaN for none); censored samples go through censoredMedian. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function geometricMean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);
}

/**
 * At most `max` points of a history, evenly spaced by index, always keeping the first and last point and every
 * index in `keep` (e.g. the threshold crossings), so milestones survive downsampling.
 */
export function downsample<T>(points: readonly T[], max: number, keep: readonly number[] = []): T[] {
  if (points.length <= max) return [...points];
  const chosen = new Set<number>([0, points.length - 1]);
  for (const index of keep) if (index >= 0 && index < points.length) chosen.add(index);
  const slots = Math.max(0, max - chosen.size);
  for (let i = 0; i < slots; i++) {
    chosen.add(Math.round(((i + 1) * (points.length - 1)) / (slots + 1)));
    if (chosen.size >= max) break;
  }
  return [...chosen].sort((a, b) => a - b).map((index) => points[index]);
}
