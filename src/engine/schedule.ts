/** Evaluation should cost at most this share of training time. */
export const EVALUATION_BUDGET = 0.1;
const MAX_INTERVAL = 500;

/**
 * The step at which to evaluate next. With a fixed `evalEvery` it is the next multiple. Adaptive (0): dense
 * early (the step axis is logarithmic: about 20 points per decade), never so often that evaluation takes more
 * than EVALUATION_BUDGET of the time, and at least every MAX_INTERVAL steps so the grokking moment is pinned.
 */
export function nextEvaluationStep(
  step: number,
  evalEvery: number,
  costs: { stepMs: number; evaluationMs: number },
): number {
  if (evalEvery > 0) return (Math.floor(step / evalEvery) + 1) * evalEvery;
  const logSpacing = Math.max(1, Math.floor(step / 8));
  const affordable =
    costs.stepMs > 0 ? Math.ceil(costs.evaluationMs / (EVALUATION_BUDGET * costs.stepMs)) : 1;
  return step + Math.min(MAX_INTERVAL, Math.max(logSpacing, affordable, 1));
}
