import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import {
  cellExamples,
  GRID_COLORS,
  gridPixels,
  gridSummary,
  rgbCss,
  type GridColorName,
  type GridData,
} from './gridPixels';

export interface PredictionGridProps extends GridData {
  /** The latest predicted class per example, or null before the first evaluation. */
  predictions: Int32Array | null;
  /** Displayed width and height, CSS pixels. Default 320. */
  size?: number;
}

const LEGEND: { color: GridColorName; label: string }[] = [
  { color: 'testCorrect', label: 'test pair, correct' },
  { color: 'testWrong', label: 'test pair, wrong' },
  { color: 'trainCorrect', label: 'training pair, correct' },
  { color: 'trainWrong', label: 'training pair, wrong' },
  { color: 'empty', label: 'not in the table' },
];

interface Hover {
  a: number;
  b: number;
  example: number;
}

/**
 * The model's answer on every pair (row a, column b) as a p×p image: one ImageData pixel per pair, scaled up
 * by CSS with `image-rendering: pixelated`, redrawn with a single putImageData per predictions array.
 */
export function PredictionGrid({
  gridSize,
  a,
  b,
  targets,
  isTrain,
  predictions,
  size = 320,
}: PredictionGridProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const imageRef = useRef<ImageData | null>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const grid = useMemo<GridData>(
    () => ({ gridSize, a, b, targets, isTrain }),
    [gridSize, a, b, targets, isTrain],
  );
  const cells = useMemo(() => cellExamples(grid), [grid]);
  const summary = useMemo(() => gridSummary(grid, predictions), [grid, predictions]);

  useEffect(() => {
    const context = canvasRef.current?.getContext('2d');
    if (!context) return;
    let image = imageRef.current;
    if (!image || image.width !== gridSize) {
      image = context.createImageData(gridSize, gridSize);
      imageRef.current = image;
    }
    gridPixels(grid, predictions, image.data);
    context.putImageData(image, 0, 0);
  }, [grid, gridSize, predictions]);

  const onMove = (event: MouseEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return;
    const column = Math.floor(((event.clientX - box.left) / box.width) * gridSize);
    const row = Math.floor(((event.clientY - box.top) / box.height) * gridSize);
    if (row < 0 || row >= gridSize || column < 0 || column >= gridSize) return setHover(null);
    setHover({ a: row, b: column, example: cells[row * gridSize + column] });
  };

  return (
    <figure className="prediction-grid" style={{ margin: 0 }}>
      <div style={{ display: 'flex', alignItems: 'flex-start', gap: 4 }}>
        <span
          aria-hidden="true"
          style={{ fontSize: 12, paddingTop: 16, textAlign: 'center', lineHeight: 1.1 }}
        >
          a<br />↓
        </span>
        <div>
          <div aria-hidden="true" style={{ fontSize: 12 }}>
            b →
          </div>
          <canvas
            ref={canvasRef}
            width={gridSize}
            height={gridSize}
            role="img"
            aria-label={summary}
            onMouseMove={onMove}
            onMouseLeave={() => setHover(null)}
            style={{
              width: size,
              height: size,
              imageRendering: 'pixelated',
              display: 'block',
              cursor: 'crosshair',
            }}
          />
        </div>
      </div>
      <figcaption>
        <p aria-live="polite" style={{ margin: '4px 0', fontSize: 13, minHeight: '1.3em' }}>
          {hover ? describeCell(hover, grid, predictions) : summary}
        </p>
        <ul
          aria-label="legend"
          style={{
            listStyle: 'none',
            padding: 0,
            margin: 0,
            display: 'flex',
            flexWrap: 'wrap',
            gap: 12,
            fontSize: 12,
          }}
        >
          {LEGEND.map(({ color, label }) => (
            <li key={color} style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
              <span
                aria-hidden="true"
                style={{
                  width: 12,
                  height: 12,
                  display: 'inline-block',
                  background: rgbCss(GRID_COLORS[color]),
                  border: '1px solid #999',
                }}
              />
              {label}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

function describeCell(hover: Hover, grid: GridData, predictions: Int32Array | null): string {
  const { a, b, example } = hover;
  if (example < 0) return `a = ${a}, b = ${b}: not in the table`;
  const split = grid.isTrain[example] === 1 ? 'training pair' : 'test pair';
  const answer = grid.targets[example];
  if (!predictions || predictions.length < grid.isTrain.length)
    return `a = ${a}, b = ${b} (${split}): answer ${answer}`;
  const said = predictions[example];
  return `a = ${a}, b = ${b} (${split}): answer ${answer}, model says ${said} ${said === answer ? '✓' : '✗'}`;
}
