import { describe, expect, it } from 'vitest';
import { fromSliderPosition, parseNumber, SLIDER_STEPS, toSliderPosition } from './slider';

describe('slider mapping', () => {
  const log = { min: 1e-4, max: 1, scale: 'log' as const };
  const linear = { min: 0, max: 10, scale: 'linear' as const, integer: true };

  it('spreads decades evenly on a log scale', () => {
    expect(toSliderPosition(1e-4, log)).toBe(0);
    expect(toSliderPosition(1e-2, log)).toBe(SLIDER_STEPS / 2);
    expect(toSliderPosition(1, log)).toBe(SLIDER_STEPS);
    expect(fromSliderPosition(SLIDER_STEPS / 2, log)).toBe(0.01);
    expect(fromSliderPosition(SLIDER_STEPS / 4, log)).toBe(0.001);
  });

  it('round-trips within the range and clamps outside it', () => {
    for (const value of [0.0003, 0.05, 0.7]) {
      const back = fromSliderPosition(toSliderPosition(value, log), log);
      expect(Math.abs(Math.log(back / value))).toBeLessThan(0.01);
    }
    expect(toSliderPosition(50, log)).toBe(SLIDER_STEPS);
    expect(fromSliderPosition(333, linear)).toBe(3);
  });

  it('parses typed numbers', () => {
    expect(parseNumber(' 0.05 ')).toBe(0.05);
    expect(parseNumber('1e-3')).toBe(0.001);
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('abc')).toBeNull();
  });
});
