import { useMemo, useRef } from 'react';
import { useElementSize } from '../hooks/useElementSize';
import { axisScale, linearTicks, tickStep } from '../logic/chartLayout';
import { concentration, fourierSpectrum, topFrequencies, type EmbeddingTable } from '../../lib/fourier';
import { GRID_COLORS, rgbCss } from './gridPixels';
import { NoEmbedding } from './NoEmbedding';

export interface FourierSpectrumProps {
  /** The token-embedding table [vocab, dim]; rows 0..p−1 are the numbers. Null before the first batch. */
  embedding: EmbeddingTable | null;
  /** The modulus: how many rows are numbers. */
  p: number;
  /** How many of the strongest frequencies to mark as key frequencies. Default 5. */
  keyCount?: number;
  /** The chart's width at most; it narrows to its container (a phone). */
  width?: number;
  height?: number;
}

interface Row {
  k: number;
  key: number;
  other: number;
}

function percent(value: number): string {
  return `${(100 * value).toFixed(value < 0.1 ? 1 : 0)}%`;
}

const KEY_COLOR = rgbCss(GRID_COLORS.testWrong);
const OTHER_COLOR = rgbCss(GRID_COLORS.testCorrect);
/** Room for the legend above the plot, the y axis' labels on its left and the x axis (ticks and title) below. */
const PAD = { top: 24, right: 6, bottom: 34, left: 44 };

/**
 * The spectrum as plain SVG: a bar per frequency (key frequencies in vermillion), a percent axis, a hover title
 * per bar. The embedding streams several times a second, so a redraw is a few dozen rectangles, nothing more.
 */
function SpectrumBars({ rows, width, height }: { rows: readonly Row[]; width: number; height: number }) {
  const plotWidth = Math.max(0, width - PAD.left - PAD.right);
  const bottom = height - PAD.bottom;
  let highest = 0;
  for (const row of rows) highest = Math.max(highest, row.key + row.other);
  const step = tickStep(0, highest || 1, 4);
  const top = Math.max(step, Math.ceil((highest || 1) / step - 1e-9) * step);
  const y = axisScale('linear', [0, top], [bottom, PAD.top]);
  const slot = rows.length > 0 ? plotWidth / rows.length : 0;
  const barWidth = Math.max(1, slot - 1);
  // Label every frequency while they fit, else every 2nd, 5th, … (about 20 px per label).
  const labelEvery = [1, 2, 5, 10, 20].find((every) => slot * every >= 20) ?? 50;
  return (
    <svg className="fourier-spectrum__plot" width={width} height={height} role="presentation">
      <g className="fourier-spectrum__legend" fontSize={12}>
        <rect x={PAD.left} y={6} width={10} height={10} fill={KEY_COLOR} />
        <text x={PAD.left + 14} y={15}>
          key frequency
        </text>
        <rect x={PAD.left + 110} y={6} width={10} height={10} fill={OTHER_COLOR} />
        <text x={PAD.left + 124} y={15}>
          other
        </text>
      </g>
      <g className="chart__grid">
        {linearTicks(0, top, 4).map((tick) => (
          <line key={tick} x1={PAD.left} x2={PAD.left + plotWidth} y1={y(tick)} y2={y(tick)} />
        ))}
      </g>
      <g className="chart__axis" fontSize={11}>
        <line x1={PAD.left} x2={PAD.left + plotWidth} y1={bottom} y2={bottom} />
        {linearTicks(0, top, 4).map((tick) => (
          <text key={tick} x={PAD.left - 5} y={y(tick)} dy="0.35em" textAnchor="end">
            {Math.round(tick * 100)}%
          </text>
        ))}
        {rows.map((row, i) =>
          row.k % labelEvery === 0 || row.k === 1 ? (
            <text key={row.k} x={PAD.left + (i + 0.5) * slot} y={bottom + 13} textAnchor="middle">
              {row.k}
            </text>
          ) : null,
        )}
        <text x={PAD.left + plotWidth / 2} y={height - 4} textAnchor="middle">
          frequency k
        </text>
      </g>
      <g>
        {rows.map((row, i) => {
          const share = row.key + row.other;
          return (
            <rect
              key={row.k}
              className="fourier-spectrum__bar"
              x={PAD.left + i * slot + 0.5}
              y={y(share)}
              width={barWidth}
              height={Math.max(0, bottom - y(share))}
              fill={row.key > 0 ? KEY_COLOR : OTHER_COLOR}
            >
              <title>{`k = ${row.k}: ${percent(share)}${row.key > 0 ? ' (key frequency)' : ''}`}</title>
            </rect>
          );
        })}
      </g>
    </svg>
  );
}

/** Summary for the caption and screen readers: which frequencies dominate, and how much that beats uniform. */
export function spectrumSummary(keys: readonly number[], held: number, p: number): string {
  if (keys.length === 0 || held === 0) return 'No wave structure in the embedding yet.';
  const uniform = keys.length / Math.floor(p / 2);
  return (
    `Key frequencies ${keys.join(', ')} hold ${percent(held)} of the embedding's wave energy ` +
    `(${percent(uniform)} if it were spread evenly).`
  );
}

/**
 * The Fourier spectrum of the number embeddings (Nanda et al. 2023): for each frequency k, the share of the
 * embedding's energy in the waves cos(2πkx/p), sin(2πkx/p). Flat before grokking; a few spikes after.
 */
export function FourierSpectrum({
  embedding,
  p,
  keyCount = 5,
  width = 420,
  height = 200,
}: FourierSpectrumProps) {
  const box = useRef<HTMLDivElement>(null);
  const room = useElementSize(box).width;
  const chartWidth = room > 0 ? Math.min(width, Math.floor(room)) : width;
  const analysis = useMemo(() => {
    if (!embedding || p < 2 || p > embedding.shape[0]) return null;
    const spectrum = fourierSpectrum(embedding.values, embedding.shape, p);
    // Key frequencies: the strongest few that hold more than an even share of the energy.
    const even = 1 / spectrum.frequencies.length;
    const keys = topFrequencies(spectrum, keyCount).filter((k) => spectrum.share[k - 1] > even);
    const keySet = new Set(keys);
    const rows: Row[] = Array.from(spectrum.frequencies, (k, i) => ({
      k,
      key: keySet.has(k) ? spectrum.share[i] : 0,
      other: keySet.has(k) ? 0 : spectrum.share[i],
    }));
    return { rows, keys, held: concentration(spectrum, keys.length) };
  }, [embedding, p, keyCount]);

  if (!analysis) {
    return (
      <div ref={box}>
        <NoEmbedding className="fourier-spectrum" embedding={embedding} p={p} />
      </div>
    );
  }
  const summary = spectrumSummary(analysis.keys, analysis.held, p);
  return (
    <div ref={box}>
      <figure
        className="fourier-spectrum"
        style={{ margin: 0 }}
        aria-label={`Fourier spectrum of the embeddings. ${summary}`}
      >
        <SpectrumBars rows={analysis.rows} width={chartWidth} height={height} />
        <figcaption style={{ fontSize: 13 }}>{summary}</figcaption>
      </figure>
    </div>
  );
}
