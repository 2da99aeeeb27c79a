/** A point of one chart series. */
export interface Point {
  x: number;
  y: number;
}

export type AxisScale = 'linear' | 'log';

/** Points each series may draw: enough for a smooth curve, few enough to redraw at ≥ 5 updates/s. */
export const POINT_BUDGET = 400;

/**
 * Reduces a series (sorted by x) to at most `budget` points for drawing. Splits the x range into equal-width
 * buckets in the axis' own coordinates (log x for a log axis) and keeps each bucket's lowest and highest point,
 * so spikes and the grokking cliff survive; the first and last points are always kept (budget ≥ 4). Points a log axis cannot
 * draw (x or y ≤ 0 on a log scale) and non-finite values are dropped first.
 */
export function downsample(
  points: readonly Point[],
  budget: number = POINT_BUDGET,
  scales: { x?: AxisScale; y?: AxisScale } = {},
): Point[] {
  const xLog = scales.x === 'log';
  const yLog = scales.y === 'log';
  const drawable: Point[] = [];
  for (const point of points) {
    if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) continue;
    if ((xLog && point.x <= 0) || (yLog && point.y <= 0)) continue;
    drawable.push(point);
  }
  const limit = Math.max(4, Math.floor(budget));
  if (drawable.length <= limit) return drawable;

  const position = xLog ? (x: number) => Math.log(x) : (x: number) => x;
  const first = drawable[0];
  const last = drawable[drawable.length - 1];
  const start = position(first.x);
  const span = position(last.x) - start;
  const buckets = Math.floor((limit - 2) / 2);
  const result: Point[] = [first];
  let bucket = -1;
  let low: Point | null = null;
  let high: Point | null = null;
  const flush = () => {
    if (!low || !high) return;
    if (low === high) result.push(low);
    else if (low.x <= high.x) result.push(low, high);
    else result.push(high, low);
  };
  for (let i = 1; i < drawable.length - 1; i++) {
    const point = drawable[i];
    const index =
      span > 0 ? Math.min(buckets - 1, Math.floor(((position(point.x) - start) / span) * buckets)) : 0;
    if (index !== bucket) {
      flush();
      bucket = index;
      low = point;
      high = point;
      continue;
    }
    if (point.y < low!.y) low = point;
    if (point.y > high!.y) high = point;
  }
  flush();
  result.push(last);
  return result;
}
