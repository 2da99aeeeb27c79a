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
  progressSupport,
  restrictedAndExcluded,
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

describe('progress measures on constructed logits', () => {
  const W0 = 4;
  const AMPLITUDE = 6;

  it('a pure cos(w(a+b−c)) table: finds w, restricted loss = full loss, excluded loss = ln p', () => {
    const t = table(1, (a, b, c) => AMPLITUDE * Math.cos(wave(W0, a + b - c)));
    const measures = progressMeasures(t, EMBEDDING);
    expect(measures.key0).toBe(W0);
    expect(measures.keyShare).toBeCloseTo(1, 6);
    expect(measures.waveShare).toBeCloseTo(1, 6);
    // The key part is the whole table, so restricting changes nothing…
    const fullLoss = meanLoss(
      t,
      () => true,
      (i, c) => t.logits[i * P + c],
    );
    expect(measures.restrictedLoss).toBeCloseTo(fullLoss, 5);
    // … and removing it leaves all-zero logits: the uniform guess.
    expect(measures.excludedLoss).toBeCloseTo(Math.log(P), 5);
  });

  it('two waves: both found, strongest first, sin as well as cos', () => {
    const t = table(1, (a, b, c) => 5 * Math.cos(wave(11, a + b - c)) + 2 * Math.sin(wave(3, a + b - c)));
    const fit = fitFrequencies(t);
    expect(keyFrequencies(fit, 2)).toEqual([11, 3]);
    expect(fit.cos[10]).toBeCloseTo(5, 5);
    expect(fit.sin[2]).toBeCloseTo(2, 5);
    // Energy over the p³ cube: amplitude² · p³/2 per direction.
    expect(fit.energy[10]).toBeCloseTo((25 * P ** 3) / 2, 0);
  });

  it('a memorizing lookup table: no dominant frequency, excluded loss stays at the train loss', () => {
    // Train rows: logit A on the right answer, 0 elsewhere; test rows: all 0 (nothing learned about them).
    const A = 10;
    const t = table(1, (a, b, c, train) => (train && c === (a + b) % P ? A : 0));
    const fit = fitFrequencies(t);
    // By hand: every frequency gets coefficient α = 2fA/p on its cos direction (and 0 on sin), f = train share.
    const f = Array.from(t.isTrain).reduce((s, x) => s + x, 0) / (P * P);
    const alpha = (2 * f * A) / P;
    for (let i = 0; i < fit.cos.length; i++) {
      expect(fit.cos[i]).toBeCloseTo(alpha, 6);
      expect(fit.sin[i]).toBeCloseTo(0, 6);
    }
    const measures = progressMeasures(t, EMBEDDING);
    const keys = [measures.key0, measures.key1, measures.key2, measures.key3, measures.key4];
    // Each frequency holds 2f/(p−1) of the energy; all of them together hold f.
    expect(measures.keyShare).toBeCloseTo((keys.length * 2 * f) / (P - 1), 5);
    expect(measures.waveShare).toBeCloseTo(f, 5);
    // The ablated logits by hand: minus α·Σ_keys cos(w·d), d = target − c.
    const part = (d: number): number => keys.reduce((s, w) => s + alpha * Math.cos(wave(w, d)), 0);
    const trainLoss = meanLoss(
      t,
      (i) => t.isTrain[i] === 1,
      (i, c) => t.logits[i * P + c],
    );
    const excluded = meanLoss(
      t,
      (i) => t.isTrain[i] === 1,
      (i, c) => t.logits[i * P + c] - part(t.targets[i] - c),
    );
    expect(measures.excludedLoss).toBeCloseTo(excluded, 5);
    expect(measures.restrictedLoss).toBeCloseTo(
      meanLoss(
        t,
        () => true,
        (i, c) => part(t.targets[i] - c),
      ),
      5,
    );
    // What that means: the memorizer survives the ablation (its train loss stays far below ln p = 3.43)…
    expect(trainLoss).toBeLessThan(0.002);
    expect(measures.excludedLoss).toBeLessThan(0.05);
    // … and its key frequencies hold only their even share of the wave energy (5 of 15), where a circuit's hold most.
    expect(measures.keyShare / measures.waveShare).toBeCloseTo(5 / 15, 6);
    // Not chance, though: a one-hot answer holds every frequency, so a confident memorizer has a key part too and its
    // restricted loss falls as its logits grow (here 5α = 2.26 at the answer): restricted loss alone cannot tell a
    // confident memorizer from a forming circuit; the key share can.
    expect(measures.restrictedLoss).toBeLessThan(Math.log(P) - 1);
  });

  it('a−b: the waves cos(w(a−b−c)) are found with sign −1 and are invisible to the a+b fit', () => {
    const logit = (a: number, b: number, c: number): number => AMPLITUDE * Math.cos(wave(7, a - b - c));
    const minus = progressMeasures(table(-1, logit), EMBEDDING);
    expect(minus.key0).toBe(7);
    expect(minus.keyShare).toBeCloseTo(1, 6);
    expect(minus.excludedLoss).toBeCloseTo(Math.log(P), 5);
    const asIfPlus = fitFrequencies(table(1, logit));
    const waveEnergy = asIfPlus.energy.reduce((s, e) => s + e, 0);
    expect(waveEnergy / asIfPlus.centredEnergy).toBeLessThan(1e-9);
  });

  it('restricted and excluded losses split the logits: excluding nothing gives the train loss', () => {
    const t = table(1, (a, b, c) => Math.cos(wave(2, a + b - c)) + 0.3 * Math.sin(wave(5, a * b + c)));
    const fit = fitFrequencies(t);
    const none = restrictedAndExcluded(t, fit, []);
    expect(none.excludedLoss).toBeCloseTo(
      meanLoss(
        t,
        (i) => t.isTrain[i] === 1,
        (i, c) => t.logits[i * P + c],
      ),
      5,
    );
    expect(none.restrictedLoss).toBeCloseTo(Math.log(P), 9);
    expect(none.keyShare).toBe(0);
  });

  it('rejects a table that is not all p² pairs', () => {
    const t = table(1, () => 0);
    expect(() => fitFrequencies({ ...t, a: Array.from(t.a).slice(1) })).toThrow(/all 961 pairs/);
    const repeated = Int32Array.from(t.a);
    repeated[0] = repeated[1];
    const b = Int32Array.from(t.b);
    b[0] = b[1];
    expect(() => fitFrequencies({ ...t, a: repeated, b })).toThrow(/repeated/);
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
