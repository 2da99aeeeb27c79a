/** The evaluated points a milestone is read from. */
export interface AccuracyPoint {
  step: number;
  trainAccuracy: number;
  testAccuracy: number;
}

/** First evaluated step at which `pick(point)` ≥ threshold, or null if never. */
export function firstStepReaching(
  history: readonly AccuracyPoint[],
  pick: (point: AccuracyPoint) => number,
  threshold: number,
): number | null {
  for (const point of history) if (pick(point) >= threshold) return point.step;
  return null;
}

/** Steps-to-grok: first evaluated step with test accuracy ≥ threshold (default 0.99). */
export function stepsToGrok(history: readonly AccuracyPoint[], threshold = 0.99): number | null {
  return firstStepReaching(history, (point) => point.testAccuracy, threshold);
}

/** Steps-to-memorize: first evaluated step with train accuracy ≥ threshold. */
export function stepsToMemorize(history: readonly AccuracyPoint[], threshold = 0.99): number | null {
  return firstStepReaching(history, (point) => point.trainAccuracy, threshold);
}
