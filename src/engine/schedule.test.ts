import { describe, expect, it } from 'vitest';
import { affordableInterval, EVALUATION_BUDGET, nextEvaluationStep } from './schedule';

describe('evaluation schedule', () => {
  it('uses fixed intervals when configured', () => {
    expect(nextEvaluationStep(0, 100, { stepMs: 1, evaluationMs: 1000 })).toBe(100);
    expect(nextEvaluationStep(250, 100, { stepMs: 1, evaluationMs: 1000 })).toBe(300);
  });

  it('adapts: dense early, log-spaced later, bounded by the cost budget and a maximum interval', () => {
    expect(nextEvaluationStep(0, 0, { stepMs: 0, evaluationMs: 0 })).toBe(1);
    expect(nextEvaluationStep(800, 0, { stepMs: 10, evaluationMs: 1 })).toBe(900);
    // Evaluation costs 20 steps' time: at most 10% → every 200 steps.
    expect(nextEvaluationStep(10, 0, { stepMs: 10, evaluationMs: 200 })).toBe(210);
    expect(nextEvaluationStep(100_000, 0, { stepMs: 10, evaluationMs: 1 })).toBe(100_500);
  });

  it('pays back evaluations made before the step cost was known', () => {
    // Three evaluations (60 ms) over 20 ms of training: the next waits until training covers 10× all four.
    const costs = { stepMs: 2, evaluationMs: 20, spent: { trainingMs: 20, evaluationMs: 60 } };
    expect(affordableInterval(costs)).toBe((800 - 20) / 2);
    // Within budget already: the local rule alone.
    expect(affordableInterval({ ...costs, spent: { trainingMs: 10_000, evaluationMs: 60 } })).toBe(100);
  });

  it('keeps the evaluation share within budget over the first 300 steps and over a long run', () => {
    // Replay with an evaluation costing 2.6 steps (the mlp preset's measured ratio) at three step costs.
    for (const stepMs of [0.5, 7, 300]) {
      for (const steps of [300, 5000]) {
        const evaluationMs = 2.6 * stepMs;
        let step = 0;
        let training = 0;
        let evaluation = 0;
        while (step < steps) {
          evaluation += evaluationMs;
          const next = nextEvaluationStep(step, 0, {
            stepMs: step === 0 ? 0 : stepMs, // unknown before the first step
            evaluationMs,
            spent: { trainingMs: training, evaluationMs: evaluation },
          });
          training += (Math.min(next, steps) - step) * stepMs;
          step = next;
        }
        expect(evaluation / training).toBeLessThanOrEqual(EVALUATION_BUDGET);
      }
    }
  });
});
