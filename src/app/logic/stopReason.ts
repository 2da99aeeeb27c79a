import type { TrainingConfig } from '../../engine/config';
import { formatInteger } from './format';

/** Why a finished run stopped, and how to go on, for the run controls. */
export function stopReason(step: number, training: TrainingConfig, grokked: number | null): string {
  if (grokked !== null && training.stopAfterGrok > 0 && step >= grokked + training.stopAfterGrok) {
    return `Stopped ${formatInteger(training.stopAfterGrok)} steps after grokking (auto-stop). Set “Stop after grokking” to 0 to keep going.`;
  }
  return `Reached the step budget (${formatInteger(training.maxSteps)}). Raise it under Optimizer & run to continue.`;
}
