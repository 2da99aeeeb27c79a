/**
 * The classroom's one-line "hidden progress" readout: the phase (engine/metrics/progressPhase.ts) and the number
 * behind it, as a sentence. Pure: a record in, a phase and a sentence out.
 */
import type { ProgressSupport } from '../../engine/metrics/progressMeasures';
import {
  keyList,
  PHASE_WORDS,
  progressPhase,
  type PhaseInput,
  type ProgressPhase,
} from '../../engine/metrics/progressPhase';
import { formatValue } from './format';

export { progressPhase as hiddenPhase };
export type HiddenPhase = ProgressPhase;

/**
 * "Hidden progress: test logits line up with waves (frequencies 4, 11, 14) · waves hold 20% of the test logits, wave
 * loss 2.1 vs ln p 3.43". The
 * wave loss is the cross-entropy on the test pairs of the waves fitted to their logits alone; ln p is a uniform
 * guess.
 */
export function hiddenProgressText(
  support: ProgressSupport,
  record: PhaseInput | undefined,
  p: number,
): string {
  const phase = progressPhase(support, record, p);
  if (phase === 'not-defined') return `Hidden progress: ${support.defined ? '' : support.reason}`;
  if (phase === 'waiting' || !record?.progress) return 'Hidden progress: waiting for the first evaluation';
  const progress = record.progress;
  const keys = phase === 'no-waves' ? '' : ` (frequencies ${keyList(progress).join(', ')})`;
  return (
    `Hidden progress: ${PHASE_WORDS[phase]}${keys} · waves hold ${Math.round(progress.testWaveShare * 100)}% ` +
    `of the test logits, wave loss ${formatValue(progress.testWaveLoss, 3)} vs ln p ${formatValue(Math.log(p), 3)}`
  );
}
