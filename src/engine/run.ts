import type { Evaluation, Trainer } from './trainer';
import { nextEvaluationStep } from './schedule';
import { stepsToGrok } from './metrics/stepsToGrok';
import { divergenceReason } from './divergence';

export interface RunOptions {
  /** Train until this step (inclusive). */
  untilStep: number;
  onEvaluation?(evaluation: Evaluation, timing: { msPerStep: number; evaluationMs: number }): void;
}

export interface RunSummary {
  stepsToGrok: number | null;
  /** Why the loop ended. */
  stoppedBecause: 'budget' | 'grokked' | 'diverged';
}

/**
 * The headless training loop: steps, evaluates on the adaptive schedule, stops at the budget, a configured
 * number of steps after grokking, or on divergence (non-finite loss or weights). Always ends with an evaluation.
 */
export async function runTraining(trainer: Trainer, options: RunOptions): Promise<RunSummary> {
  const { training } = trainer.config;
  let stepMs = 0;
  let evaluationMs = 0;
  const spent = { trainingMs: 0, evaluationMs: 0 };
  let nextEvaluation =
    trainer.step === 0 ? 0 : nextEvaluationStep(trainer.step, training.evalEvery, { stepMs, evaluationMs });
  let sinceEvaluation = { steps: 0, ms: 0 };
  for (;;) {
    if (trainer.step >= nextEvaluation || trainer.step >= options.untilStep) {
      const started = performance.now();
      const evaluation = await trainer.evaluate();
      evaluationMs = performance.now() - started;
      spent.evaluationMs += evaluationMs;
      if (sinceEvaluation.steps > 0) stepMs = sinceEvaluation.ms / sinceEvaluation.steps;
      options.onEvaluation?.(evaluation, { msPerStep: stepMs, evaluationMs });
      sinceEvaluation = { steps: 0, ms: 0 };
      const { record } = evaluation;
      if (divergenceReason(record) !== null)
        return { stepsToGrok: grokStep(trainer), stoppedBecause: 'diverged' };
      const grokked = grokStep(trainer);
      const { stopAfterGrok } = trainer.config.training;
      if (grokked !== null && stopAfterGrok > 0 && trainer.step >= grokked + stopAfterGrok) {
        return { stepsToGrok: grokked, stoppedBecause: 'grokked' };
      }
      if (trainer.step >= options.untilStep) return { stepsToGrok: grokked, stoppedBecause: 'budget' };
      nextEvaluation = nextEvaluationStep(trainer.step, trainer.config.training.evalEvery, {
        stepMs,
        evaluationMs,
        spent,
      });
    }
    const started = performance.now();
    trainer.trainStep();
    const elapsed = performance.now() - started;
    spent.trainingMs += elapsed;
    sinceEvaluation = { steps: sinceEvaluation.steps + 1, ms: sinceEvaluation.ms + elapsed };
  }
}

function grokStep(trainer: Trainer): number | null {
  return stepsToGrok(trainer.history, trainer.config.training.grokThreshold);
}
