import { describe, expect, it } from 'vitest';
import { createRandom, permutation } from '../random';
import { fakeProgress } from '../testing/fakes';
import { applyAnalysis, fitPerAnswer, keyPartPerAnswer, nandaAnalysis, nandaLosses } from './nandaProgress';
import type { ProgressMeasures } from '../records';
import type { ProgressTable } from './progressMeasures';

/** All p² pairs in a shuffled row order, every third pair a test pair, logits from `logit`. */
function table(p: number, sign: 1 | -1, logit: (a: number, b: number, c: number) => number): ProgressTable {
  const rows = p * p;
  const order = permutation(rows, createRandom(3));
  const a = new Int32Array(rows);
  const b = new Int32Array(rows);
  const targets = new Int32Array(rows);
  const isTrain = new Uint8Array(rows);
  const logits = new Float32Array(rows * p);
  order.forEach((cell, i) => {
    a[i] = Math.floor(cell / p);
    b[i] = cell % p;
    targets[i] = (((a[i] + sign * b[i]) % p) + p) % p;
    isTrain[i] = cell % 3 === 0 ? 0 : 1;
    for (let c = 0; c < p; c++) logits[i * p + c] = logit(a[i], b[i], c);
  });
  return { logits, a, b, targets, isTrain, p, sign };
}

/**
 * The restricted logits by a plain 2D DFT of each answer's p×p logit table: keep F(0, 0) and, per key w, the two
 * diagonal terms F(w, ±w) and F(−w, ∓w) (+ for a + b, − for a − b), and transform back.
 */
function dftRestricted(
  t: ProgressTable,
  keys: readonly number[],
): (a: number, b: number, c: number) => number {
  const { p } = t;
  const grid = (c: number): number[][] => {
    const g = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < p * p; i++) g[t.a[i]][t.b[i]] = t.logits[i * p + c];
    return g;
  };
  const kept: [number, number][] = [[0, 0]];
  for (const w of keys) kept.push([w, t.sign * w], [p - w, (p - t.sign * w) % p]);
  const transforms = Array.from({ length: p }, (_, c) => {
    const g = grid(c);
    return kept.map(([k1, k2]) => {
      let re = 0;
      let im = 0;
      for (let a = 0; a < p; a++)
        for (let b = 0; b < p; b++) {
          const angle = (-2 * Math.PI * (k1 * a + k2 * b)) / p;
          re += g[a][b] * Math.cos(angle);
          im += g[a][b] * Math.sin(angle);
        }
      return { k1, k2, re, im };
    });
  });
  return (a, b, c) =>
    transforms[c].reduce((sum, { k1, k2, re, im }) => {
      const angle = (2 * Math.PI * (k1 * a + k2 * b)) / p;
      return sum + (re * Math.cos(angle) - im * Math.sin(angle)) / (p * p);
    }, 0);
}

function crossEntropy(p: number, target: number, logitAt: (c: number) => number): number {
  let sum = 0;
  for (let c = 0; c < p; c++) sum += Math.exp(logitAt(c));
  return Math.log(sum) - logitAt(target);
}

describe('Nanda-exact progress measures', () => {
  for (const sign of [1, -1] as const) {
    it(`match a hand-computed 2D DFT on p = 7 (${sign > 0 ? 'a+b' : 'a−b'})`, () => {
      const p = 7;
      const random = createRandom(sign > 0 ? 1 : 2);
      const values = Array.from({ length: p ** 3 }, () => random.normal());
      const t = table(p, sign, (a, b, c) => values[(a * p + b) * p + c]);
      const keys = [2, 3];
      const restricted = dftRestricted(t, keys);
      const fit = fitPerAnswer(t);
      const part = keyPartPerAnswer(fit, keys, true);
      for (let a = 0; a < p; a++)
        for (let b = 0; b < p; b++) {
          const s = (((a + sign * b) % p) + p) % p;
          for (let c = 0; c < p; c++) expect(part[s * p + c]).toBeCloseTo(restricted(a, b, c), 9);
        }
      // The losses by hand from the DFT: restricted on the test pairs; excluded = logits minus the key part
      // (constant term kept) on the training pairs.
      let restrictedSum = 0;
      let excludedSum = 0;
      let testRows = 0;
      let trainRows = 0;
      for (let i = 0; i < p * p; i++) {
        const [a, b] = [t.a[i], t.b[i]];
        if (t.isTrain[i] === 0) {
          restrictedSum += crossEntropy(p, t.targets[i], (c) => restricted(a, b, c));
          testRows++;
        } else {
          const constant = (c: number): number => fit.constant[c];
          excludedSum += crossEntropy(
            p,
            t.targets[i],
            (c) => t.logits[i * p + c] - (restricted(a, b, c) - constant(c)),
          );
          trainRows++;
        }
      }
      const losses = nandaLosses(t, keys, fit);
      expect(losses.restrictedLoss).toBeCloseTo(restrictedSum / testRows, 9);
      expect(losses.excludedLoss).toBeCloseTo(excludedSum / trainRows, 9);
    });
  }

  it('κ_c is a per-answer bias that changes the softmax (a per-row constant would not)', () => {
    const p = 5;
    const t = table(p, 1, (_a, _b, c) => (c === 2 ? 3 : 0));
    const fit = fitPerAnswer(t);
    expect(fit.constant[2]).toBeCloseTo(3, 9);
    // With no key frequency the restricted logits are κ alone: every test pair predicts answer 2.
    const { restrictedLoss } = nandaLosses(t, []);
    const favoured = Math.log(Math.exp(3) + p - 1) - 3;
    const other = Math.log(Math.exp(3) + p - 1);
    const testTargets = Array.from(t.targets).filter((_, i) => t.isTrain[i] === 0);
    const expected =
      testTargets.reduce((sum, target) => sum + (target === 2 ? favoured : other), 0) / testTargets.length;
    expect(restrictedLoss).toBeCloseTo(expected, 9);
  });

  it('takes the key frequencies from the last checkpoint and measures every checkpoint with them', () => {
    const p = 11;
    const early = table(p, 1, (a, b, c) => 4 * Math.cos((2 * Math.PI * 2 * (a + b - c)) / p));
    const late = table(p, 1, (a, b, c) => 4 * Math.cos((2 * Math.PI * 5 * (a + b - c)) / p));
    const { logits: _unused, ...pairs } = late;
    void _unused;
    const analysis = nandaAnalysis(
      [
        { step: 0, logits: early.logits },
        { step: 100, logits: late.logits },
      ],
      pairs,
      1,
    );
    expect(analysis.keys).toEqual([5]);
    // The early model's wave is at 2, which the final keys ablate nothing of: restricted = uniform guess.
    expect(analysis.points[0].restrictedLoss).toBeCloseTo(Math.log(p), 6);
    expect(analysis.points[1].restrictedLoss).toBeLessThan(Math.log(p) - 1);
    expect(analysis.points[1].excludedLoss).toBeCloseTo(Math.log(p), 6);
  });

  it('writes the analysis into the records it measured and clears an older one elsewhere', () => {
    const history = [0, 50, 100].map((step) => ({
      step,
      progress: fakeProgress({ afterRunRestrictedLoss: 9, afterRunExcludedLoss: 9 }),
    }));
    const bare: { step: number; progress?: ProgressMeasures } = { step: 150 };
    const analysed = applyAnalysis([...history, bare], {
      keys: [4],
      points: [
        { step: 0, restrictedLoss: 3, excludedLoss: 0.1 },
        { step: 100, restrictedLoss: 0.5, excludedLoss: 2 },
      ],
    });
    expect(analysed[0].progress).toMatchObject({ afterRunRestrictedLoss: 3, afterRunExcludedLoss: 0.1 });
    expect(analysed[1].progress).not.toHaveProperty('afterRunRestrictedLoss');
    expect(analysed[2].progress).toMatchObject({ afterRunRestrictedLoss: 0.5, afterRunExcludedLoss: 2 });
    expect(analysed[3]).toBe(bare);
    expect(analysed[0].progress?.testWaveLoss).toBe(history[0].progress.testWaveLoss);
  });
});
