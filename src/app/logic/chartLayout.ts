/**
 * The geometry of a time-series chart, as plain data: scales, "nice" ticks and domains, SVG path strings and how
 * many points a series may keep for a plot of a given width. The chart component (charts/TimeSeriesChart.tsx) only
 * turns this into SVG elements, so a redraw costs a few path strings, not a charting library's state machinery.
 */
import { POINT_BUDGET, type AxisScale, type Point } from './downsample';

/** Maps a data value to a pixel position along one axis. */
export type Scale = (value: number) => number;

/**
 * A linear or log scale from `domain` to `range` (pixels; a y range runs bottom → top). A degenerate domain (one
 * value) maps to the middle of the range; on a log scale a value ≤ 0 maps to NaN (not drawable).
 */
export function axisScale(
  kind: AxisScale,
  domain: readonly [number, number],
  range: readonly [number, number],
): Scale {
  const [r0, r1] = range;
  const log = kind === 'log';
  const d0 = log ? Math.log(domain[0]) : domain[0];
  const d1 = log ? Math.log(domain[1]) : domain[1];
  const span = d1 - d0;
  if (!Number.isFinite(span) || span === 0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / span;
  return log
    ? (value) => (value > 0 ? r0 + (Math.log(value) - d0) * k : Number.NaN)
    : (value) => r0 + (value - d0) * k;
}

/** The tick step for about `count` ticks over [min, max]: 1, 2 or 5 times a power of ten. */
export function tickStep(min: number, max: number, count = 5): number {
  const raw = Math.abs(max - min) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 0;
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const factor = error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1;
  return factor * power;
}

/** Multiples of the tick step inside [min, max] (both ends included when they are multiples). */
export function linearTicks(min: number, max: number, count = 5): number[] {
  const step = tickStep(min, max, count);
  if (step === 0) return Number.isFinite(min) ? [min] : [];
  const ticks: number[] = [];
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/**
 * A linear y domain covering every point (and the `extra` values, e.g. a reference line), widened to whole tick
 * steps. A flat series gets room around its value; no data gives [0, 1].
 */
export function linearDomain(
  series: readonly (readonly Point[])[],
  extra: readonly number[] = [],
  count = 5,
): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const points of series)
    for (const point of points) {
      if (point.y < min) min = point.y;
      if (point.y > max) max = point.y;
    }
  for (const value of extra) {
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const step = tickStep(min, max, count);
  return [
    Number((Math.floor(min / step + 1e-9) * step).toPrecision(12)),
    Number((Math.ceil(max / step - 1e-9) * step).toPrecision(12)),
  ];
}

/**
 * The SVG path of a series: "M x,y L x,y …" in pixels, rounded to 0.1 px. A point the scales cannot place (NaN,
 * e.g. ≤ 0 on a log axis) breaks the line; the next drawable point starts a new segment.
 */
export function linePath(points: readonly Point[], x: Scale, y: Scale): string {
  let path = '';
  let pen = false;
  for (const point of points) {
    const px = x(point.x);
    const py = y(point.y);
    if (!Number.isFinite(px) || !Number.isFinite(py)) {
      pen = false;
      continue;
    }
    path += `${pen ? 'L' : 'M'}${Math.round(px * 10) / 10},${Math.round(py * 10) / 10}`;
    pen = true;
  }
  return path;
}

/**
 * How many points a series may keep to draw a plot `widthPx` wide: about one per pixel column (downsample keeps
 * the lowest and highest point of each bucket, so a bucket is two pixels wide and a spike or a jump inside it
 * still reaches its full height). Before the plot is measured (width 0) the fixed POINT_BUDGET.
 */
export function pointBudget(widthPx: number): number {
  if (!(widthPx > 0) || !Number.isFinite(widthPx)) return POINT_BUDGET;
  return Math.max(64, Math.round(widthPx));
}
