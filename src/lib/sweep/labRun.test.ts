import { describe, expect, it } from 'vitest';
import {
  cellStates,
  cellsToStart,
  clampConcurrency,
  defaultConcurrency,
  labCellOutcome,
  pointProgress,
  remainingCells,
} from './labRun';
import { smallSweep } from './testSweep';

const cells = ['a', 'b', 'c', 'd'].map((id) => ({ id }));

describe('cellsToStart', () => {
  it('fills the free slots with queued cells in the sweep order', () => {
    expect(cellsToStart(cells, new Set(), new Set(), 2)).toEqual(['a', 'b']);
    expect(cellsToStart(cells, new Set(['a']), new Set(['b']), 2)).toEqual(['c']);
    expect(cellsToStart(cells, new Set(['a']), new Set(['b', 'c']), 2)).toEqual([]);
    expect(cellsToStart(cells, new Set(['a', 'b', 'c', 'd']), new Set(), 4)).toEqual([]);
  });

  it('never starts one run twice (two cells with the same resolved config)', () => {
    expect(cellsToStart([{ id: 'a' }, { id: 'a' }, { id: 'b' }], new Set(), new Set(), 3)).toEqual([
      'a',
      'b',
    ]);
  });

  it('treats a lowered concurrency as no free slot until enough runs end', () => {
    expect(cellsToStart(cells, new Set(), new Set(['a', 'b']), 1)).toEqual([]);
  });
});

describe('concurrency', () => {
  it('defaults to every core, or every core but one for the page, never below one', () => {
    expect(defaultConcurrency(2, false)).toBe(2);
    expect(defaultConcurrency(2, true)).toBe(1);
    expect(defaultConcurrency(1, true)).toBe(1);
    expect(defaultConcurrency(undefined, false)).toBe(1);
    expect(defaultConcurrency(16, true)).toBe(15);
  });

  it('clamps a typed value to 1 … cores', () => {
    expect(clampConcurrency(0, 4)).toBe(1);
    expect(clampConcurrency(9, 4)).toBe(4);
    expect(clampConcurrency(2.6, 4)).toBe(3);
    expect(clampConcurrency(Number.NaN, 4)).toBeNull();
  });
});

describe('labCellOutcome', () => {
  const training = { training: { grokThreshold: 0.99, stopAfterGrok: 100 } } as never;
  const point = (step: number, testAccuracy: number) => ({
    step,
    testAccuracy,
    trainAccuracy: 1,
    trainingMs: step * 2,
  });

  it('reads steps-to-grok and a grokked stop like the headless loop', () => {
    const history = [point(0, 0.1), point(50, 0.5), point(100, 0.995), point(150, 1), point(200, 1)];
    expect(labCellOutcome('x', training, history, 'finished', 1234)).toEqual({
      id: 'x',
      stepsToGrok: 100,
      stoppedBecause: 'grokked',
      finalStep: 200,
      finalTestAccuracy: 1,
      wallMs: 1234,
      cpuMs: null,
      msPerStep: 2,
    });
  });

  it('says budget when the run ended before grok + stopAfterGrok, and diverged when the worker said so', () => {
    const late = [point(0, 0.1), point(950, 0.995), point(1000, 0.996)];
    expect(labCellOutcome('x', training, late, 'finished', 1)).toMatchObject({
      stepsToGrok: 950,
      stoppedBecause: 'budget',
    });
    const never = [point(0, 0.1), point(1000, 0.4)];
    expect(labCellOutcome('x', training, never, 'finished', 1)).toMatchObject({
      stepsToGrok: null,
      stoppedBecause: 'budget',
      finalTestAccuracy: 0.4,
    });
    expect(labCellOutcome('x', training, never, 'diverged', 1).stoppedBecause).toBe('diverged');
  });
});

describe('progress and counts', () => {
  it('keys running cells by their point, the furthest seed first', () => {
    const sweep = smallSweep([0, 1]);
    const [first] = sweep.cells;
    const twin = sweep.cells.find((cell) => cell.seed === 1 && cell.xIndex === 0 && cell.yIndex === 0)!;
    expect(
      pointProgress(sweep.cells, {
        [first.id]: { step: 100, testAccuracy: 0.2 },
        [twin.id]: { step: 300, testAccuracy: 0.6 },
      }),
    ).toEqual({ '0,0': { step: 300, testAccuracy: 0.6 } });
  });

  it('counts queued, running and done runs', () => {
    expect(cellStates(cells, new Set(['a']), new Set(['b']))).toEqual({ queued: 2, running: 1, done: 1 });
    expect(remainingCells(cells, new Set(['a']))).toBe(3);
  });
});
