/**
 * Progress measures for grokking (Nanda et al. 2023, "Progress measures for grokking via mechanistic
 * interpretability", arXiv 2301.05217), computed from a model's logits on the whole p×p table, so they apply to
 * any model (MLP or transformer) trained on (a ± b) mod p.
 *
 * A network that has grokked modular addition writes its logits as a sum of waves cos(w(a+b−c)) over the answer c
 * (maximal at c = a+b) at a few key frequencies w. Over the p³ cube of (a, b, c) the directions cos(w(a±b−c)) and
 * sin(w(a±b−c)), w = 1…⌊p/2⌋, are orthogonal to each other and to every per-row constant (which softmax ignores),
 * so projecting the logits onto them is a least-squares fit that can be done on the host in O(p³):
 *   - key frequencies: the w whose two directions carry the most logit energy;
 *   - restricted loss: cross-entropy on all pairs with the logits replaced by their key-frequency part alone
 *     (Nanda adds the constant term; a per-row constant does not change a softmax, so it is left out here);
 *     it falls once the general circuit exists, while test accuracy is still flat;
 *   - excluded loss: the training loss with the key-frequency part removed; it rises as the memorizing solution
 *     is replaced by the circuit (a memorizer's train loss survives the ablation, the circuit's does not).
 * One deliberate difference from the paper: it fixes the key frequencies from the final model and measures every
 * checkpoint with them; a live measure cannot see the end, so these are the current strongest frequencies at each
 * evaluation.
 */
import type { TaskConfig } from '../config';
import { concentration, fourierSpectrum } from './fourier';

/**
 * How many key frequencies are kept (reported as key0…key4). Nanda et al. found 5 in their 1-layer transformer at
 * p = 113; the lab's MLP on (a+b) mod 31 (wd 1, seed 0) ends with 5 too (frequencies 5, 6, 2, 9, 13 hold 23, 20,
 * 15, 11 and 6% of the logits' energy; the next holds 1.6%). With only 3, the remaining two still solve the
 * training set and the excluded loss cannot show the circuit.
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

/** One evaluation's measures: flat numbers, so they pack into the worker protocol's columns. */
export interface ProgressMeasures {
  /** Cross-entropy on all p² pairs of the key-frequency part of the logits alone, nats. */
  restrictedLoss: number;
  /** Cross-entropy on the training pairs of the logits minus their key-frequency part, nats. */
  excludedLoss: number;
  /** Share of the logits' energy (each row centred over c) in the key frequencies' directions, 0…1. */
  keyShare: number;
  /** Share of the logits' energy in all cos/sin(w(a±b−c)) directions, w = 1…⌊p/2⌋, 0…1. */
  waveShare: number;
  /** The key frequencies, strongest first (0 where p has fewer frequencies than KEY_FREQUENCY_COUNT). */
  key0: number;
  key1: number;
  key2: number;
  key3: number;
  key4: number;
  /** Share of the operand embeddings' (non-constant) Fourier energy in their top KEY_FREQUENCY_COUNT frequencies. */
  embeddingTopShare: number;
  /** Gini coefficient of the operand embeddings' energy over frequencies: 0 spread evenly, → 1 on one frequency. */
  embeddingGini: number;
}

/** Every field of ProgressMeasures, in order (the compiler checks the list is complete and exact). */
export const PROGRESS_MEASURE_KEYS = [
  'restrictedLoss',
  'excludedLoss',
  'keyShare',
  'waveShare',
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
  (typeof PROGRESS_MEASURE_KEYS)[number]
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

export interface FrequencyFit {
  /** 1…⌊p/2⌋. */
  frequencies: Int32Array;
  /** Least-squares coefficient of each frequency's cos(w·d) and sin(w·d) direction, d = (a ± b − c) mod p. */
  cos: Float64Array;
  sin: Float64Array;
  /** Energy (squared norm over the p³ cube) of each frequency's fitted part. */
  energy: Float64Array;
  /** Squared norm of the logits after centring each row over c (what a softmax can see). */
  centredEnergy: number;
}

function positiveMod(x: number, p: number): number {
  return ((x % p) + p) % p;
}

function checkTable({ logits, a, b, targets, isTrain, p }: ProgressTable): void {
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
 * Projects the logits onto every frequency's cos/sin(w(a ± b − c)) directions. The logits enter only through
 * m[d] = Σ over (a, b, c) with a ± b − c ≡ d of L[a, b, c] (each d is hit by p² cells), so this is one pass.
 */
export function fitFrequencies(table: ProgressTable): FrequencyFit {
  checkTable(table);
  const { logits, a, b, p, sign } = table;
  const rows = p * p;
  const m = new Float64Array(p);
  let centredEnergy = 0;
  for (let i = 0; i < rows; i++) {
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
    // Each d stands for p² cells of the cube. sin(w·d) vanishes identically at w = p/2 (even p).
    cosNorm *= rows;
    sinNorm *= rows;
    frequencies[i] = w;
    cos[i] = cosDot / cosNorm;
    sin[i] = sinNorm > 1e-9 * rows ? sinDot / sinNorm : 0;
    energy[i] = cos[i] * cos[i] * cosNorm + sin[i] * sin[i] * sinNorm;
  }
  return { frequencies, cos, sin, energy, centredEnergy };
}

/** The `count` frequencies with the most energy, strongest first (ties: lower w first). */
export function keyFrequencies(fit: FrequencyFit, count: number): number[] {
  return Array.from(fit.frequencies)
    .map((w, i) => ({ w, energy: fit.energy[i] }))
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
function rowCrossEntropy(p: number, target: number, logitAt: (c: number) => number): number {
  let max = -Infinity;
  for (let c = 0; c < p; c++) max = Math.max(max, logitAt(c));
  let sum = 0;
  for (let c = 0; c < p; c++) sum += Math.exp(logitAt(c) - max);
  return max + Math.log(sum) - logitAt(target);
}

/** Restricted loss (all pairs), excluded loss (training pairs) and shares for a given set of key frequencies. */
export function restrictedAndExcluded(
  table: ProgressTable,
  fit: FrequencyFit,
  keys: readonly number[],
): { restrictedLoss: number; excludedLoss: number; keyShare: number; waveShare: number } {
  const { logits, a, b, targets, isTrain, p, sign } = table;
  const part = keyPart(fit, keys, p);
  const rows = p * p;
  let restricted = 0;
  let excluded = 0;
  let trainRows = 0;
  for (let i = 0; i < rows; i++) {
    const base = a[i] + sign * b[i];
    const offset = i * p;
    const target = targets[i];
    restricted += rowCrossEntropy(p, target, (c) => part[positiveMod(base - c, p)]);
    if (isTrain[i]) {
      excluded += rowCrossEntropy(p, target, (c) => logits[offset + c] - part[positiveMod(base - c, p)]);
      trainRows++;
    }
  }
  const keyEnergy = keys.reduce((sum, w) => sum + fit.energy[w - 1], 0);
  const waveEnergy = fit.energy.reduce((sum, e) => sum + e, 0);
  const share = (energy: number): number => (fit.centredEnergy > 0 ? energy / fit.centredEnergy : 0);
  return {
    restrictedLoss: restricted / rows,
    excludedLoss: trainRows > 0 ? excluded / trainRows : Number.NaN,
    keyShare: share(keyEnergy),
    waveShare: share(waveEnergy),
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
 * non-constant energy in the top `count` frequencies (the number the readout can compare with the logits' key
 * frequencies; chance level for evenly spread energy is count/⌊p/2⌋), and the Gini coefficient over all
 * frequencies (needs no count; 0 = spread evenly).
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

/** Every measure for one evaluation. */
export function progressMeasures(
  table: ProgressTable,
  embedding: { values: ArrayLike<number>; shape: readonly [number, number] },
  count = KEY_FREQUENCY_COUNT,
): ProgressMeasures {
  const fit = fitFrequencies(table);
  const keys = keyFrequencies(fit, count);
  const losses = restrictedAndExcluded(table, fit, keys);
  const sparsity = embeddingSparsity(embedding.values, embedding.shape, table.p, count);
  return {
    ...losses,
    key0: keys[0] ?? 0,
    key1: keys[1] ?? 0,
    key2: keys[2] ?? 0,
    key3: keys[3] ?? 0,
    key4: keys[4] ?? 0,
    embeddingTopShare: sparsity.topShare,
    embeddingGini: sparsity.gini,
  };
}
