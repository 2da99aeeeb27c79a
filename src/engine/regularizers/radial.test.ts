import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAST_PATHS } from '../fastPaths';
import { fusedRadialAvailable } from '../kernels/radialPenalty';
import type { SiteInfo } from '../models/model';
import { initNodeBackend } from '../node';
import type { MetricRecord } from '../records';
import { Trainer } from '../trainer';
import { radialPenalty, selectRadialSites } from './radial';
import { values, weakDecayConfig } from './testSupport';

beforeAll(async () => {
  await initNodeBackend();
});

for (const fused of [true, false])
  describe(`radial penalty (${fused ? 'one wasm SIMD op: FAST_PATHS.fusedRadial' : 'tfjs ops'})`, () => {
    beforeEach(() => {
      FAST_PATHS.fusedRadial = fused;
    });
    afterEach(() => {
      FAST_PATHS.fusedRadial = true;
    });

    it('runs the path it says', () => {
      expect(fusedRadialAvailable()).toBe(fused);
    });
    it('is (λ/d)·mean over rows of (‖h‖ − √d)²', async () => {
      // Rows of norm 5 and 1 in d = 2.
      const h = tf.tensor2d([
        [3, 4],
        [1, 0],
      ]);
      const r = Math.SQRT2;
      const expected = (0.5 / 2) * (((5 - r) ** 2 + (1 - r) ** 2) / 2);
      expect((await values(radialPenalty(h, 0.5)))[0]).toBeCloseTo(expected, 5);
    });

    it('has the radial gradient (λ/d)·(2/M)·(‖h‖ − √d)·h/‖h‖ (no stop-gradient)', async () => {
      const rows = [
        [3, 4],
        [1, 0],
        [0.3, -0.4],
      ];
      const gradient = await values(tf.grad((h: tf.Tensor) => radialPenalty(h, 0.5))(tf.tensor2d(rows)));
      const expected = rows.flatMap(([a, b]) => {
        const norm = Math.hypot(a, b);
        const factor = (0.5 / 2) * (2 / rows.length) * (norm - Math.SQRT2);
        return [(factor * a) / norm, (factor * b) / norm];
      });
      gradient.forEach((value, i) => expect(value).toBeCloseTo(expected[i], 5));
    });

    it('is zero, with zero gradient, on the sphere of radius √d; works on [..., d] (transformer positions)', async () => {
      const onSphere = tf.tensor3d([
        [
          [1, 1],
          [Math.SQRT2, 0],
        ],
      ]);
      expect((await values(radialPenalty(onSphere, 1)))[0]).toBeCloseTo(0, 6);
      const gradient = await values(tf.grad((h: tf.Tensor) => radialPenalty(h, 1))(onSphere));
      gradient.forEach((value) => expect(Math.abs(value)).toBeLessThan(1e-6));
    });

    it('matches the formula and its gradient for d = 6 (four SIMD lanes and a tail of two), rows of many sizes', async () => {
      const h = tf.randomNormal([5, 6], 0, 2, 'float32', 3);
      const rows = (await h.array()) as number[][];
      const lambda = 0.3;
      const d = 6;
      const expected =
        (lambda / d) *
        (rows.reduce((sum, row) => sum + (Math.hypot(...row) - Math.sqrt(d)) ** 2, 0) / rows.length);
      expect((await values(radialPenalty(h, lambda)))[0]).toBeCloseTo(expected, 5);
      const gradient = await values(tf.grad((x: tf.Tensor) => radialPenalty(x, lambda))(h));
      const expectedGradient = rows.flatMap((row) => {
        const norm = Math.hypot(...row);
        return row.map((v) => ((lambda / d) * (2 / rows.length) * (norm - Math.sqrt(d)) * v) / norm);
      });
      gradient.forEach((value, i) => expect(value).toBeCloseTo(expectedGradient[i], 5));
    });

    it('leaves no tensor behind over a forward and backward pass', () => {
      const h = tf.randomNormal([4, 8]);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) tf.dispose(tf.grad((x: tf.Tensor) => radialPenalty(x, 0.1))(h));
      expect(tf.memory().numTensors).toBe(before);
      h.dispose();
    });
  });

describe('radial penalty', () => {
  it('auto picks the residual stream when there is one, the hidden layers otherwise', () => {
    const site = (name: string, role: SiteInfo['role']): SiteInfo => ({ name, role, dim: 4, label: name });
    const mlp = [site('embedding', 'embedding'), site('hidden0', 'hidden')];
    const transformer = [site('embedding', 'embedding'), site('resid', 'residual'), site('mlp', 'hidden')];
    expect(selectRadialSites(mlp, 'auto').map((s) => s.name)).toEqual(['hidden0']);
    expect(selectRadialSites(transformer, 'auto').map((s) => s.name)).toEqual(['resid']);
    expect(selectRadialSites(transformer, 'all')).toHaveLength(3);
  });
});

async function trainFor(steps: number, radialOn: boolean): Promise<MetricRecord> {
  const trainer = new Trainer(
    weakDecayConfig({ seed: 0, regularizers: { radial: { enabled: radialOn, lambda: 0.01 } } }),
  );
  for (let i = 0; i < steps; i++) trainer.trainStep();
  const { record } = await trainer.evaluate();
  trainer.dispose();
  return record;
}

describe('radial penalty in training', () => {
  // Measured (tfjs-wasm, seed 0, wd 0.1, λ 0.01), step 1 000: radius ratio 2.04 → 1.01, test accuracy 0.007 → 0.309
  // (seeds 1, 2: 0.003/0.007 → 0.260/0.264). Steps to 99% with radial: 4 000 (seed 2), seed 1 at 0.969 by 4 000;
  // the baseline needs 14 000+ (DESIGN §4b), too slow for CI, so the test checks the early proxy instead.
  it('pins the hidden radius at √d and lifts test accuracy at step 1 000 in the weak-decay regime', async () => {
    const plain = await trainFor(1000, false);
    const radial = await trainFor(1000, true);
    expect(plain.radiusRatio.hidden0).toBeGreaterThan(1.5);
    expect(Math.abs(radial.radiusRatio.hidden0 - 1)).toBeLessThan(0.1);
    expect(radial.testAccuracy).toBeGreaterThan(plain.testAccuracy + 0.1);
  }, 180_000);
});
