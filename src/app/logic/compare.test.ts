import { describe, expect, it } from 'vitest';
import type { StoredRun } from '../../lib/runStore';
import { metricRecord, storedRace, storedRun } from '../../lib/testRuns';
import { compareChart, comparableRuns, comparisonRow } from './compare';

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

  it('draws each run as its own line, reading its own records at the merged steps', () => {
    const a = run('a', [
      [0, 0, 0.1],
      [10, 1, 0.5],
    ]);
    const b = run('b', [
      [5, 1, 0.3],
      [10, 1, 0.7],
    ]);
    const { spec, history } = compareChart([
      { name: a.name, color: '#0072b2', history: a.history },
      { name: b.name, color: '#d55e00', history: b.history },
    ]);
    expect(spec).toMatchObject({ format: 'percent', yDomain: [0, 1], title: 'Test accuracy' });
    expect(spec.series.map((series) => [series.label, series.color])).toEqual([
      ['run a', '#0072b2'],
      ['run b', '#d55e00'],
    ]);
    expect(history.map((record) => record.step)).toEqual([0, 5, 10]);
    expect(history.map((record) => spec.series.map((series) => series.value(record) ?? null))).toEqual([
      [0.1, null],
      [null, 0.3],
      [0.5, 0.7],
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
