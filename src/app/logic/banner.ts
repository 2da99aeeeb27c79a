import { formatInteger } from './format';
import type { Milestones } from './milestones';

/** The grokking banner's sentence, or null before anything happened. Changes only at the two milestones. */
export function milestoneMessage(milestones: Milestones): string | null {
  const { memorized, grokked, collapsed } = milestones;
  if (collapsed !== null) {
    return `Collapsed at step ${formatInteger(collapsed)}: training accuracy fell back below 50% after memorizing — a regularizer is crushing the weights`;
  }
  if (grokked !== null) {
    return memorized !== null
      ? `Grokked at step ${formatInteger(grokked)} — memorized at step ${formatInteger(memorized)}`
      : `Grokked at step ${formatInteger(grokked)}`;
  }
  if (memorized !== null)
    return `Memorized at step ${formatInteger(memorized)} — waiting for the test set to follow…`;
  return null;
}
