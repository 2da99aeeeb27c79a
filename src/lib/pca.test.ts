import { describe, expect, it } from 'vitest';
import { pca, radiusSpread, symmetricEigen } from './pca';

function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31 - 0.5;
  };
}

/** Two orthonormal vectors in R^dim (Gram–Schmidt on random ones). */
function randomFrame(dim: number, random: () => number): [number[], number[]] {
  const u = Array.from({ length: dim }, random);
  const un = Math.hypot(...u);
  const e1 = u.map((v) => v / un);
  const w = Array.from({ length: dim }, random);
  const dot = w.reduce((s, v, i) => s + v * e1[i], 0);
  const w2 = w.map((v, i) => v - dot * e1[i]);
  const wn = Math.hypot(...w2);
  return [e1, w2.map((v) => v / wn)];
}

describe('pca', () => {
  it('recovers points on a circle embedded in 10-D as a circle', () => {
    const n = 60;
    const dim = 10;
    const radius = 3;
    const random = lcg(7);
    const [e1, e2] = randomFrame(dim, random);
    const offset = Array.from({ length: dim }, () => 5 * random());
    const table = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
      const angle = (2 * Math.PI * i) / n;
      for (let d = 0; d < dim; d++) {
        table[i * dim + d] = offset[d] + radius * (Math.cos(angle) * e1[d] + Math.sin(angle) * e2[d]);
      }
    }
    const result = pca(table, [n, dim]);
    for (let i = 0; i < n; i++) {
      expect(Math.hypot(result.points[2 * i], result.points[2 * i + 1])).toBeCloseTo(radius, 4);
    }
    // Neighbours stay 2π/n apart in angle: the circle is traversed in order, not scrambled.
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      const a = Math.atan2(result.points[2 * i + 1], result.points[2 * i]);
      const b = Math.atan2(result.points[2 * j + 1], result.points[2 * j]);
      expect(Math.abs(Math.atan2(Math.sin(b - a), Math.cos(b - a)))).toBeCloseTo((2 * Math.PI) / n, 4);
    }
    expect(result.explained[0] + result.explained[1]).toBeCloseTo(1, 4);
    expect(result.variances[0]).toBeCloseTo(result.variances[1], 4);
  });

  it('works when there are fewer rows than dimensions (the Gram-matrix path)', () => {
    const n = 13;
    const dim = 64;
    const random = lcg(3);
    const [e1, e2] = randomFrame(dim, random);
    const table = new Float32Array((n + 1) * dim).fill(42); // the extra row is ignored via `rows`
    for (let i = 0; i < n; i++) {
      const angle = (2 * Math.PI * 5 * i) / n;
      for (let d = 0; d < dim; d++)
        table[i * dim + d] = 2 * Math.cos(angle) * e1[d] + 2 * Math.sin(angle) * e2[d];
    }
    const result = pca(table, [n + 1, dim], { rows: n });
    expect(result.points.length).toBe(2 * n);
    for (let i = 0; i < n; i++)
      expect(Math.hypot(result.points[2 * i], result.points[2 * i + 1])).toBeCloseTo(2, 4);
    for (const component of result.components) expect(Math.hypot(...component)).toBeCloseTo(1, 8);
  });

  it('orders components by variance and finds the principal axis of an anisotropic cloud', () => {
    const n = 400;
    const dim = 5;
    const random = lcg(11);
    const table = new Float64Array(n * dim);
    for (let i = 0; i < n; i++) {
      table[i * dim + 2] = 10 * random();
      table[i * dim + 0] = 3 * random();
      table[i * dim + 4] = 0.5 * random();
    }
    const result = pca(table, [n, dim], { components: 3 });
    expect(Math.abs(result.components[0][2])).toBeCloseTo(1, 2);
    expect(Math.abs(result.components[1][0])).toBeCloseTo(1, 2);
    expect(Math.abs(result.components[2][4])).toBeCloseTo(1, 2);
    expect(result.variances[0]).toBeGreaterThan(result.variances[1]);
    expect(result.variances[1]).toBeGreaterThan(result.variances[2]);
  });

  it('is deterministic', () => {
    const random = lcg(5);
    const table = Float32Array.from({ length: 31 * 16 }, random);
    const first = pca(table, [31, 16]);
    const second = pca(table, [31, 16]);
    expect(Array.from(second.points)).toEqual(Array.from(first.points));
  });

  it('returns zeros for data without variance', () => {
    const result = pca(new Float32Array(20).fill(1), [5, 4]);
    expect(Array.from(result.points)).toEqual(new Array(10).fill(0));
    expect(result.explained).toEqual([0, 0]);
  });

  it('handles data of rank one', () => {
    const table = new Float32Array(6 * 3);
    for (let i = 0; i < 6; i++) table[i * 3 + 1] = i;
    const result = pca(table, [6, 3]);
    expect(result.explained[0]).toBeCloseTo(1, 8);
    expect(result.variances[1]).toBeCloseTo(0, 8);
    expect(Array.from(result.components[0]).map((v) => Math.abs(v))).toEqual([0, 1, 0]);
  });

  it('rejects inconsistent shapes', () => {
    expect(() => pca(new Float32Array(5), [3, 2])).toThrow(RangeError);
    expect(() => pca(new Float32Array(6), [3, 2], { rows: 4 })).toThrow(RangeError);
  });
});

describe('symmetricEigen', () => {
  it('diagonalizes a symmetric matrix', () => {
    const { values, vectors } = symmetricEigen([2, 1, 0, 1, 2, 0, 0, 0, 5], 3);
    expect(values[0]).toBeCloseTo(5, 10);
    expect(values[1]).toBeCloseTo(3, 10);
    expect(values[2]).toBeCloseTo(1, 10);
    expect(Math.abs(vectors[2 * 3 + 0])).toBeCloseTo(1, 10);
  });
});

describe('radiusSpread', () => {
  it('is 0 on a circle and large for points off it', () => {
    const circle = new Float64Array(40);
    for (let i = 0; i < 20; i++) {
      circle[2 * i] = 5 + 2 * Math.cos(i);
      circle[2 * i + 1] = -1 + 2 * Math.sin(i);
    }
    expect(radiusSpread(circle)).toBeLessThan(0.05);
    expect(radiusSpread([0, 0, 1, 0, 10, 0, -11, 0])).toBeGreaterThan(0.5);
    expect(radiusSpread([])).toBe(0);
    expect(radiusSpread([1, 1, 1, 1])).toBe(0);
  });
});
