import { describe, expect, it } from 'vitest';
import {
  excludedRising,
  forecastMarkdown,
  forecastRuns,
  formatFire,
  restrictedBelow,
  spearman,
  summarize,
  testAccuracyAbove,
} from './progressForecast';
import { grokking, point, result } from './progressFixtures';

describe('forecast rules', () => {
  it('restricted loss below X: the first evaluation under X', () => {
    expect(restrictedBelow(2).fires(grokking())).toBe(300);
    expect(restrictedBelow(0).fires(grokking())).toBeNull(); // it reaches 0 at step 600, never below
  });

  it('restricted loss below X with structure: skips evaluations whose keys hold too little of the waves', () => {
    const history = grokking().map((p) =>
      p.step < 400 ? { ...p, progress: { ...p.progress!, keyShare: 0.1 } } : p,
    );
    expect(restrictedBelow(2, 0.5).fires(history)).toBe(400);
  });

  it('excluded loss rising: relative to its minimum after memorization', () => {
    // Minimum 0.1 at step 300; 0.2 at 400 (×2), 0.4 at 500 (×4).
    expect(excludedRising(1.5).fires(grokking())).toBe(400);
    expect(excludedRising(3).fires(grokking())).toBe(500);
    // Before memorization nothing counts: a rise from step 0 to 100 of an unmemorized run is not the signal.
    const unmemorized = grokking().map((p) => ({ ...p, trainAccuracy: 0.5 }));
    expect(excludedRising(1.5).fires(unmemorized)).toBeNull();
  });

  it('test accuracy baseline', () => {
    expect(testAccuracyAbove(0.5).fires(grokking())).toBe(500);
  });
});

describe('spearman', () => {
  it('is 1 for a monotone relation, −1 reversed, averages ties, NaN when undefined', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 25, 1000])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    // Ranks x: 1, 2.5, 2.5, 4 against y: 1, 2, 3, 4 → 0.9487 (= 4.5 / √(4.5 · 5)).
    expect(spearman([1, 5, 5, 9], [1, 2, 3, 4])).toBeCloseTo(4.5 / Math.sqrt(4.5 * 5), 12);
    expect(spearman([1, 2], [1, 2])).toBeNaN();
    expect(spearman([7, 7, 7], [1, 2, 3])).toBeNaN();
  });
});

describe('forecast table', () => {
  const rules = [restrictedBelow(2), excludedRising(1.5)];
  const runs = forecastRuns(
    [
      result('a', 'radial', 1, 600, grokking()),
      result('b', 'radial', 0, 600, grokking()),
      // Never grokks; restricted loss falls anyway (a false alarm), excluded never rises.
      result(
        'c',
        'baseline',
        0,
        null,
        grokking().map((p) => ({ ...p, testAccuracy: 0.1, progress: { ...p.progress!, excludedLoss: 0.1 } })),
      ),
      // No progress measures (an older result): left out.
      result('d', 'baseline', 1, 600, [point(0, 0, 0)]),
    ],
    rules,
  );

  it('keeps runs with measures, sorted by method and seed', () => {
    expect(runs.map((run) => run.id)).toEqual(['c', 'b', 'a']);
    expect(runs[1].fired).toEqual({ 'restricted<2': 300, 'excluded×1.5': 400 });
  });

  it('summarizes leads before t99 and false alarms', () => {
    const [restricted, excluded] = summarize(runs, rules);
    expect(restricted).toMatchObject({
      grokked: 2,
      early: 2,
      leads: [300, 300],
      neverGrokked: 1,
      falseAlarms: 1,
    });
    expect(restricted.leadFractions).toEqual([0.5, 0.5]);
    expect(excluded).toMatchObject({ early: 2, leads: [200, 200], falseAlarms: 0 });
  });

  it('formats fire steps relative to t99', () => {
    expect(formatFire(300, 600)).toBe('300 (−300)');
    expect(formatFire(700, 600)).toBe('700 (+100)');
    expect(formatFire(null, 600)).toBe('never');
    expect(formatFire(300, null)).toBe('300');
    const table = forecastMarkdown(runs, rules);
    expect(table).toContain('| mlp31-add baseline s0 | > 1 000 (budget) | 100 | 300 | never |');
    expect(table).toContain('| restricted < 2 | 2/2 | 300 | 50% | 300 | — | 1/1 |');
  });
});
