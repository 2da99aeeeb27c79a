import { describe, expect, it } from 'vitest';
import { DrawBudget } from './drawBudget';

describe('DrawBudget', () => {
  it('redraws at the minimum interval while drawing is cheap', () => {
    const budget = new DrawBudget();
    expect(budget.interval()).toBe(200);
    budget.note(20);
    expect(budget.interval()).toBe(200);
  });

  it('backs off when drawing gets expensive, within bounds', () => {
    const budget = new DrawBudget();
    for (let i = 0; i < 20; i++) budget.note(150);
    expect(budget.interval()).toBeCloseTo(600, 0);
    for (let i = 0; i < 20; i++) budget.note(5000);
    expect(budget.interval()).toBe(2000);
    budget.note(Number.NaN);
    expect(budget.interval()).toBe(2000);
  });
});
