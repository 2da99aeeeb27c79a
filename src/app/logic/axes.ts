import type { AxisScale, Point } from './downsample';

/** The step axis shared by every chart: [1, last] on a log axis, [0, last] on a linear one. */
export function stepDomain(lastStep: number, scale: AxisScale): [number, number] {
  const end = Math.max(scale === 'log' ? 10 : 1, lastStep);
  return scale === 'log' ? [1, end] : [0, end];
}

/** Powers of ten covering [min, max] (at least two), with 2× and 5× steps when the span is under two decades. */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  const low = Math.floor(Math.log10(min) + 1e-9);
  const high = Math.ceil(Math.log10(max) - 1e-9);
  const multipliers = Math.log10(max / min) < 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let exponent = low; exponent <= Math.max(high, low + 1); exponent++) {
    for (const m of multipliers) {
      const value = Number((m * 10 ** exponent).toPrecision(6));
      if (value >= min * (1 - 1e-9) && value <= max * (1 + 1e-9)) ticks.push(value);
    }
  }
  return ticks;
}

/** A log axis' domain: the data's range (and reference values) widened to whole decades. */
export function logDomain(
  series: readonly (readonly Point[])[],
  extra: readonly number[] = [],
): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const points of series) {
    for (const point of points) {
      if (point.y <= 0) continue;
      if (point.y < min) min = point.y;
      if (point.y > max) max = point.y;
    }
  }
  for (const value of extra) {
    if (value <= 0) continue;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  if (!Number.isFinite(min) || max <= 0) return [0.1, 10];
  const low = 10 ** Math.floor(Math.log10(min) + 1e-9);
  let high = 10 ** Math.ceil(Math.log10(max) - 1e-9);
  if (high <= low) high = low * 10;
  return [Number(low.toPrecision(6)), Number(high.toPrecision(6))];
}

/** "1k", "10k", "2.5M" for step ticks. */
export function formatStepTick(value: number): string {
  if (value >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (value >= 1e3) return `${Number((value / 1e3).toPrecision(3))}k`;
  return String(Number(value.toPrecision(3)));
}
