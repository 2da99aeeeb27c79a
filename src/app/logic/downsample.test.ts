import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downsample, type Point } from './downsample';

function series(n: number, f: (i: number) => number): Point[] {
  return Array.from({ length: n }, (_, i) => ({ x: i + 1, y: f(i) }));
}

describe('downsample', () => {
  it('returns small series unchanged', () => {
    const points = series(50, (i) => i);
    expect(downsample(points, 400)).toEqual(points);
  });

  it('keeps at most the budget, the first and last points, and the extremes', () => {
    const points = series(20_000, (i) => Math.sin(i / 300));
    points[12_345] = { x: 12_346, y: 9 };
    points[777] = { x: 778, y: -9 };
    const reduced = downsample(points, 400);
    expect(reduced.length).toBeLessThanOrEqual(400);
    expect(reduced[0]).toBe(points[0]);
    expect(reduced.at(-1)).toBe(points.at(-1));
    expect(reduced).toContain(points[12_345]);
    expect(reduced).toContain(points[777]);
  });

  it('keeps points sorted by x', () => {
    const reduced = downsample(
      series(5000, (i) => (i * 7919) % 101),
      100,
    );
    for (let i = 1; i < reduced.length; i++) expect(reduced[i].x).toBeGreaterThan(reduced[i - 1].x);
  });

  it('drops what a log axis cannot draw and non-finite values', () => {
    const points: Point[] = [
      { x: 0, y: 1 },
      { x: 1, y: 0 },
      { x: 2, y: Number.NaN },
      { x: 3, y: Number.POSITIVE_INFINITY },
      { x: 4, y: 2 },
    ];
    expect(downsample(points, 400, { x: 'log', y: 'log' })).toEqual([{ x: 4, y: 2 }]);
    expect(downsample(points, 400)).toEqual([points[0], points[1], points[4]]);
  });

  it('buckets in log coordinates on a log axis, so early steps keep their detail', () => {
    const points = series(10_000, (i) => i % 2);
    const reduced = downsample(points, 100, { x: 'log' });
    expect(reduced.filter((point) => point.x <= 100).length).toBeGreaterThan(20);
    const linear = downsample(points, 100);
    expect(linear.filter((point) => point.x <= 100).length).toBeLessThan(5);
  });

  it('never exceeds the budget and keeps global extremes (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 3000 }),
        fc.integer({ min: 4, max: 500 }),
        (values, budget) => {
          const points = values.map((y, i) => ({ x: i, y }));
          const reduced = downsample(points, budget);
          expect(reduced.length).toBeLessThanOrEqual(budget);
          const ys = reduced.map((point) => point.y);
          expect(Math.max(...ys)).toBe(Math.max(...values));
          expect(Math.min(...ys)).toBe(Math.min(...values));
          expect(reduced.at(-1)).toBe(points.at(-1));
        },
      ),
    );
  });
});
