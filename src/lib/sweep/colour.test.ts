import { describe, expect, it } from 'vitest';
import { legendStops, logPosition, stepsColour, textColourOn, viridis } from './colour';

describe('colour scale', () => {
  it('runs viridis from dark purple to yellow, clamped', () => {
    expect(viridis(0)).toBe('#440154');
    expect(viridis(1)).toBe('#fde725');
    expect(viridis(-3)).toBe('#440154');
    expect(viridis(7)).toBe('#fde725');
    expect(viridis(Number.NaN)).toBe('#440154');
    expect(viridis(0.5)).toBe('#21918c');
  });

  it('places steps on a log axis: a decade is the same distance anywhere', () => {
    expect(logPosition(100, [100, 10_000])).toBe(0);
    expect(logPosition(1000, [100, 10_000])).toBeCloseTo(0.5, 12);
    expect(logPosition(10_000, [100, 10_000])).toBe(1);
    expect(logPosition(50, [100, 10_000])).toBe(0);
    expect(logPosition(5, [10, 10])).toBe(0);
    expect(stepsColour(1000, [100, 10_000])).toBe(viridis(0.5));
  });

  it('gets darker monotonically as fewer steps are needed (luminance)', () => {
    const luminance = (hex: string): number => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const values = legendStops(21).map((stop) => luminance(stop.colour));
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
  });

  it('writes white on the dark end and black on the light end', () => {
    expect(textColourOn(viridis(0))).toBe('#ffffff');
    expect(textColourOn(viridis(1))).toBe('#000000');
  });
});
