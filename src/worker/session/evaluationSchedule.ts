import { nextEvaluationStep } from '../../engine/schedule';
import { budgetReached } from '../../engine/stopRules';

/** Upper bound on steps per chunk, whatever the estimate says (keeps a mis-estimate from blocking for long). */
export const MAX_CHUNK_STEPS = 5000;

/**
 * When the session evaluates next, and how many steps fit in a chunk: the adaptive schedule of
 * engine/schedule.ts fed with the costs measured in this run (time per step, per evaluation, and their totals
 * since the trainer was (re)built, so the evaluation budget holds over the whole run).
 */
export class EvaluationSchedule {
  /** The step of the next evaluation. */
  next = 0;
  /** The step evaluated last; -1: none since the trainer was (re)built. */
  lastEvaluated = -1;
  private stepMs = 0;
  private evaluationMs = 0;
  private spent = { trainingMs: 0, evaluationMs: 0 };
  private warmedUp = false;

  /**
   * A (re)built or rewound trainer whose history ends at `lastStep` (undefined: no evaluation yet): costs are
   * measured anew, and the next evaluation follows the last one (or comes at once).
   */
  restart(lastStep: number | undefined, evalEvery: number): void {
    this.lastEvaluated = lastStep ?? -1;
    this.stepMs = 0;
    this.evaluationMs = 0;
    this.spent = { trainingMs: 0, evaluationMs: 0 };
    this.warmedUp = false;
    this.next = lastStep === undefined ? 0 : this.after(lastStep, evalEvery);
  }

  /** training.* changed (evalEvery): the next evaluation follows the last one on the new schedule. */
  reschedule(step: number, evalEvery: number): void {
    this.next = this.lastEvaluated < 0 ? step : this.after(this.lastEvaluated, evalEvery);
  }

  /** Evaluate now: the schedule says so, or the run is at its target and that step is not evaluated yet. */
  due(step: number, target: number): boolean {
    return step >= this.next || (budgetReached(step, target) && this.lastEvaluated !== step);
  }

  /** Steps to train in the next chunk: up to the next evaluation or the target, about `chunkMs` of work. */
  chunkSteps(step: number, target: number, chunkMs: number): number {
    const room = Math.min(target, this.next) - step;
    const fits = this.stepMs > 0 ? Math.floor(chunkMs / this.stepMs) : 1;
    return Math.max(1, Math.min(room, fits, MAX_CHUNK_STEPS));
  }

  /** A chunk of `steps` steps took `elapsedMs`: updates the time-per-step estimate. */
  recordChunk(steps: number, elapsedMs: number): void {
    this.spent.trainingMs += elapsedMs;
    const perStep = elapsedMs / steps;
    if (!this.warmedUp) {
      // The first chunk after (re)building a trainer pays shader compilation and allocation: not typical.
      this.warmedUp = true;
      if (this.stepMs === 0) this.stepMs = perStep;
    } else {
      this.stepMs = this.stepMs === 0 ? perStep : 0.6 * this.stepMs + 0.4 * perStep;
    }
  }

  /** `step` was evaluated (its cost is recorded by `evaluated` unless the run stops there). */
  markEvaluated(step: number): void {
    this.lastEvaluated = step;
  }

  /** The evaluation at `step` took `ms` in all: schedules the next one. */
  evaluated(step: number, ms: number, evalEvery: number): void {
    this.evaluationMs = ms;
    this.spent.evaluationMs += ms;
    this.next = this.after(step, evalEvery);
  }

  /** The measured time per step (0: not measured yet). */
  get msPerStep(): number {
    return this.stepMs;
  }

  private after(step: number, evalEvery: number): number {
    return nextEvaluationStep(step, evalEvery, {
      stepMs: this.stepMs,
      evaluationMs: this.evaluationMs,
      spent: this.spent,
    });
  }
}
