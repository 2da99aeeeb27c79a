import { describe, expect, it } from 'vitest';
import { nextEvaluationStep } from './schedule';

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
});
