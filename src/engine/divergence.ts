import type { MetricRecord } from './records';

/**
 * Why an evaluation shows a diverged run, or null: a non-finite training loss, or non-finite weights (their
 * global L2 norm, computed at every evaluation, is NaN/Infinity as soon as one parameter is). Weights can blow up
 * before the loss shows it (e.g. a huge step that lands where the loss is still finite but the next is not).
 */
export function divergenceReason(record: Pick<MetricRecord, 'trainLoss' | 'weightNorm'>): string | null {
  if (!Number.isFinite(record.trainLoss)) return `the training loss is ${record.trainLoss}`;
  if (!Number.isFinite(record.weightNorm)) return `the weight norm is ${record.weightNorm}`;
  return null;
}
