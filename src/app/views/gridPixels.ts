/**
 * The prediction grid as pixels: one pixel per pair (row a, column b), coloured by whether the model's answer
 * is right, drawn dim for training pairs and full for test pairs. Okabe–Ito blue/vermillion stay distinct
 * under the common colour-vision deficiencies, and train/test differ in lightness, not hue.
 */

export interface GridData {
  /** p: the grid is p×p. */
  gridSize: number;
  /** Row (a) and column (b) of each example. */
  a: Int32Array;
  b: Int32Array;
  /** The correct answer of each example (first answer position). */
  targets: Int32Array;
  /** 1 where the example is a training pair. */
  isTrain: Uint8Array;
}

type Rgb = readonly [number, number, number];

const CORRECT: Rgb = [0, 114, 178]; // Okabe–Ito blue
const WRONG: Rgb = [213, 94, 0]; // Okabe–Ito vermillion

function dim(color: Rgb, amount = 0.4): Rgb {
  return color.map((c) => Math.round(c * amount + 255 * (1 - amount))) as unknown as Rgb;
}

export const GRID_COLORS = {
  testCorrect: CORRECT,
  testWrong: WRONG,
  trainCorrect: dim(CORRECT),
  trainWrong: dim(WRONG),
  /** Before the first evaluation. */
  testPending: [140, 140, 140] as Rgb,
  trainPending: [215, 215, 215] as Rgb,
  /** Pairs that are not in the dataset (e.g. b = 0 for division). */
  empty: [250, 250, 250] as Rgb,
} as const;

export type GridColorName = keyof typeof GRID_COLORS;

export function rgbCss(color: Rgb): string {
  return `rgb(${color[0]}, ${color[1]}, ${color[2]})`;
}

function checkGrid(grid: GridData): void {
  const n = grid.isTrain.length;
  if (grid.a.length !== n || grid.b.length !== n || grid.targets.length < n) {
    throw new RangeError(
      `grid arrays disagree: ${grid.a.length} a, ${grid.b.length} b, ${grid.targets.length} targets, ${n} flags`,
    );
  }
}

/**
 * RGBA bytes of the p×p grid, row-major (row a, column b). Writes into `out` when it is given and the right
 * size (e.g. an ImageData's data, so a redraw allocates nothing), else into a new array.
 */
export function gridPixels(
  grid: GridData,
  predictions: Int32Array | null,
  out?: Uint8ClampedArray,
): Uint8ClampedArray {
  checkGrid(grid);
  const p = grid.gridSize;
  const pixels = out && out.length === p * p * 4 ? out : new Uint8ClampedArray(p * p * 4);
  const { empty } = GRID_COLORS;
  for (let i = 0; i < p * p; i++) {
    pixels[i * 4] = empty[0];
    pixels[i * 4 + 1] = empty[1];
    pixels[i * 4 + 2] = empty[2];
    pixels[i * 4 + 3] = 255;
  }
  const usable = predictions !== null && predictions.length >= grid.isTrain.length;
  for (let example = 0; example < grid.isTrain.length; example++) {
    const a = grid.a[example];
    const b = grid.b[example];
    if (a < 0 || a >= p || b < 0 || b >= p) continue;
    const train = grid.isTrain[example] === 1;
    let color: Rgb;
    if (!usable) color = train ? GRID_COLORS.trainPending : GRID_COLORS.testPending;
    else if (predictions[example] === grid.targets[example])
      color = train ? GRID_COLORS.trainCorrect : GRID_COLORS.testCorrect;
    else color = train ? GRID_COLORS.trainWrong : GRID_COLORS.testWrong;
    const offset = (a * p + b) * 4;
    pixels[offset] = color[0];
    pixels[offset + 1] = color[1];
    pixels[offset + 2] = color[2];
  }
  return pixels;
}

export interface SplitCount {
  correct: number;
  total: number;
}

/** Correct answers on the training and test pairs (totals only, when there are no predictions yet). */
export function gridAccuracy(
  grid: GridData,
  predictions: Int32Array | null,
): { train: SplitCount; test: SplitCount } {
  const train = { correct: 0, total: 0 };
  const test = { correct: 0, total: 0 };
  const usable = predictions !== null && predictions.length >= grid.isTrain.length;
  for (let example = 0; example < grid.isTrain.length; example++) {
    const split = grid.isTrain[example] === 1 ? train : test;
    split.total++;
    if (usable && predictions[example] === grid.targets[example]) split.correct++;
  }
  return { train, test };
}

/** For each cell (a·p + b), the example drawn there, or −1. */
export function cellExamples(grid: GridData): Int32Array {
  const p = grid.gridSize;
  const cells = new Int32Array(p * p).fill(-1);
  for (let example = 0; example < grid.a.length; example++) {
    const a = grid.a[example];
    const b = grid.b[example];
    if (a >= 0 && a < p && b >= 0 && b < p) cells[a * p + b] = example;
  }
  return cells;
}

function percent(count: SplitCount): string {
  return count.total === 0 ? 'n/a' : `${Math.floor((100 * count.correct) / count.total)}%`;
}

/** "Prediction grid, 97 × 97 pairs: test 83% correct (5 491 of 6 586), train 100% correct." */
export function gridSummary(grid: GridData, predictions: Int32Array | null): string {
  const p = grid.gridSize;
  if (predictions === null) return `Prediction grid, ${p} × ${p} pairs: no predictions yet.`;
  const { train, test } = gridAccuracy(grid, predictions);
  return (
    `Prediction grid, ${p} × ${p} pairs: test ${percent(test)} correct (${test.correct} of ${test.total}), ` +
    `train ${percent(train)} correct.`
  );
}
