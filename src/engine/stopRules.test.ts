import { describe, expect, it } from 'vitest';
import { budgetReached, budgetMessage, grokStopMessage, stopDecision, type StopInput } from './stopRules';

const FINITE = { trainLoss: 0.5, weightNorm: 40 };

/** Test accuracy climbing to 1 at step 300 (≥ 0.99 first at step 300), evaluated every 100 steps. */
const HISTORY = [0, 100, 200, 300, 400].map((step) => ({
  step,
  trainAccuracy: 1,
  testAccuracy: Math.min(1, step / 300),
}));

function at(step: number, overrides: Partial<StopInput> = {}): StopInput {
  return {
    step,
    record: FINITE,
    history: HISTORY.filter((point) => point.step <= step),
    training: { grokThreshold: 0.99, stopAfterGrok: 100 },
    budget: 1000,
    ...overrides,
  };
}

describe('stop rules', () => {
  it('keeps going while nothing has happened, and says when the run grokked', () => {
    expect(stopDecision(at(200))).toEqual({ stop: null, grokkedAt: null });
    expect(stopDecision(at(300))).toEqual({ stop: null, grokkedAt: 300 });
  });

  it('stops stopAfterGrok steps after grokking, not before', () => {
    expect(stopDecision(at(400))).toEqual({ stop: 'grokked', grokkedAt: 300, stopAfterGrok: 100 });
    expect(stopDecision(at(399, { history: HISTORY.slice(0, 4) })).stop).toBeNull();
  });

  it('never stops on grokking with stopAfterGrok 0', () => {
    expect(stopDecision(at(400, { training: { grokThreshold: 0.99, stopAfterGrok: 0 } }))).toEqual({
      stop: null,
      grokkedAt: 300,
    });
  });

  it('reads grokking at the configured threshold', () => {
    // 200/300 ≈ 0.67 reaches a 0.6 threshold at step 200: 100 steps later is step 300.
    expect(stopDecision(at(300, { training: { grokThreshold: 0.6, stopAfterGrok: 100 } }))).toMatchObject({
      stop: 'grokked',
      grokkedAt: 200,
    });
  });

  it('stops at the budget, inclusive', () => {
    expect(budgetReached(999, 1000)).toBe(false);
    expect(budgetReached(1000, 1000)).toBe(true);
    expect(stopDecision(at(200, { budget: 200 }))).toEqual({ stop: 'budget', grokkedAt: null });
    expect(stopDecision(at(199, { budget: 200, history: HISTORY.slice(0, 2) })).stop).toBeNull();
  });

  it('divergence comes first: a non-finite loss or weight norm stops even a grokked run at its budget', () => {
    const diverged = stopDecision(
      at(400, { record: { trainLoss: Number.NaN, weightNorm: 40 }, budget: 400 }),
    );
    expect(diverged).toEqual({ stop: 'diverged', reason: 'the training loss is NaN', grokkedAt: 300 });
    expect(
      stopDecision(at(100, { record: { trainLoss: 1, weightNorm: Number.POSITIVE_INFINITY } })),
    ).toMatchObject({ stop: 'diverged', reason: 'the weight norm is Infinity' });
  });

  it('grokking comes before the budget when both hold', () => {
    expect(stopDecision(at(400, { budget: 400 })).stop).toBe('grokked');
  });

  it('words the stops the page shows', () => {
    expect(grokStopMessage({ grokkedAt: 300, stopAfterGrok: 100 })).toBe(
      'Grokked at step 300; stopped 100 steps later (training.stopAfterGrok).',
    );
    expect(budgetMessage(20_000)).toBe('Reached training.maxSteps (20000); raise it to keep training.');
  });
});
