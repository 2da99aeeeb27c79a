import { describe, expect, it } from 'vitest';
import { createRandom, deriveSeed, permutation } from './random';

describe('random', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    const draw = (seed: number): number[] => {
      const random = createRandom(seed);
      return Array.from({ length: 5 }, () => random.next());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
  });

  it('draws standard normals with mean ≈ 0 and variance ≈ 1', () => {
    const random = createRandom(7);
    const values = Array.from({ length: 20000 }, () => random.normal());
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('makes permutations and independent named streams', () => {
    const order = permutation(50, createRandom(3));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(deriveSeed(0, 'split')).not.toBe(deriveSeed(0, 'init'));
    expect(deriveSeed(0, 'split')).toBe(deriveSeed(0, 'split'));
  });
});
