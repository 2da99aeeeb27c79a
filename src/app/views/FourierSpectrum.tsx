import { useMemo, useRef } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { useElementSize } from '../hooks/useElementSize';
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
        <BarChart
          width={chartWidth}
          height={height}
          data={analysis.rows}
          barCategoryGap={1}
          accessibilityLayer
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="k"
            label={{ value: 'frequency k', position: 'insideBottom', offset: -2 }}
            height={34}
          />
          <YAxis tickFormatter={(value: number) => `${Math.round(value * 100)}%`} width={44} />
          <Tooltip
            formatter={(value) => (typeof value === 'number' ? percent(value) : String(value))}
            labelFormatter={(k) => `k = ${String(k)}`}
          />
          <Legend verticalAlign="top" height={24} />
          <Bar
            dataKey="key"
            name="key frequency"
            stackId="share"
            fill={rgbCss(GRID_COLORS.testWrong)}
            isAnimationActive={false}
          />
          <Bar
            dataKey="other"
            name="other"
            stackId="share"
            fill={rgbCss(GRID_COLORS.testCorrect)}
            isAnimationActive={false}
          />
        </BarChart>
        <figcaption style={{ fontSize: 13 }}>{summary}</figcaption>
      </figure>
    </div>
  );
}
