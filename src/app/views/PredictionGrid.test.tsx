// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GRID_COLORS } from './gridPixels';
import { PredictionGrid } from './PredictionGrid';

interface FakeImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** jsdom has no 2-D canvas; record what the component asks of one. */
let created: FakeImage[];
let drawn: FakeImage[];

beforeEach(() => {
  created = [];
  drawn = [];
  const context = {
    createImageData(width: number, height: number): FakeImage {
      const image = { width, height, data: new Uint8ClampedArray(width * height * 4) };
      created.push(image);
      return image;
    },
    putImageData(image: FakeImage) {
      drawn.push({ ...image, data: Uint8ClampedArray.from(image.data) });
    },
  };
  // getContext is overloaded per context type; the component asks only for '2d'.
  const getContext = (() => context) as unknown as HTMLCanvasElement['getContext'];
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(getContext);
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** All 4×4 pairs of (a + b) mod 4; the first 8 examples (a < 2) are training pairs. */
function grid() {
  const a = Int32Array.from({ length: 16 }, (_, i) => Math.floor(i / 4));
  const b = Int32Array.from({ length: 16 }, (_, i) => i % 4);
  return {
    gridSize: 4,
    a,
    b,
    targets: Int32Array.from(a, (x, i) => (x + b[i]) % 4),
    isTrain: Uint8Array.from(a, (x) => (x < 2 ? 1 : 0)),
  };
}

function pixel(image: FakeImage, a: number, b: number): number[] {
  const offset = (a * image.width + b) * 4;
  return Array.from(image.data.slice(offset, offset + 3));
}

describe('PredictionGrid', () => {
  it('draws one pixel per pair and summarizes test accuracy in its label', () => {
    const data = grid();
    const predictions = Int32Array.from(data.targets);
    predictions[15] = 0; // (3, 3): a test pair answered wrong → 7 of 8 test pairs right
    render(<PredictionGrid {...data} predictions={predictions} />);
    const canvas = screen.getByRole('img');
    expect(canvas.getAttribute('aria-label')).toBe(
      'Prediction grid, 4 × 4 pairs: test 87% correct (7 of 8), train 100% correct.',
    );
    expect(canvas.getAttribute('width')).toBe('4');
    expect((canvas as HTMLCanvasElement).style.imageRendering).toBe('pixelated');
    expect(drawn).toHaveLength(1);
    expect(pixel(drawn[0], 3, 3)).toEqual([...GRID_COLORS.testWrong]);
    expect(pixel(drawn[0], 0, 0)).toEqual([...GRID_COLORS.trainCorrect]);
    expect(screen.getByRole('list', { name: 'legend' }).textContent).toMatch(/test pair, correct/);
  });

  it('redraws into the same ImageData when new predictions arrive', () => {
    const data = grid();
    const { rerender } = render(<PredictionGrid {...data} predictions={null} />);
    expect(screen.getByRole('img').getAttribute('aria-label')).toMatch(/no predictions yet/);
    rerender(<PredictionGrid {...data} predictions={Int32Array.from(data.targets)} />);
    rerender(<PredictionGrid {...data} predictions={new Int32Array(16)} />);
    expect(drawn).toHaveLength(3);
    expect(created).toHaveLength(1);
    expect(pixel(drawn[1], 3, 3)).toEqual([...GRID_COLORS.testCorrect]);
    expect(screen.getByRole('img').getAttribute('aria-label')).toMatch(/test 25% correct/);
  });

  it('names the pair under the pointer', () => {
    const data = grid();
    render(<PredictionGrid {...data} predictions={Int32Array.from(data.targets)} size={400} />);
    const canvas = screen.getByRole('img');
    vi.spyOn(canvas, 'getBoundingClientRect').mockReturnValue({
      left: 0,
      top: 0,
      width: 400,
      height: 400,
      right: 400,
      bottom: 400,
      x: 0,
      y: 0,
      toJSON: () => ({}),
    });
    fireEvent.mouseMove(canvas, { clientX: 350, clientY: 250 }); // column 3, row 2
    expect(screen.getByText('a = 2, b = 3 (test pair): answer 1, model says 1 ✓')).toBeTruthy();
    fireEvent.mouseLeave(canvas);
    expect(screen.queryByText(/a = 2, b = 3/)).toBeNull();
  });
});
