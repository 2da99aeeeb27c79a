/**
 * The classroom's one-line "hidden progress" readout: what Nanda et al.'s progress measures say while the test
 * accuracy is still flat. Pure: a record in, a phase and a sentence out.
 */
import type { ProgressMeasures, ProgressSupport } from '../../engine/metrics/progressMeasures';
import type { MetricRecord } from '../../worker/protocol';
import { formatValue } from './format';

/**
 * The key frequencies hold "structure" when they carry at least this share of the logits' wave energy. A
 * memorizer spreads it evenly (5 of 15 frequencies at p = 31: 1/3); the grokked MLP holds ≈ 0.7 in its five.
 */
export const STRUCTURE_SHARE = 0.5;
/**
 * The circuit counts as forming once the restricted loss is below this fraction of ln p (a uniform guess): 1.03
 * nats at p = 31. Measured (bench/results/progress-forecast.md, MLP (a+b) mod 31): restricted < 1 fired in every
 * grokking run (21), 150–400 steps in, and in none of the three runs that collapse; at 0.5·ln p it fired in one of them.
 */
export const FORMING_FRACTION = 0.3;
/** Test accuracy at which the readout calls the circuit in place (the lab's grokking threshold). */
export const IN_PLACE_ACCURACY = 0.99;

export type HiddenPhase = 'not-defined' | 'waiting' | 'no-circuit' | 'forming' | 'in-place';

const PHASE_TEXT: Record<Exclude<HiddenPhase, 'not-defined' | 'waiting'>, string> = {
  'no-circuit': 'no circuit yet',
  forming: 'circuit forming',
  'in-place': 'circuit in place',
};

/** The nonzero key frequencies, strongest first. */
export function keyList(progress: ProgressMeasures): number[] {
  return [progress.key0, progress.key1, progress.key2, progress.key3, progress.key4].filter((k) => k > 0);
}

/** Share of the wave energy in the key frequencies (0 when the logits hold no waves at all). */
export function keyConcentration(progress: ProgressMeasures): number {
  return progress.waveShare > 0 ? progress.keyShare / progress.waveShare : 0;
}

export function hiddenPhase(
  support: ProgressSupport,
  record: Pick<MetricRecord, 'testAccuracy' | 'progress'> | undefined,
  p: number,
): HiddenPhase {
  if (!support.defined) return 'not-defined';
  const progress = record?.progress;
  if (!record || !progress) return 'waiting';
  if (record.testAccuracy >= IN_PLACE_ACCURACY) return 'in-place';
  const forming =
    progress.restrictedLoss < FORMING_FRACTION * Math.log(p) && keyConcentration(progress) >= STRUCTURE_SHARE;
  return forming ? 'forming' : 'no-circuit';
}

/** "Hidden progress: restricted loss 0.4 → circuit forming (key frequencies 4, 11, 14)". */
export function hiddenProgressText(
  support: ProgressSupport,
  record: Pick<MetricRecord, 'testAccuracy' | 'progress'> | undefined,
  p: number,
): string {
  const phase = hiddenPhase(support, record, p);
  if (phase === 'not-defined') return `Hidden progress: ${support.defined ? '' : support.reason}`;
  if (phase === 'waiting' || !record?.progress) return 'Hidden progress: waiting for the first evaluation';
  const progress = record.progress;
  const keys = phase === 'no-circuit' ? '' : ` (key frequencies ${keyList(progress).join(', ')})`;
  return `Hidden progress: restricted loss ${formatValue(progress.restrictedLoss, 2)} → ${PHASE_TEXT[phase]}${keys}`;
}
