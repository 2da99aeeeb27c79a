/** Evaluation should cost at most this share of training time. */
export const EVALUATION_BUDGET = 0.1;
/** The adaptive schedule evaluates at least this often (in steps), so the grokking moment is pinned. */
export const MAX_EVALUATION_INTERVAL = 500;

export interface EvaluationCosts {
  /** Recent time per training step. */
  stepMs: number;
  /** Time the last evaluation took (the estimate for the next one). */
  evaluationMs: number;
  /**
   * Totals since the run (re)started, the evaluation just done included. With them the budget holds over the
   * whole run, not only per interval: the first evaluations, made before a step's cost is known, are paid back.
   */
  spent?: { trainingMs: number; evaluationMs: number };
}

/**
 * The step at which to evaluate next. With a fixed `evalEvery` it is the next multiple. Adaptive (0): dense
 * early (the step axis is logarithmic: about 20 points per decade), never so often that evaluation takes more
 * than EVALUATION_BUDGET of the training time, and at least every MAX_EVALUATION_INTERVAL steps so the grokking moment is
 * pinned.
 */
export function nextEvaluationStep(step: number, evalEvery: number, costs: EvaluationCosts): number {
  if (evalEvery > 0) return (Math.floor(step / evalEvery) + 1) * evalEvery;
  const logSpacing = Math.max(1, Math.floor(step / 8));
  return step + Math.min(MAX_EVALUATION_INTERVAL, Math.max(logSpacing, affordableInterval(costs), 1));
}

/** Fewest steps until the next evaluation keeps evaluation ≤ EVALUATION_BUDGET × training time. */
export function affordableInterval({ stepMs, evaluationMs, spent }: EvaluationCosts): number {
  if (!(stepMs > 0)) return 1;
  // Locally: the next evaluation must be paid for by the steps before it.
  const local = Math.ceil(evaluationMs / (EVALUATION_BUDGET * stepMs));
  if (!spent) return local;
  // Over the run: after the next evaluation, total evaluation ÷ total training must still be within budget.
  const trainingNeeded = (spent.evaluationMs + evaluationMs) / EVALUATION_BUDGET - spent.trainingMs;
  return Math.max(local, Math.ceil(trainingNeeded / stepMs));
}
