import { describe, expect, it } from 'vitest';
import {
  cellExamples,
  GRID_COLORS,
  gridAccuracy,
  gridPixels,
  gridSummary,
  type GridData,
} from './gridPixels';

/** (a + b) mod 3 without the pair (2, 2), examples in a shuffled order; every other example is training. */
function smallGrid(): GridData {
  const pairs: [number, number][] = [
    [1, 0],
    [0, 0],
    [2, 1],
    [0, 2],
    [1, 1],
    [2, 0],
    [0, 1],
    [1, 2],
  ];
  return {
    gridSize: 3,
    a: Int32Array.from(pairs, ([a]) => a),
    b: Int32Array.from(pairs, ([, b]) => b),
    targets: Int32Array.from(pairs, ([a, b]) => (a + b) % 3),
    isTrain: Uint8Array.from(pairs, (_, i) => (i % 2 === 0 ? 1 : 0)),
  };
}

function pixel(pixels: Uint8ClampedArray, p: number, a: number, b: number): number[] {
  const offset = (a * p + b) * 4;
  return Array.from(pixels.slice(offset, offset + 4));
}

describe('gridPixels', () => {
  it('colours each cell by split and correctness, at row a, column b', () => {
    const grid = smallGrid();
    const predictions = Int32Array.from(grid.targets);
    predictions[0] = 2; // (1, 0) train, wrong
    predictions[1] = 1; // (0, 0) test, wrong
    const pixels = gridPixels(grid, predictions);
    expect(pixels.length).toBe(3 * 3 * 4);
    expect(pixel(pixels, 3, 1, 0)).toEqual([...GRID_COLORS.trainWrong, 255]);
    expect(pixel(pixels, 3, 0, 0)).toEqual([...GRID_COLORS.testWrong, 255]);
    expect(pixel(pixels, 3, 2, 1)).toEqual([...GRID_COLORS.trainCorrect, 255]);
    expect(pixel(pixels, 3, 0, 2)).toEqual([...GRID_COLORS.testCorrect, 255]);
    expect(pixel(pixels, 3, 2, 2)).toEqual([...GRID_COLORS.empty, 255]);
  });

  it('draws pending cells before the first evaluation', () => {
    const grid = smallGrid();
    const pixels = gridPixels(grid, null);
    expect(pixel(pixels, 3, 1, 0)).toEqual([...GRID_COLORS.trainPending, 255]);
    expect(pixel(pixels, 3, 0, 0)).toEqual([...GRID_COLORS.testPending, 255]);
    // A predictions array of the wrong length (a stale batch from another run) is treated as none.
    expect(gridPixels(grid, new Int32Array(2))).toEqual(pixels);
  });

  it('reuses the output buffer when it fits', () => {
    const grid = smallGrid();
    const out = new Uint8ClampedArray(36);
    expect(gridPixels(grid, null, out)).toBe(out);
    expect(gridPixels(grid, null, new Uint8ClampedArray(5)).length).toBe(36);
  });

  it('keeps train and test distinguishable without hue: train colours are lighter', () => {
    const lightness = (c: readonly number[]): number => c[0] + c[1] + c[2];
    expect(lightness(GRID_COLORS.trainCorrect)).toBeGreaterThan(lightness(GRID_COLORS.testCorrect) + 150);
    expect(lightness(GRID_COLORS.trainWrong)).toBeGreaterThan(lightness(GRID_COLORS.testWrong) + 150);
  });

  it('rejects arrays that disagree', () => {
    const grid = { ...smallGrid(), b: new Int32Array(3) };
    expect(() => gridPixels(grid, null)).toThrow(RangeError);
  });
});

describe('grid accuracy and summary', () => {
  it('counts correct answers per split and summarizes them', () => {
    const grid = smallGrid();
    const predictions = Int32Array.from(grid.targets);
    predictions[1] = 1; // one of 4 test pairs wrong
    expect(gridAccuracy(grid, predictions)).toEqual({
      train: { correct: 4, total: 4 },
      test: { correct: 3, total: 4 },
    });
    expect(gridSummary(grid, predictions)).toBe(
      'Prediction grid, 3 × 3 pairs: test 75% correct (3 of 4), train 100% correct.',
    );
    expect(gridSummary(grid, null)).toBe('Prediction grid, 3 × 3 pairs: no predictions yet.');
  });

  it('maps cells back to examples', () => {
    const cells = cellExamples(smallGrid());
    expect(cells[1 * 3 + 0]).toBe(0);
    expect(cells[2 * 3 + 2]).toBe(-1);
  });
});
