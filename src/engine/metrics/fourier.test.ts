import { describe, expect, it } from 'vitest';
import { concentration, fourierSpectrum, frequencyPlane, topFrequencies } from './fourier';

/** A [vocab, dim] table whose rows 0..p−1 are Σ waves at the given frequencies, with fixed random directions. */
function waveTable(
  p: number,
  dim: number,
  waves: { k: number; amplitude: number }[],
  vocab = p,
): Float32Array {
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  const table = new Float32Array(vocab * dim);
  for (const { k, amplitude } of waves) {
    const u = Array.from({ length: dim }, random);
    const v = Array.from({ length: dim }, random);
    for (let x = 0; x < p; x++) {
      const angle = (2 * Math.PI * k * x) / p;
      for (let d = 0; d < dim; d++)
        table[x * dim + d] += amplitude * (Math.cos(angle) * u[d] + Math.sin(angle) * v[d]);
    }
  }
  for (let i = p * dim; i < vocab * dim; i++) table[i] = 100; // an "=" token row that must be ignored
  return table;
}

describe('fourierSpectrum', () => {
  it('puts the peak of a cos wave at frequency 5 at k = 5', () => {
    const p = 31;
    const dim = 8;
    const table = new Float32Array(p * dim);
    for (let x = 0; x < p; x++) {
      for (let d = 0; d < dim; d++) table[x * dim + d] = (d + 1) * Math.cos((2 * Math.PI * 5 * x) / p);
    }
    const spectrum = fourierSpectrum(table, [p, dim], p);
    expect(Array.from(spectrum.frequencies)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(spectrum.peak).toBe(5);
    expect(spectrum.share[4]).toBeCloseTo(1, 6);
    const total = spectrum.share.reduce((sum, value) => sum + value, 0);
    expect(total).toBeCloseTo(1, 10);
  });

  it('ignores rows past p (the "=" token) and the constant term', () => {
    const p = 23;
    const table = waveTable(p, 6, [{ k: 3, amplitude: 1 }], p + 1);
    for (let x = 0; x < p; x++) table[x * 6] += 50; // a constant offset in one dimension
    const spectrum = fourierSpectrum(table, [p + 1, 6], p);
    expect(spectrum.peak).toBe(3);
    expect(spectrum.share[2]).toBeCloseTo(1, 4);
  });

  it('preserves energy: Σ energy + constant term = total energy of the rows (Parseval)', () => {
    const p = 12; // even: includes the Nyquist frequency 6
    const dim = 3;
    const table = new Float32Array(p * dim).map((_, i) => Math.sin(i * 1.7) + (i % 5));
    const spectrum = fourierSpectrum(table, [p, dim], p);
    let total = 0;
    const mean = new Float64Array(dim);
    for (let x = 0; x < p; x++) for (let d = 0; d < dim; d++) mean[d] += table[x * dim + d] / p;
    for (let x = 0; x < p; x++) for (let d = 0; d < dim; d++) total += (table[x * dim + d] - mean[d]) ** 2;
    expect(spectrum.energy.reduce((sum, value) => sum + value, 0)).toBeCloseTo(total, 3);
  });

  it('ranks key frequencies and measures concentration', () => {
    const p = 41;
    const spectrum = fourierSpectrum(
      waveTable(p, 16, [
        { k: 7, amplitude: 2 },
        { k: 13, amplitude: 1 },
      ]),
      [p, 16],
      p,
    );
    expect(topFrequencies(spectrum, 2)).toEqual([7, 13]);
    expect(concentration(spectrum, 2)).toBeCloseTo(1, 4);
  });

  it('returns a zero share for a flat table', () => {
    const spectrum = fourierSpectrum(new Float32Array(5 * 2).fill(3), [5, 2], 5);
    expect(Array.from(spectrum.share)).toEqual([0, 0]);
    expect(spectrum.peak).toBe(1);
  });

  it('rejects an inconsistent shape or p', () => {
    expect(() => fourierSpectrum(new Float32Array(4), [3, 2], 3)).toThrow(RangeError);
    expect(() => fourierSpectrum(new Float32Array(6), [3, 2], 4)).toThrow(RangeError);
  });
});

describe('frequencyPlane', () => {
  it('lays a grokked embedding out as a clock: an ellipse traversed at angle 2πkx/p', () => {
    const p = 29;
    const k = 4;
    const table = waveTable(p, 12, [{ k, amplitude: 1 }]);
    const points = frequencyPlane(table, [p, 12], p, k);
    // Random wave directions u, v are not orthonormal, so the clock is a linear image M·(cos, sin) of the circle.
    // Fit M by least squares (cos and sin are orthogonal over a full period) and check that nothing is left over.
    const m = [0, 0, 0, 0];
    for (let x = 0; x < p; x++) {
      const angle = (2 * Math.PI * k * x) / p;
      m[0] += (2 / p) * points[2 * x] * Math.cos(angle);
      m[1] += (2 / p) * points[2 * x] * Math.sin(angle);
      m[2] += (2 / p) * points[2 * x + 1] * Math.cos(angle);
      m[3] += (2 / p) * points[2 * x + 1] * Math.sin(angle);
    }
    expect(Math.abs(m[0] * m[3] - m[1] * m[2])).toBeGreaterThan(0.1); // a genuine 2-D figure
    for (let x = 0; x < p; x++) {
      const angle = (2 * Math.PI * k * x) / p;
      expect(points[2 * x]).toBeCloseTo(m[0] * Math.cos(angle) + m[1] * Math.sin(angle), 4);
      expect(points[2 * x + 1]).toBeCloseTo(m[2] * Math.cos(angle) + m[3] * Math.sin(angle), 4);
    }
  });

  it('gives a round circle when the wave directions are orthonormal', () => {
    const p = 17;
    const k = 3;
    const dim = 5;
    const table = new Float32Array(p * dim);
    for (let x = 0; x < p; x++) {
      const angle = (2 * Math.PI * k * x) / p;
      table[x * dim + 1] = Math.cos(angle);
      table[x * dim + 3] = Math.sin(angle);
    }
    const points = frequencyPlane(table, [p, dim], p, k);
    for (let x = 0; x < p; x++) {
      expect(Math.hypot(points[2 * x], points[2 * x + 1])).toBeCloseTo(1, 5);
      const angle = Math.atan2(points[2 * x + 1], points[2 * x]);
      const expected = (2 * Math.PI * k * x) / p;
      expect(Math.cos(angle - expected)).toBeCloseTo(1, 5);
    }
  });

  it('rejects a frequency out of range', () => {
    expect(() => frequencyPlane(new Float32Array(10), [5, 2], 5, 3)).toThrow(RangeError);
  });
});
