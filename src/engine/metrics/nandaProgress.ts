/**
 * Nanda et al.'s progress measures as the paper defines them (arXiv 2301.05217, §5): an after-the-run analysis,
 * because the key frequencies are those of the FINAL model and every checkpoint is measured with them.
 *
 * Per answer c, the logits over the p² pairs are fitted by a constant κ_c and cos/sin(w(a ± b)) at every
 * frequency w (a 2D DFT of each answer's logit table, kept on its a ± b diagonal):
 *   - restricted loss: the test pairs' cross-entropy of κ_c + the key frequencies' part alone;
 *   - excluded loss: the training pairs' cross-entropy of the logits minus the key frequencies' part.
 * Caveat, measured (bench/results/progress-alarms.md): at p = 31 with 70% of the pairs for training a network
 * that only memorizes fools the restricted loss too, so the lab shows these after a run, labelled, never live.
 */
import {
  checkTable,
  inSplit,
  keyFrequencies,
  KEY_FREQUENCY_COUNT,
  positiveMod,
  rowCrossEntropy,
  type ProgressTable,
} from './progressMeasures';
import type { ProgressMeasures } from '../records';

export interface AnswerFit {
  p: number;
  /** κ_c: each answer's mean logit over all pairs. */
  constant: Float64Array;
  /** [⌊p/2⌋ × p], row w − 1: each answer's coefficient on cos(w(a ± b)) and sin(w(a ± b)). */
  cos: Float64Array;
  sin: Float64Array;
  /** Energy of each frequency's fitted part over the p³ cube (summed over answers). */
  energy: Float64Array;
}

/** The per-answer fit of one logit table. O(p³). */
export function fitPerAnswer(table: ProgressTable): AnswerFit {
  checkTable(table);
  const { logits, a, b, p, sign } = table;
  // sums[c·p + s] = Σ over the p pairs with a ± b ≡ s of L[pair, c].
  const sums = new Float64Array(p * p);
  for (let i = 0; i < p * p; i++) {
    const s = positiveMod(a[i] + sign * b[i], p);
    for (let c = 0; c < p; c++) sums[c * p + s] += logits[i * p + c];
  }
  const count = Math.floor(p / 2);
  const constant = new Float64Array(p);
  const cos = new Float64Array(count * p);
  const sin = new Float64Array(count * p);
  const energy = new Float64Array(count);
  for (let c = 0; c < p; c++) {
    let total = 0;
    for (let s = 0; s < p; s++) total += sums[c * p + s];
    constant[c] = total / (p * p);
  }
  for (let i = 0; i < count; i++) {
    const w = i + 1;
    let cosNorm = 0;
    let sinNorm = 0;
    for (let s = 0; s < p; s++) {
      const angle = (2 * Math.PI * ((w * s) % p)) / p;
      cosNorm += Math.cos(angle) ** 2;
      sinNorm += Math.sin(angle) ** 2;
    }
    // Each s stands for p pairs.
    cosNorm *= p;
    sinNorm *= p;
    for (let c = 0; c < p; c++) {
      let cosDot = 0;
      let sinDot = 0;
      for (let s = 0; s < p; s++) {
        const angle = (2 * Math.PI * ((w * s) % p)) / p;
        cosDot += sums[c * p + s] * Math.cos(angle);
        sinDot += sums[c * p + s] * Math.sin(angle);
      }
      const alpha = cosDot / cosNorm;
      const beta = sinNorm > 1e-9 ? sinDot / sinNorm : 0;
      cos[i * p + c] = alpha;
      sin[i * p + c] = beta;
      energy[i] += alpha * alpha * cosNorm + beta * beta * sinNorm;
    }
  }
  return { p, constant, cos, sin, energy };
}

/** The key frequencies' part as a table [s × p] over s = (a ± b) mod p and c, with or without the constant κ_c. */
export function keyPartPerAnswer(
  fit: AnswerFit,
  keys: readonly number[],
  withConstant: boolean,
): Float64Array {
  const { p } = fit;
  const part = new Float64Array(p * p);
  for (let s = 0; s < p; s++) {
    for (let c = 0; c < p; c++) {
      let value = withConstant ? fit.constant[c] : 0;
      for (const w of keys) {
        const angle = (2 * Math.PI * ((w * s) % p)) / p;
        value += fit.cos[(w - 1) * p + c] * Math.cos(angle) + fit.sin[(w - 1) * p + c] * Math.sin(angle);
      }
      part[s * p + c] = value;
    }
  }
  return part;
}

/** Restricted loss on the test pairs and excluded loss on the training pairs, for given key frequencies. */
export function nandaLosses(
  table: ProgressTable,
  keys: readonly number[],
  fit = fitPerAnswer(table),
): { restrictedLoss: number; excludedLoss: number } {
  const { logits, a, b, targets, p, sign } = table;
  const restricted = keyPartPerAnswer(fit, keys, true);
  const removed = keyPartPerAnswer(fit, keys, false);
  let restrictedSum = 0;
  let testRows = 0;
  let excludedSum = 0;
  let trainRows = 0;
  for (let i = 0; i < p * p; i++) {
    const s = positiveMod(a[i] + sign * b[i], p);
    if (inSplit(table, i, 'test')) {
      restrictedSum += rowCrossEntropy(p, targets[i], (c) => restricted[s * p + c]);
      testRows++;
    } else {
      excludedSum += rowCrossEntropy(p, targets[i], (c) => logits[i * p + c] - removed[s * p + c]);
      trainRows++;
    }
  }
  return {
    restrictedLoss: testRows > 0 ? restrictedSum / testRows : Number.NaN,
    excludedLoss: trainRows > 0 ? excludedSum / trainRows : Number.NaN,
  };
}

export interface NandaPoint {
  step: number;
  restrictedLoss: number;
  excludedLoss: number;
}

export interface NandaAnalysis {
  /** The final model's key frequencies, strongest first. */
  keys: number[];
  points: NandaPoint[];
}

/** The after-the-run curve: key frequencies from the last checkpoint, every checkpoint measured with them. */
export function nandaAnalysis(
  checkpoints: readonly { step: number; logits: Float32Array }[],
  pairs: Omit<ProgressTable, 'logits'>,
  count = KEY_FREQUENCY_COUNT,
): NandaAnalysis {
  const last = checkpoints.at(-1);
  if (!last) return { keys: [], points: [] };
  const keys = keyFrequencies(fitPerAnswer({ ...pairs, logits: last.logits }).energy, count);
  const points = checkpoints.map(({ step, logits }) => ({
    step,
    ...nandaLosses({ ...pairs, logits }, keys),
  }));
  return { keys, points };
}

/**
 * The history with the analysis written into the records it measured (progress.afterRun…), and cleared from any
 * record it did not (an older analysis of the same run used other key frequencies). Unchanged records are kept.
 */
export function applyAnalysis<R extends { step: number; progress?: ProgressMeasures }>(
  history: readonly R[],
  analysis: NandaAnalysis,
): R[] {
  const byStep = new Map(analysis.points.map((point) => [point.step, point]));
  return history.map((record) => {
    if (!record.progress) return record;
    const point = byStep.get(record.step);
    const { afterRunRestrictedLoss: _restricted, afterRunExcludedLoss: _excluded, ...live } = record.progress;
    void _restricted;
    void _excluded;
    return {
      ...record,
      progress: point
        ? { ...live, afterRunRestrictedLoss: point.restrictedLoss, afterRunExcludedLoss: point.excludedLoss }
        : live,
    };
  });
}
