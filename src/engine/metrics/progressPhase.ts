/**
 * The live "hidden progress" readout as words: what the live measures (progressMeasures.ts) say while test
 * accuracy is still flat. One source for the classroom line, the chart and the CLI's `progress.phase`, so every
 * place says the same thing. Pure.
 *
 * It says only what is measured: "the test pairs' logits line up with waves at their right answers", never
 * "circuit forming". Its thresholds were chosen on the false-alarm suite (bench/progressAlarms.ts,
 * bench/results/progress-alarms/): no run whose test accuracy stayed at chance crosses them.
 */
import type { ProgressMeasures } from '../records';
import type { ProgressSupport } from './progressMeasures';

/**
 * The waves count as lining up once BOTH hold, measured on the false-alarm suite (bench/results/progress-alarms/:
 * 160 runs, MLP and fast transformer, (a+b) and (a−b), p = 23 and 31, 50% and 70% train, wd 0 and 1, 5 seeds):
 *   - their loss on the test pairs is WAVE_MARGIN nats below ln p (a uniform guess): a fit to noise wanders a
 *     few hundredths around ln p;
 *   - they hold at least WAVE_SHARE of the test logits' energy: transformers that only memorize (lr 0.01, no
 *     weight decay) grow logits so large that waves holding 3–11% of them reach ln p − 3 nats while test accuracy
 *     stays at chance (6 of 16 such runs fired on the loss alone). With both, no run whose test accuracy stayed at
 *     chance fired (0 of 55).
 */
export const WAVE_MARGIN = 0.3;
export const WAVE_SHARE = 0.15;
/** Test accuracy at which the readout calls the task generalized (the lab's default grokking threshold). */
export const GENERALIZED_ACCURACY = 0.99;

export type ProgressPhase = 'not-defined' | 'waiting' | 'no-waves' | 'waves' | 'generalized';

/** The words of each phase that has a measurement (what the classroom shows and the CLI writes). */
export const PHASE_WORDS: Record<Exclude<ProgressPhase, 'waiting'>, string> = {
  'not-defined': 'not defined',
  'no-waves': 'no waves in the test logits yet',
  waves: 'test logits line up with waves',
  generalized: 'generalized',
};

export interface PhaseInput {
  testAccuracy: number;
  progress?: ProgressMeasures;
}

export function progressPhase(
  support: ProgressSupport,
  record: PhaseInput | undefined,
  p: number,
): ProgressPhase {
  if (!support.defined) return 'not-defined';
  const progress = record?.progress;
  if (!record || !progress) return 'waiting';
  if (record.testAccuracy >= GENERALIZED_ACCURACY) return 'generalized';
  const waves = progress.testWaveLoss < Math.log(p) - WAVE_MARGIN && progress.testWaveShare >= WAVE_SHARE;
  return waves ? 'waves' : 'no-waves';
}

/** The nonzero key frequencies, strongest first. */
export function keyList(progress: ProgressMeasures): number[] {
  return [progress.key0, progress.key1, progress.key2, progress.key3, progress.key4].filter((k) => k > 0);
}

/**
 * A record as the CLI writes it: its live measures with the readout's words added as `progress.phase` (absent
 * where the task has no wave structure, as `progress` itself is).
 */
export function withPhase<T extends PhaseInput>(
  record: T,
  support: ProgressSupport,
  p: number,
): T | (Omit<T, 'progress'> & { progress: ProgressMeasures & { phase: string } }) {
  const phase = progressPhase(support, record, p);
  if (!record.progress || phase === 'waiting') return record;
  return { ...record, progress: { ...record.progress, phase: PHASE_WORDS[phase] } };
}
