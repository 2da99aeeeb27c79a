/**
 * Live progress measures for grokking on (a ± b) mod p: what a network's logits and embeddings say about the
 * general solution while test accuracy is still flat, chosen so that a network that only memorizes cannot fake
 * them (bench/progressAlarms.ts checks that on memorize-only runs).
 *
 * A network that has grokked modular addition writes its logits as a sum of waves cos(w(a±b−c)) over the answer
 * c (maximal at the right answer) at a few key frequencies w (Nanda et al. 2023, arXiv 2301.05217). Fitting those
 * waves to the logits of ALL pairs is fooled by memorization: a memorizer's logit spike at the right answer on
 * the training pairs sits at d = a±b−c = 0 and projects onto every frequency, so any five frequencies rebuild a
 * classifier that is right on the test pairs too (the lab's former "restricted loss" fell below 0.01 nat in runs
 * that never generalize). Here the waves are fitted to the TEST pairs' logits alone and scored on the test pairs:
 * a memorizer holds no wave at the right answers of pairs it has never seen, so the fit has nothing to find.
 *
 * The after-the-run measures of the paper (key frequencies from the final model, restricted and excluded loss)
 * are in nandaProgress.ts.
 */
import type { ProgressMeasures } from '../records';
import type { TaskConfig } from '../config';
import { concentration, fourierSpectrum } from './fourier';

/**
 * How many key frequencies are kept (reported as key0…key4). Nanda et al. found 5 in their 1-layer transformer at
 * p = 113; the lab's MLP on (a+b) mod 31 (wd 1, seed 0) ends with 5 too.
 */
export const KEY_FREQUENCY_COUNT = 5;

/** Whether the measures mean anything for a task: only answers a + b or a − b mod p have the wave structure. */
export type ProgressSupport =
  { defined: true; operation: 'a+b' | 'a-b'; sign: 1 | -1 } | { defined: false; reason: string };

export const NOT_DEFINED = 'not defined for this operation';

/** Decides from the task config alone (the same answer before and during a run). */
export function progressSupport(task: Pick<TaskConfig, 'kind' | 'operation'>): ProgressSupport {
  if (task.kind !== 'modular') return { defined: false, reason: NOT_DEFINED };
  // A typed expression that is literally a + b or a − b is the same task as the built-in one.
  const compact = task.operation.replace(/\s+/g, '');
  if (compact === 'a+b' || compact === 'b+a') return { defined: true, operation: 'a+b', sign: 1 };
  if (compact === 'a-b') return { defined: true, operation: 'a-b', sign: -1 };
  return { defined: false, reason: NOT_DEFINED };
}

/** The after-the-run fields of ProgressMeasures. */
export const AFTER_RUN_KEYS = [
  'afterRunRestrictedLoss',
  'afterRunExcludedLoss',
] as const satisfies readonly (keyof ProgressMeasures)[];

/** Every live field of ProgressMeasures, in order (the compiler checks the lists are complete and exact). */
export const PROGRESS_MEASURE_KEYS = [
  'testWaveLoss',
  'testWaveShare',
  'key0',
  'key1',
  'key2',
  'key3',
  'key4',
  'embeddingTopShare',
  'embeddingGini',
] as const satisfies readonly (keyof ProgressMeasures)[];
const progressKeysComplete: Exclude<
  keyof ProgressMeasures,
  (typeof PROGRESS_MEASURE_KEYS)[number] | (typeof AFTER_RUN_KEYS)[number]
> extends never
  ? true
  : false = true;
void progressKeysComplete;

export interface ProgressTable {
  /** Row-major [rows, p]: each row's logits over the p answers. */
  logits: Float32Array;
  /** The operands of each row. Every pair (a, b) in 0…p−1 must appear exactly once. */
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  /** The correct answer of each row. */
  targets: ArrayLike<number>;
  /** 1 where the row is in the training split. */
  isTrain: ArrayLike<number>;
  p: number;
  /** +1 for a + b, −1 for a − b. */
  sign: 1 | -1;
}

/** Which rows a fit or a loss reads. */
export type RowSplit = 'train' | 'test';

export function inSplit(table: Pick<ProgressTable, 'isTrain'>, row: number, split: RowSplit): boolean {
  return (table.isTrain[row] === 1) === (split === 'train');
}

export interface FrequencyFit {
  /** 1…⌊p/2⌋. */
  frequencies: Int32Array;
  /** Least-squares coefficient of each frequency's cos(w·d) and sin(w·d) direction, d = (a ± b − c) mod p. */
  cos: Float64Array;
  sin: Float64Array;
  /** Energy (squared norm over the fitted rows × p answers) of each frequency's fitted part. */
  energy: Float64Array;
  /** Squared norm of the fitted rows' logits after centring each row over c (what a softmax can see). */
  centredEnergy: number;
}

export function positiveMod(x: number, p: number): number {
  return ((x % p) + p) % p;
}

export function checkTable({ logits, a, b, targets, isTrain, p }: ProgressTable): void {
  if (!Number.isInteger(p) || p < 3) throw new RangeError(`p must be an integer ≥ 3; got ${p}`);
  const rows = p * p;
  if (a.length !== rows || b.length !== rows || targets.length !== rows || isTrain.length !== rows)
    throw new RangeError(`the measures need all ${rows} pairs (a, b); got ${a.length}`);
  if (logits.length !== rows * p)
    throw new RangeError(`logits must be [${rows}, ${p}]; got ${logits.length} values`);
  const seen = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const cell = a[i] * p + b[i];
    if (!(a[i] >= 0 && a[i] < p && b[i] >= 0 && b[i] < p) || seen[cell])
      throw new RangeError(`pair (${a[i]}, ${b[i]}) is out of range or repeated`);
    seen[cell] = 1;
  }
}

/**
 * Projects the logits of one split's rows onto every frequency's cos/sin(w(a ± b − c)) directions. Every row meets
 * each d = (a ± b − c) mod p exactly once (at one c), so over any set of rows these directions stay orthogonal to
 * each other and to every per-row constant, and the least-squares fit is one pass through
 * m[d] = Σ over the rows and c with a ± b − c ≡ d of L[row, c].
 */
export function fitFrequencies(table: ProgressTable, split: RowSplit): FrequencyFit {
  checkTable(table);
  const { logits, a, b, p, sign } = table;
  const m = new Float64Array(p);
  let centredEnergy = 0;
  let rows = 0;
  for (let i = 0; i < p * p; i++) {
    if (!inSplit(table, i, split)) continue;
    rows++;
    const offset = i * p;
    const base = a[i] + sign * b[i];
    let sum = 0;
    let squares = 0;
    for (let c = 0; c < p; c++) {
      const value = logits[offset + c];
      m[positiveMod(base - c, p)] += value;
      sum += value;
      squares += value * value;
    }
    centredEnergy += squares - (sum * sum) / p;
  }
  const count = Math.floor(p / 2);
  const frequencies = new Int32Array(count);
  const cos = new Float64Array(count);
  const sin = new Float64Array(count);
  const energy = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const w = i + 1;
    let cosDot = 0;
    let sinDot = 0;
    let cosNorm = 0;
    let sinNorm = 0;
    for (let d = 0; d < p; d++) {
      const angle = (2 * Math.PI * ((w * d) % p)) / p;
      const cw = Math.cos(angle);
      const sw = Math.sin(angle);
      cosDot += m[d] * cw;
      sinDot += m[d] * sw;
      cosNorm += cw * cw;
      sinNorm += sw * sw;
    }
    // Each d stands for one cell of every fitted row. sin(w·d) vanishes identically at w = p/2 (even p).
    cosNorm *= rows;
    sinNorm *= rows;
    frequencies[i] = w;
    cos[i] = rows > 0 ? cosDot / cosNorm : 0;
    sin[i] = rows > 0 && sinNorm > 1e-9 * rows ? sinDot / sinNorm : 0;
    energy[i] = cos[i] * cos[i] * cosNorm + sin[i] * sin[i] * sinNorm;
  }
  return { frequencies, cos, sin, energy, centredEnergy };
}

/** The `count` frequencies with the most energy, strongest first (ties: lower w first). */
export function keyFrequencies(energy: ArrayLike<number>, count: number): number[] {
  return Array.from(energy, (e, i) => ({ w: i + 1, energy: e }))
    .sort((x, y) => y.energy - x.energy || x.w - y.w)
    .slice(0, Math.max(0, count))
    .map((entry) => entry.w);
}

/** The fitted key-frequency part of the logits as a function of d = (a ± b − c) mod p. */
export function keyPart(fit: FrequencyFit, keys: readonly number[], p: number): Float64Array {
  const part = new Float64Array(p);
  for (const w of keys) {
    const i = w - 1;
    for (let d = 0; d < p; d++) {
      const angle = (2 * Math.PI * ((w * d) % p)) / p;
      part[d] += fit.cos[i] * Math.cos(angle) + fit.sin[i] * Math.sin(angle);
    }
  }
  return part;
}

/** Cross-entropy of one row of logits given by `logitAt(c)`, c = 0…p−1, against `target`, in float64. */
export function rowCrossEntropy(p: number, target: number, logitAt: (c: number) => number): number {
  let max = -Infinity;
  for (let c = 0; c < p; c++) max = Math.max(max, logitAt(c));
  let sum = 0;
  for (let c = 0; c < p; c++) sum += Math.exp(logitAt(c) - max);
  return max + Math.log(sum) - logitAt(target);
}

/**
 * The live wave measure: fit the waves to the test pairs' logits, keep the key frequencies, and score those waves
 * alone on the test pairs. The waves depend on d only, so they either peak at the right answers of the test pairs
 * (loss below ln p) or they do not.
 */
export function testWaves(
  table: ProgressTable,
  count = KEY_FREQUENCY_COUNT,
): { testWaveLoss: number; testWaveShare: number; keys: number[] } {
  const fit = fitFrequencies(table, 'test');
  const keys = keyFrequencies(fit.energy, count);
  const { a, b, targets, p, sign } = table;
  const part = keyPart(fit, keys, p);
  let loss = 0;
  let rows = 0;
  for (let i = 0; i < p * p; i++) {
    if (!inSplit(table, i, 'test')) continue;
    const base = a[i] + sign * b[i];
    loss += rowCrossEntropy(p, targets[i], (c) => part[positiveMod(base - c, p)]);
    rows++;
  }
  const keyEnergy = keys.reduce((sum, w) => sum + fit.energy[w - 1], 0);
  return {
    testWaveLoss: rows > 0 ? loss / rows : Number.NaN,
    testWaveShare: fit.centredEnergy > 0 ? keyEnergy / fit.centredEnergy : 0,
    keys,
  };
}

/**
 * Gini coefficient of non-negative values: 0 when all are equal, 1 − 1/n when one holds everything, 0 for all-zero.
 * Mean absolute difference over all pairs ÷ (2 × mean), from the sorted values in O(n log n).
 */
export function gini(values: ArrayLike<number>): number {
  const sorted = Array.from(values).sort((x, y) => x - y);
  const n = sorted.length;
  const total = sorted.reduce((sum, v) => sum + v, 0);
  if (n === 0 || !(total > 0)) return 0;
  let weighted = 0;
  sorted.forEach((v, i) => (weighted += (2 * (i + 1) - n - 1) * v));
  return weighted / (n * total);
}

/**
 * Fourier sparsity of the operand embeddings (rows 0…p−1 of a [vocab, dim] table): the share of their
 * non-constant energy in the top `count` frequencies (chance level for evenly spread energy is count/⌊p/2⌋), and
 * the Gini coefficient over all frequencies (needs no count; 0 = spread evenly).
 */
export function embeddingSparsity(
  values: ArrayLike<number>,
  shape: readonly [number, number],
  p: number,
  count = KEY_FREQUENCY_COUNT,
): { topShare: number; gini: number } {
  const spectrum = fourierSpectrum(values, shape, p);
  return { topShare: concentration(spectrum, count), gini: gini(spectrum.share) };
}

/** Every live measure for one evaluation. */
export function progressMeasures(
  table: ProgressTable,
  embedding: { values: ArrayLike<number>; shape: readonly [number, number] },
  count = KEY_FREQUENCY_COUNT,
): ProgressMeasures {
  const waves = testWaves(table, count);
  const sparsity = embeddingSparsity(embedding.values, embedding.shape, table.p, count);
  return {
    testWaveLoss: waves.testWaveLoss,
    testWaveShare: waves.testWaveShare,
    key0: waves.keys[0] ?? 0,
    key1: waves.keys[1] ?? 0,
    key2: waves.keys[2] ?? 0,
    key3: waves.keys[3] ?? 0,
    key4: waves.keys[4] ?? 0,
    embeddingTopShare: sparsity.topShare,
    embeddingGini: sparsity.gini,
  };
}
