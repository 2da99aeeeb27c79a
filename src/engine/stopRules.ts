/**
 * When a training run stops on its own, written once for the headless loop (run.ts: the CLI and the benches) and
 * the worker's session: divergence, grokking + `training.stopAfterGrok` steps, and the step budget. Pure: the
 * callers decide what a stop means for them (a summary; a status and a message for the page, where "train N
 * steps" does not stop on grokking).
 */
import type { Config } from './config';
import { divergenceReason } from './divergence';
import { stepsToGrok, type AccuracyPoint } from './metrics/stepsToGrok';
import type { MetricRecord } from './records';

/** Whether a run at `step` has used up a budget of `budget` steps (maxSteps, or a "train N steps" target). */
export function budgetReached(step: number, budget: number): boolean {
  return step >= budget;
}

export interface StopInput {
  /** The step just evaluated. */
  step: number;
  /** Its evaluation. */
  record: Pick<MetricRecord, 'trainLoss' | 'weightNorm'>;
  /** Every evaluation so far, this one included. */
  history: readonly AccuracyPoint[];
  training: Pick<Config['training'], 'grokThreshold' | 'stopAfterGrok'>;
  /** The step training stops at (inclusive). */
  budget: number;
}

export type StopDecision =
  | { stop: null; grokkedAt: number | null }
  | { stop: 'diverged'; reason: string; grokkedAt: number | null }
  | { stop: 'grokked'; grokkedAt: number; stopAfterGrok: number }
  | { stop: 'budget'; grokkedAt: number | null };

/**
 * What an evaluation decides, in order: a diverged run (non-finite loss or weights) stops first; then a run that
 * grokked at least `stopAfterGrok` steps ago (0: never stop on grokking); then the budget.
 */
export function stopDecision(input: StopInput): StopDecision {
  const grokkedAt = stepsToGrok(input.history, input.training.grokThreshold);
  const reason = divergenceReason(input.record);
  if (reason !== null) return { stop: 'diverged', reason, grokkedAt };
  const { stopAfterGrok } = input.training;
  if (grokkedAt !== null && stopAfterGrok > 0 && input.step >= grokkedAt + stopAfterGrok) {
    return { stop: 'grokked', grokkedAt, stopAfterGrok };
  }
  if (budgetReached(input.step, input.budget)) return { stop: 'budget', grokkedAt };
  return { stop: null, grokkedAt };
}

/** The page's sentence for a run that stopped after grokking. */
export function grokStopMessage(decision: { grokkedAt: number; stopAfterGrok: number }): string {
  return `Grokked at step ${decision.grokkedAt}; stopped ${decision.stopAfterGrok} steps later (training.stopAfterGrok).`;
}

/** The page's sentence for start() on a run already at its budget. */
export function budgetMessage(maxSteps: number): string {
  return `Reached training.maxSteps (${maxSteps}); raise it to keep training.`;
}
