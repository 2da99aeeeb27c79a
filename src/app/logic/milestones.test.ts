import { describe, expect, it } from 'vitest';
import { detectMilestones, extendMilestones, NO_MILESTONES } from './milestones';

const point = (step: number, trainAccuracy: number, testAccuracy: number) => ({
  step,
  trainAccuracy,
  testAccuracy,
});

describe('milestones', () => {
  const history = [point(0, 0.01, 0.01), point(410, 1, 0.05), point(5000, 1, 0.6), point(7340, 1, 0.995)];

  it('finds memorization and grokking at the threshold', () => {
    expect(detectMilestones(history, 0.99)).toEqual({ memorized: 410, grokked: 7340, collapsed: null });
    expect(detectMilestones(history, 0.5)).toEqual({ memorized: 410, grokked: 5000, collapsed: null });
  });

  it('extends incrementally and agrees with a full scan', () => {
    let milestones = NO_MILESTONES;
    for (const record of history) milestones = extendMilestones(milestones, [record], 0.99);
    expect(milestones).toEqual(detectMilestones(history, 0.99));
  });

  it('returns the same object when nothing changes', () => {
    const reached = { memorized: 410, grokked: null, collapsed: null };
    expect(extendMilestones(reached, [point(500, 1, 0.1)], 0.99)).toBe(reached);
  });
});

describe('collapse', () => {
  it('is a fall of training accuracy after memorization, not the slow start before it', () => {
    const history = [point(0, 0.02, 0.02), point(50, 1, 0.1), point(300, 0.04, 0.03)];
    expect(detectMilestones(history, 0.99)).toEqual({ memorized: 50, grokked: null, collapsed: 300 });
    let milestones = NO_MILESTONES;
    for (const record of history) milestones = extendMilestones(milestones, [record], 0.99);
    expect(milestones.collapsed).toBe(300);
  });
});
