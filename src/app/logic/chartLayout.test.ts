import { describe, expect, it } from 'vitest';
import { axisScale, linearDomain, linearTicks, linePath, pointBudget, tickStep } from './chartLayout';
import { downsample, POINT_BUDGET, type Point } from './downsample';

describe('axisScale', () => {
  it('maps a linear domain onto the range, y running bottom to top', () => {
    const y = axisScale('linear', [0, 1], [100, 0]);
    expect(y(0)).toBe(100);
    expect(y(1)).toBe(0);
    expect(y(0.25)).toBe(75);
  });

  it('maps a log domain by decades and cannot place values ≤ 0', () => {
    const x = axisScale('log', [1, 1000], [0, 300]);
    expect(x(1)).toBeCloseTo(0);
    expect(x(10)).toBeCloseTo(100);
    expect(x(1000)).toBeCloseTo(300);
    expect(x(0)).toBeNaN();
  });

  it('puts every value of a one-value domain in the middle', () => {
    expect(axisScale('linear', [5, 5], [0, 200])(5)).toBe(100);
  });
});

describe('ticks and domains', () => {
  it('steps by 1, 2 or 5 times a power of ten', () => {
    expect(tickStep(0, 1, 5)).toBe(0.2);
    expect(tickStep(0, 7000, 5)).toBe(1000);
    expect(tickStep(0, 0.03, 5)).toBe(0.005);
    expect(tickStep(3, 3, 5)).toBe(0);
  });

  it('lists the multiples of the step inside the range', () => {
    expect(linearTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(13, 61)).toEqual([20, 30, 40, 50, 60]);
    expect(linearTicks(2, 2)).toEqual([2]);
  });

  it('widens a linear domain to whole steps and includes the extra values', () => {
    const points = [
      { x: 1, y: 13 },
      { x: 2, y: 61 },
    ];
    expect(linearDomain([points])).toEqual([10, 70]);
    expect(linearDomain([points], [100])).toEqual([0, 100]);
    expect(linearDomain([[{ x: 1, y: 4 }]])).toEqual([3.6, 4.4]);
    expect(linearDomain([])).toEqual([0, 1]);
  });
});

describe('linePath', () => {
  const x = axisScale('linear', [0, 10], [0, 100]);
  const y = axisScale('linear', [0, 1], [50, 0]);

  it('draws one segment through the points, in pixels rounded to 0.1', () => {
    expect(
      linePath(
        [
          { x: 0, y: 0 },
          { x: 5, y: 0.5 },
          { x: 10, y: 1 / 3 },
        ],
        x,
        y,
      ),
    ).toBe('M0,50L50,25L100,33.3');
  });

  it('breaks the line where a point cannot be placed (≤ 0 on a log axis)', () => {
    const logY = axisScale('log', [0.1, 10], [50, 0]);
    expect(
      linePath(
        [
          { x: 0, y: 1 },
          { x: 5, y: 0 },
          { x: 10, y: 10 },
        ],
        x,
        logY,
      ),
    ).toBe('M0,25M100,0');
  });

  it('is empty without points', () => {
    expect(linePath([], x, y)).toBe('');
  });
});

describe('pointBudget: decimation to the plot width', () => {
  it('keeps about one point per pixel column, the fixed budget before the plot is measured', () => {
    expect(pointBudget(420)).toBe(420);
    expect(pointBudget(10)).toBe(64);
    expect(pointBudget(0)).toBe(POINT_BUDGET);
    expect(pointBudget(Number.NaN)).toBe(POINT_BUDGET);
  });

  it('keeps the grokking jump and a one-evaluation loss spike visible in 20 000 evaluations', () => {
    // Test accuracy at chance for 12 000 steps, one evaluation spiking, then the jump to 100%.
    const points: Point[] = Array.from({ length: 20_000 }, (_, i) => ({
      x: i + 1,
      y: i < 12_000 ? 0.03 + 0.001 * Math.sin(i) : 1,
    }));
    points[7_777] = { x: 7_778, y: 0.6 };
    const width = 380;
    for (const scale of ['linear', 'log'] as const) {
      const drawn = downsample(points, pointBudget(width), { x: scale });
      expect(drawn.length).toBeLessThanOrEqual(width);
      expect(drawn).toContain(points[7_777]);
      // Both sides of the jump survive: the last point at chance and the first at 100% are neighbours.
      const jump = drawn.findIndex((point) => point.y === 1);
      expect(drawn[jump].x).toBe(12_001);
      expect(drawn[jump - 1].y).toBeLessThan(0.05);
      expect(Math.max(...drawn.map((point) => point.y))).toBe(1);
      expect(Math.min(...drawn.map((point) => point.y))).toBe(Math.min(...points.map((point) => point.y)));
    }
  });
});
