import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config';
import { createRandom, permutation } from '../random';
import {
  embeddingSparsity,
  fitFrequencies,
  gini,
  keyFrequencies,
  NOT_DEFINED,
  progressMeasures,
  keyPart,
  progressSupport,
  type ProgressTable,
} from './progressMeasures';

const P = 31;
const TRAIN_FRACTION = 0.7;

/**
 * All p² pairs in a shuffled row order (the measures must follow a and b, not the row index), 70% of them marked
 * as training rows, with answers (a ± b) mod p and logits from `logit(a, b, c)`.
 */
function table(
  sign: 1 | -1,
  logit: (a: number, b: number, c: number, train: boolean) => number,
): ProgressTable {
  const rows = P * P;
  const order = permutation(rows, createRandom(7));
  const split = permutation(rows, createRandom(11));
  const trainCells = new Set(Array.from(split.slice(0, Math.round(TRAIN_FRACTION * rows))));
  const a = new Int32Array(rows);
  const b = new Int32Array(rows);
  const targets = new Int32Array(rows);
  const isTrain = new Uint8Array(rows);
  const logits = new Float32Array(rows * P);
  order.forEach((cell, i) => {
    a[i] = Math.floor(cell / P);
    b[i] = cell % P;
    targets[i] = (((a[i] + sign * b[i]) % P) + P) % P;
    isTrain[i] = trainCells.has(cell) ? 1 : 0;
    for (let c = 0; c < P; c++) logits[i * P + c] = logit(a[i], b[i], c, isTrain[i] === 1);
  });
  return { logits, a, b, targets, isTrain, p: P, sign };
}

/** Mean cross-entropy, by hand, over the rows `include` picks, of logits given per (row, c). */
function meanLoss(
  t: ProgressTable,
  include: (i: number) => boolean,
  logitOf: (i: number, c: number) => number,
): number {
  let total = 0;
  let rows = 0;
  for (let i = 0; i < P * P; i++) {
    if (!include(i)) continue;
    let sum = 0;
    for (let c = 0; c < P; c++) sum += Math.exp(logitOf(i, c));
    total += Math.log(sum) - logitOf(i, t.targets[i]);
    rows++;
  }
  return total / rows;
}

const wave = (w: number, d: number): number => (2 * Math.PI * w * d) / P;
const EMBEDDING = { values: new Float32Array(P * 4).fill(1), shape: [P, 4] as const };

describe('progressSupport', () => {
  it('is defined for modular a+b and a−b only, and says so otherwise', () => {
    const task = DEFAULT_CONFIG.task;
    expect(progressSupport({ ...task, kind: 'modular', operation: 'a+b' })).toEqual({
      defined: true,
      operation: 'a+b',
      sign: 1,
    });
    expect(progressSupport({ ...task, kind: 'modular', operation: ' a - b ' })).toMatchObject({ sign: -1 });
    for (const operation of ['a*b', 'a^2+b^2', 'a/b', '(a*a + 3*b) % p'])
      expect(progressSupport({ ...task, kind: 'modular', operation })).toEqual({
        defined: false,
        reason: NOT_DEFINED,
      });
    for (const kind of ['addition', 'parity', 'table'] as const)
      expect(progressSupport({ ...task, kind, operation: 'a+b' }).defined).toBe(false);
  });
});

describe('live progress measures on constructed logits', () => {
  const W0 = 4;
  const AMPLITUDE = 6;

  it('a pure cos(w(a+b−c)) table: the test fit finds w, and its waves alone score the full loss', () => {
    const t = table(1, (a, b, c) => AMPLITUDE * Math.cos(wave(W0, a + b - c)));
    const measures = progressMeasures(t, EMBEDDING);
    expect(measures.key0).toBe(W0);
    expect(measures.testWaveShare).toBeCloseTo(1, 6);
    const testLoss = meanLoss(
      t,
      (i) => t.isTrain[i] === 0,
      (i, c) => t.logits[i * P + c],
    );
    expect(measures.testWaveLoss).toBeCloseTo(testLoss, 5);
    expect(measures.testWaveLoss).toBeLessThan(Math.log(P) - 1.5);
  });

  it('two waves: both found, strongest first, sin as well as cos, on either split', () => {
    const t = table(1, (a, b, c) => 5 * Math.cos(wave(11, a + b - c)) + 2 * Math.sin(wave(3, a + b - c)));
    for (const split of ['train', 'test'] as const) {
      const fit = fitFrequencies(t, split);
      expect(keyFrequencies(fit.energy, 2)).toEqual([11, 3]);
      expect(fit.cos[10]).toBeCloseTo(5, 5);
      expect(fit.sin[2]).toBeCloseTo(2, 5);
      // Energy over the split's rows × p answers: amplitude² · rows·p/2 per direction.
      const rows = Array.from(t.isTrain).filter((x) => (x === 1) === (split === 'train')).length;
      expect(fit.energy[10]).toBeCloseTo((25 * rows * P) / 2, 0);
    }
  });

  it('a lookup-table memorizer (large margin on the train pairs, noise on the test pairs) keeps the live measure at chance', () => {
    // What fooled the former all-pairs fit: a spike at the right answer of every training pair.
    const noise = createRandom(5);
    const cells = new Map<number, number[]>();
    const t = table(1, (a, b, c, train) => {
      if (train) return c === (a + b) % P ? 24 : 0;
      const row = cells.get(a * P + b) ?? Array.from({ length: P }, () => 3 * noise.normal());
      cells.set(a * P + b, row);
      return row[c];
    });
    const measures = progressMeasures(t, EMBEDDING);
    // The waves fitted to noise are small and sit at no answer in particular: the loss stays at ln p.
    expect(Math.abs(measures.testWaveLoss - Math.log(P))).toBeLessThan(0.05);
    expect(measures.testWaveShare).toBeLessThan(0.05);
    // The same table through the former all-pairs fit: its key waves "classify" the test pairs well below chance.
    const allPairs = fitFrequencies({ ...t, isTrain: new Uint8Array(P * P) }, 'test');
    const keys = keyFrequencies(allPairs.energy, 5);
    const part = keyPart(allPairs, keys, P);
    const fooled = meanLoss(
      t,
      (i) => t.isTrain[i] === 0,
      (i, c) => part[(((t.a[i] + t.b[i] - c) % P) + P) % P],
    );
    expect(fooled).toBeLessThan(Math.log(P) - 1);
  });

  it('a memorizer plus a growing circuit: the measure follows the circuit on the test pairs', () => {
    const losses = [0, 0.5, 2].map((amplitude) => {
      const t = table(1, (a, b, c, train) => {
        const memorized = train && c === (a + b) % P ? 20 : 0;
        return memorized + amplitude * Math.cos(wave(W0, a + b - c));
      });
      return progressMeasures(t, EMBEDDING).testWaveLoss;
    });
    expect(losses[0]).toBeCloseTo(Math.log(P), 6);
    expect(losses[1]).toBeLessThan(losses[0] - 0.2);
    expect(losses[2]).toBeLessThan(losses[1]);
  });

  it('a−b: the waves cos(w(a−b−c)) are found with sign −1 and are invisible to the a+b fit', () => {
    const logit = (a: number, b: number, c: number): number => AMPLITUDE * Math.cos(wave(7, a - b - c));
    const minus = progressMeasures(table(-1, logit), EMBEDDING);
    expect(minus.key0).toBe(7);
    expect(minus.testWaveShare).toBeCloseTo(1, 6);
    const asIfPlus = fitFrequencies(table(1, logit), 'test');
    const waveEnergy = asIfPlus.energy.reduce((s, e) => s + e, 0);
    // Orthogonal over the whole cube; over the test pairs alone (a random 30%) only nearly so.
    expect(waveEnergy / asIfPlus.centredEnergy).toBeLessThan(0.01);
  });

  it('rejects a table that is not all p² pairs', () => {
    const t = table(1, () => 0);
    expect(() => fitFrequencies({ ...t, a: Array.from(t.a).slice(1) }, 'test')).toThrow(/all 961 pairs/);
    const repeated = Int32Array.from(t.a);
    repeated[0] = repeated[1];
    const b = Int32Array.from(t.b);
    b[0] = b[1];
    expect(() => fitFrequencies({ ...t, a: repeated, b }, 'test')).toThrow(/repeated/);
  });
});

describe('embedding sparsity', () => {
  it('Gini: 0 for equal values, 1 − 1/n for one, 0 for none', () => {
    expect(gini([1, 1, 1, 1])).toBeCloseTo(0, 12);
    expect(gini([0, 0, 5])).toBeCloseTo(2 / 3, 12);
    expect(gini([0, 0])).toBe(0);
    expect(gini([1, 3])).toBeCloseTo(0.25, 12);
  });

  it('a single-frequency embedding is sparse, a random one is not', () => {
    const dim = 8;
    const wave3 = new Float32Array(P * dim);
    for (let x = 0; x < P; x++) for (let d = 0; d < dim; d++) wave3[x * dim + d] = Math.cos(wave(3, x) + d);
    const sparse = embeddingSparsity(wave3, [P, dim], P);
    expect(sparse.topShare).toBeCloseTo(1, 6);
    expect(sparse.gini).toBeCloseTo(1 - 1 / 15, 6);
    const random = createRandom(3);
    const noise = Float32Array.from({ length: P * dim }, () => random.normal());
    const spread = embeddingSparsity(noise, [P, dim], P);
    // Chance for 5 of 15 frequencies is 1/3; white noise lands near it.
    expect(spread.topShare).toBeLessThan(0.55);
    expect(spread.gini).toBeLessThan(0.4);
  });
});
