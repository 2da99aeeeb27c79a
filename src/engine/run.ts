import type { Evaluation, Trainer } from './trainer';
import { nextEvaluationStep } from './schedule';
import { budgetReached, stopDecision, type StopDecision } from './stopRules';

export interface RunOptions {
  /** Train until this step (inclusive). */
  untilStep: number;
  onEvaluation?(evaluation: Evaluation, timing: { msPerStep: number; evaluationMs: number }): void;
}

/** What the loop uses of a Trainer (a fake in the tests that hold it to the session's stop rules). */
export type RunnableTrainer = Pick<Trainer, 'step' | 'config' | 'history' | 'evaluate' | 'trainStep'>;

export interface RunSummary {
  stepsToGrok: number | null;
  /** Why the loop ended (the rules in stopRules.ts). */
  stoppedBecause: NonNullable<StopDecision['stop']>;
}

/**
 * The headless training loop: steps, evaluates on the adaptive schedule, stops at the budget, a configured
 * number of steps after grokking, or on divergence (non-finite loss or weights): stopRules.ts, shared with the
 * worker's session. Always ends with an evaluation.
 */
export async function runTraining(trainer: RunnableTrainer, options: RunOptions): Promise<RunSummary> {
  const { training } = trainer.config;
  let stepMs = 0;
  let evaluationMs = 0;
  const spent = { trainingMs: 0, evaluationMs: 0 };
  let nextEvaluation =
    trainer.step === 0 ? 0 : nextEvaluationStep(trainer.step, training.evalEvery, { stepMs, evaluationMs });
  let sinceEvaluation = { steps: 0, ms: 0 };
  for (;;) {
    if (trainer.step >= nextEvaluation || budgetReached(trainer.step, options.untilStep)) {
      const started = performance.now();
      const evaluation = await trainer.evaluate();
      evaluationMs = performance.now() - started;
      spent.evaluationMs += evaluationMs;
      if (sinceEvaluation.steps > 0) stepMs = sinceEvaluation.ms / sinceEvaluation.steps;
      options.onEvaluation?.(evaluation, { msPerStep: stepMs, evaluationMs });
      sinceEvaluation = { steps: 0, ms: 0 };
      const decision = stopDecision({
        step: trainer.step,
        record: evaluation.record,
        history: trainer.history,
        training: trainer.config.training,
        budget: options.untilStep,
      });
      if (decision.stop !== null) return { stepsToGrok: decision.grokkedAt, stoppedBecause: decision.stop };
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
