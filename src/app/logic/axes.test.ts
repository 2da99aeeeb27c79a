import { describe, expect, it } from 'vitest';
import { formatStepTick, logDomain, logTicks, stepDomain } from './axes';

describe('axes', () => {
  it('gives the step axis a domain per scale', () => {
    expect(stepDomain(0, 'log')).toEqual([1, 10]);
    expect(stepDomain(20_000, 'log')).toEqual([1, 20_000]);
    expect(stepDomain(500, 'linear')).toEqual([0, 500]);
  });

  it('puts log ticks on powers of ten', () => {
    expect(logTicks(1, 20_000)).toEqual([1, 10, 100, 1000, 10_000]);
    expect(logTicks(0.1, 10)).toEqual([0.1, 1, 10]);
    expect(logTicks(0.5, 20)).toEqual([0.5, 1, 2, 5, 10, 20]);
    expect(logTicks(0, 10)).toEqual([]);
  });

  it('widens a log domain to whole decades and includes reference values', () => {
    expect(
      logDomain([
        [
          { x: 1, y: 0.03 },
          { x: 2, y: 4 },
        ],
      ]),
    ).toEqual([0.01, 10]);
    expect(logDomain([[{ x: 1, y: 3 }]], [1])).toEqual([1, 10]);
    expect(logDomain([[]])).toEqual([0.1, 10]);
  });

  it('formats step ticks compactly', () => {
    expect(formatStepTick(10_000)).toBe('10k');
    expect(formatStepTick(2_500_000)).toBe('2.5M');
    expect(formatStepTick(100)).toBe('100');
  });
});
