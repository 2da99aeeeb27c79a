import { describe, expect, it } from 'vitest';
import type { StoredRun } from '../../lib/runStore';
import { metricRecord, storedRace, storedRun } from '../../lib/testRuns';
import { comparableRuns, comparisonRow, testAccuracyCurves } from './compare';

/** A saved run whose history has (step, train accuracy, test accuracy) points. */
function run(id: string, points: [number, number, number][], wallTimeMs = 1000): StoredRun {
  const history = points.map(([step, trainAccuracy, testAccuracy]) =>
    metricRecord(step, { trainAccuracy, testAccuracy }),
  );
  return storedRun(id, 0, { name: `run ${id}`, history, wallTimeMs });
}

describe('run comparison', () => {
  it('reads steps-to-memorize, steps-to-grok and wall time per run', () => {
    const grokked = run('a', [
      [0, 0.1, 0.01],
      [100, 1, 0.05],
      [900, 1, 0.995],
    ]);
    const creeping = run(
      'b',
      [
        [0, 0.1, 0.01],
        [300, 1, 0.2],
      ],
      2500,
    );
    expect(comparisonRow(grokked)).toMatchObject({ stepsToMemorize: 100, stepsToGrok: 900, lastStep: 900 });
    expect(comparisonRow(creeping)).toMatchObject({
      stepsToMemorize: 300,
      stepsToGrok: null,
      wallTimeMs: 2500,
      lastTestAccuracy: 0.2,
    });
  });

  it('draws step 0 at 1 on the log axis and keeps every run separate', () => {
    const curves = testAccuracyCurves([
      run('a', [
        [0, 0, 0.1],
        [10, 1, 0.5],
      ]),
      run('b', [[5, 1, 0.3]]),
    ]);
    expect(curves.map((curve) => curve.id)).toEqual(['a', 'b']);
    expect(curves[0].points).toEqual([
      { x: 1, y: 0.1 },
      { x: 10, y: 0.5 },
    ]);
  });

  it('compares every lane of a saved race, each by its own history and wall time', () => {
    const radial = run('radial', [
      [0, 0.1, 0.01],
      [3650, 1, 1],
    ]);
    const plain = run('plain', [
      [0, 0.1, 0.01],
      [5000, 1, 0.23],
    ]);
    const race = storedRace(radial, plain);
    const single = run('single', [[0, 0.1, 0.01]]);
    const runs = comparableRuns([race, single]);
    expect(runs.map((each) => [each.id, each.name])).toEqual([
      ['race#0', 'Race · radial vs plain · radial'],
      ['race#1', 'Race · radial vs plain · plain'],
      ['single', 'run single'],
    ]);
    expect(runs.map(comparisonRow).map((row) => [row.stepsToGrok, row.wallTimeMs])).toEqual([
      [3650, 41_000],
      [null, 60_000],
      [null, 1000],
    ]);
  });
});
