import { describe, expect, it } from 'vitest';
import {
  censoredMedian,
  censoredRange,
  downsample,
  formatBounded,
  formatSteps,
  linearFit,
  logLinearFit,
  median,
  memorizeStep,
  scaleBounded,
  speedup,
  thresholdSteps,
  type Outcome,
} from './stats';

/** A synthetic grokking curve: memorizes at step 100, test accuracy crosses 0.5/0.92/0.96/0.995 at 1000/2000/3000/4000. */
const history = [0, 100, 1000, 2000, 3000, 4000, 5000].map((step, i) => ({
  step,
  trainAccuracy: step >= 100 ? 1 : 0.1,
  testAccuracy: [0.02, 0.03, 0.5, 0.92, 0.96, 0.995, 1][i],
}));

describe('steps-to-grok detection', () => {
  it('finds the first evaluated step at each threshold', () => {
    expect(thresholdSteps(history)).toEqual({ t90: 2000, t95: 3000, t99: 4000 });
  });

  it('counts a value exactly at the threshold as reached', () => {
    expect(thresholdSteps([{ step: 50, trainAccuracy: 1, testAccuracy: 0.9 }]).t90).toBe(50);
  });

  it('returns null for thresholds never reached (censored runs)', () => {
    const partial = history.slice(0, 4); // ends at 0.92
    expect(thresholdSteps(partial)).toEqual({ t90: 2000, t95: null, t99: null });
  });

  it('uses the first crossing even when accuracy dips afterwards', () => {
    const dip = [
      { step: 10, trainAccuracy: 1, testAccuracy: 0.991 },
      { step: 20, trainAccuracy: 1, testAccuracy: 0.5 },
      { step: 30, trainAccuracy: 1, testAccuracy: 0.999 },
    ];
    expect(thresholdSteps(dip).t99).toBe(10);
  });

  it('finds the memorization step on train accuracy', () => {
    expect(memorizeStep(history)).toBe(100);
    expect(memorizeStep(history.slice(0, 1))).toBeNull();
  });
});

const obs = (step: number, cap = 20_000): Outcome => ({ step, cap });
const cens = (cap = 20_000): Outcome => ({ step: null, cap });

describe('median and spread with censoring', () => {
  it('is the ordinary median without censoring', () => {
    expect(censoredMedian([obs(300), obs(100), obs(200)])).toEqual({ kind: 'exact', value: 200 });
    expect(censoredMedian([obs(400), obs(100), obs(200), obs(300)])).toEqual({ kind: 'exact', value: 250 });
  });

  it('stays exact when fewer than half the runs are censored', () => {
    expect(censoredMedian([cens(), obs(100), obs(200)])).toEqual({ kind: 'exact', value: 200 });
  });

  it('becomes a lower bound when the middle run is censored', () => {
    expect(censoredMedian([cens(), cens(), obs(200)])).toEqual({ kind: 'above', value: 20_000 });
    expect(censoredMedian([cens(1000)])).toEqual({ kind: 'above', value: 1000 });
  });

  it('gives a lower bound for even n when only the upper middle is censored', () => {
    expect(censoredMedian([obs(100), obs(200), cens(1000), cens(1000)])).toEqual({
      kind: 'above',
      value: 600,
    });
  });

  it('is unknown for no runs', () => {
    expect(censoredMedian([])).toEqual({ kind: 'unknown' });
  });

  it('reports the range with a censored maximum as "> cap"', () => {
    const range = censoredRange([obs(300), cens(5000), obs(100)]);
    expect(range.min).toEqual({ kind: 'exact', value: 100 });
    expect(range.max).toEqual({ kind: 'above', value: 5000 });
    expect(formatBounded(range.max)).toBe('> 5 000');
  });
});

describe('speed-up ratios under censoring', () => {
  it('is exact when both are observed', () => {
    expect(speedup({ kind: 'exact', value: 4000 }, { kind: 'exact', value: 1000 })).toEqual({
      kind: 'exact',
      value: 4,
    });
  });

  it('is a lower bound when the baseline is censored', () => {
    expect(speedup({ kind: 'above', value: 20_000 }, { kind: 'exact', value: 1000 })).toEqual({
      kind: 'above',
      value: 20,
    });
  });

  it('is an upper bound when the method is censored', () => {
    expect(speedup({ kind: 'exact', value: 1000 }, { kind: 'above', value: 20_000 })).toEqual({
      kind: 'below',
      value: 0.05,
    });
  });

  it('is unknown when both are censored', () => {
    expect(speedup({ kind: 'above', value: 1 }, { kind: 'above', value: 1 })).toEqual({ kind: 'unknown' });
  });
});

describe('least-squares fits', () => {
  it('recovers an exact line with R² = 1', () => {
    const x = [0, 1, 2, 3];
    const fit = linearFit(
      x,
      x.map((v) => 2 + 3 * v),
    );
    expect(fit.slope).toBeCloseTo(3, 12);
    expect(fit.intercept).toBeCloseTo(2, 12);
    expect(fit.r2).toBeCloseTo(1, 12);
  });

  it('matches a hand-computed fit on noisy data', () => {
    // x̄ = 2, ȳ = 3; Sxy = 4, Sxx = 10 → slope 0.4, intercept 2.2; SS_res = 6.4, SS_tot = 8 → R² = 0.2.
    const fit = linearFit([0, 1, 2, 3, 4], [2, 2, 5, 2, 4]);
    expect(fit.slope).toBeCloseTo(0.4, 12);
    expect(fit.intercept).toBeCloseTo(2.2, 12);
    expect(fit.r2).toBeCloseTo(0.2, 12);
  });

  it('fits ln(steps) against ρ: T = T₀·e^{αρ} gives back α', () => {
    const rho = [0.85, 1, 1.15, 1.3, 1.45];
    const fit = logLinearFit(
      rho,
      rho.map((r) => 100 * Math.exp(7.6 * r)),
    );
    expect(fit.slope).toBeCloseTo(7.6, 10);
    expect(Math.exp(fit.intercept)).toBeCloseTo(100, 6);
    expect(fit.r2).toBeCloseTo(1, 12);
  });

  it("refits the paper's four numbers to α ≈ 6.65 (DESIGN §2)", () => {
    const fit = logLinearFit([0.85, 1, 1.15, 1.3], [1492, 4077, 13_426, 27_925]);
    expect(fit.slope).toBeCloseTo(6.65, 1);
  });

  it('rejects degenerate input', () => {
    expect(() => linearFit([1], [1])).toThrow();
    expect(() => linearFit([1, 1], [1, 2])).toThrow();
    expect(() => logLinearFit([1, 2], [0, 5])).toThrow();
  });
});

describe('downsample', () => {
  it('keeps short histories whole', () => {
    expect(downsample([1, 2, 3], 5)).toEqual([1, 2, 3]);
  });

  it('keeps at most max points, the ends and the requested indices', () => {
    const points = Array.from({ length: 1000 }, (_, i) => i);
    const kept = downsample(points, 200, [457, 458]);
    expect(kept.length).toBeLessThanOrEqual(200);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(999);
    expect(kept).toContain(457);
    expect(kept).toContain(458);
    expect([...kept].sort((a, b) => a - b)).toEqual(kept);
  });
});

describe('formatting', () => {
  it('groups thousands with spaces', () => {
    expect(formatSteps(27_925)).toBe('27 925');
    expect(formatSteps(950)).toBe('950');
    expect(formatSteps(1234.56)).toBe('1 234.6');
  });
});

describe('scaleBounded', () => {
  it('keeps the kind of bound and scales its value', () => {
    expect(scaleBounded({ kind: 'above', value: 3 }, 0.5)).toEqual({ kind: 'above', value: 1.5 });
    expect(scaleBounded({ kind: 'exact', value: 2 }, 2)).toEqual({ kind: 'exact', value: 4 });
    expect(scaleBounded({ kind: 'below', value: 2 }, 0)).toEqual({ kind: 'unknown' });
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones; NaN for none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
