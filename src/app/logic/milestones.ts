import { stepsToGrok, stepsToMemorize, type AccuracyPoint } from '../../engine/metrics/stepsToGrok';

/**
 * The moments of a grokking run: first step at threshold on the training split, then on the test split, and a
 * collapse (training accuracy falling back below COLLAPSE_ACCURACY after memorization, e.g. weights crushed by
 * too strong a norm penalty under Adam).
 */
export interface Milestones {
  memorized: number | null;
  grokked: number | null;
  collapsed: number | null;
}

/** Training accuracy below this after memorizing counts as a collapse. */
export const COLLAPSE_ACCURACY = 0.5;

export const NO_MILESTONES: Milestones = Object.freeze({ memorized: null, grokked: null, collapsed: null });

function firstCollapse(points: readonly AccuracyPoint[], memorized: number | null): number | null {
  if (memorized === null) return null;
  for (const point of points) {
    if (point.step > memorized && point.trainAccuracy < COLLAPSE_ACCURACY) return point.step;
  }
  return null;
}

/** Milestones of a whole history. */
export function detectMilestones(history: readonly AccuracyPoint[], threshold: number): Milestones {
  const memorized = stepsToMemorize(history, threshold);
  return {
    memorized,
    grokked: stepsToGrok(history, threshold),
    collapsed: firstCollapse(history, memorized),
  };
}

/**
 * Milestones after `added` records were appended to a history whose milestones were `previous`: only the new
 * records are scanned (a milestone, once reached, stays). Returns `previous` itself when nothing changed.
 */
export function extendMilestones(
  previous: Milestones,
  added: readonly AccuracyPoint[],
  threshold: number,
): Milestones {
  if (previous.memorized !== null && previous.grokked !== null && previous.collapsed !== null)
    return previous;
  const memorized = previous.memorized ?? stepsToMemorize(added, threshold);
  const grokked = previous.grokked ?? stepsToGrok(added, threshold);
  const collapsed = previous.collapsed ?? firstCollapse(added, memorized);
  return memorized === previous.memorized && grokked === previous.grokked && collapsed === previous.collapsed
    ? previous
    : { memorized, grokked, collapsed };
}
