/**
 * When a step's run has done what the step waits for: memorized, grokked, a step, a test accuracy. Pure functions
 * of the lanes' milestones, steps and latest evaluations (the store pauses the lanes when one holds).
 */
import type { Condition } from './schema';

/** What a condition reads of a lane (the lab's Lane has these, and so does a headless run). */
export interface LaneProgress {
  step: number;
  milestones: { memorized: number | null; grokked: number | null };
  history: readonly { step: number; testAccuracy: number }[];
  /** The lane has stopped for good (finished after grokking, its budget, diverged): it holds up nothing. */
  stopped?: boolean;
}

/** Every lane still training holds `test`, and at least one lane does (a race whose fast lane has finished). */
function everyLive(lanes: readonly LaneProgress[], test: (lane: LaneProgress) => boolean): boolean {
  return lanes.some(test) && lanes.every((lane) => lane.stopped === true || test(lane));
}

/**
 * Whether the condition holds: memorized and step N in every lane (lanes that have stopped for good aside),
 * grokked and a test accuracy in any lane.
 */
export function conditionMet(condition: Condition, lanes: readonly LaneProgress[]): boolean {
  if (lanes.length === 0) return false;
  switch (condition.kind) {
    case 'memorized':
      return everyLive(lanes, (lane) => lane.milestones.memorized !== null);
    case 'grokked':
      return lanes.some((lane) => lane.milestones.grokked !== null);
    case 'step':
      return everyLive(lanes, (lane) => lane.step >= condition.step);
    case 'testAccuracy':
      return lanes.some((lane) => (lane.history.at(-1)?.testAccuracy ?? 0) >= condition.atLeast);
  }
}

/** "memorized (train accuracy at the threshold in every lane)", as the "waiting for" line says it. */
export function describeCondition(condition: Condition, laneCount = 1): string {
  const every = laneCount > 1 ? ' in every lane' : '';
  const any = laneCount > 1 ? ' in a lane' : '';
  switch (condition.kind) {
    case 'memorized':
      return `memorized (train accuracy at the threshold${every})`;
    case 'grokked':
      return `grokked (test accuracy at the threshold${any})`;
    case 'step':
      return `step ${condition.step.toLocaleString('en-US')}${every}`;
    case 'testAccuracy':
      return `test accuracy ≥ ${Math.round(condition.atLeast * 100)}%${any}`;
  }
}

/** The step at which a met condition was reached, for "memorized at step 480" (null when not known). */
export function conditionStep(condition: Condition, lanes: readonly LaneProgress[]): number | null {
  const steps = lanes.map((lane) =>
    condition.kind === 'memorized'
      ? lane.milestones.memorized
      : condition.kind === 'grokked'
        ? lane.milestones.grokked
        : condition.kind === 'testAccuracy'
          ? (lane.history.find((record) => record.testAccuracy >= condition.atLeast)?.step ?? null)
          : lane.step >= condition.step
            ? condition.step
            : null,
  );
  const known = steps.filter((step): step is number => step !== null);
  if (known.length === 0) return null;
  return condition.kind === 'memorized' || condition.kind === 'step'
    ? Math.max(...known)
    : Math.min(...known);
}
