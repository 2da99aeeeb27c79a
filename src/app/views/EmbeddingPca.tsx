import { useId, useMemo, useState } from 'react';
import { fourierSpectrum, frequencyPlane, topFrequencies, type EmbeddingTable } from '../../lib/fourier';
import { pca, radiusSpread } from '../../lib/pca';
import { NoEmbedding } from './NoEmbedding';

export interface EmbeddingPcaProps {
  /** The token-embedding table [vocab, dim]; rows 0..p−1 are the numbers. Null before the first batch. */
  embedding: EmbeddingTable | null;
  /** The modulus: how many rows are numbers. */
  p: number;
  /** Width and height of the plot, CSS pixels. Default 320. */
  size?: number;
}

/** 'pca', 'key' (follow the strongest frequency as it changes) or a fixed frequency "k<number>". */
type Mode = 'pca' | 'key' | `k${number}`;

/** Below this radius spread the points are called a circle. */
const CIRCLE_SPREAD = 0.15;

function percent(value: number): string {
  return `${Math.round(100 * value)}%`;
}

/** Caption for the figure: what the axes are and whether the numbers form a clock. */
export function projectionSummary(p: number, axes: string, spread: number): string {
  const shape =
    spread < CIRCLE_SPREAD
      ? `the numbers lie on a circle (distance from the centre varies by ${percent(spread)})`
      : `no circle yet (distance from the centre varies by ${percent(spread)})`;
  return `Embeddings of 0–${p - 1} projected on ${axes}: ${shape}.`;
}

/**
 * The number embeddings in 2-D, each drawn as its label: on the top two principal components, or on the plane of
 * one Fourier frequency, where a grokked network's numbers sit on a circle in the order x·k mod p (the "clock").
 */
export function EmbeddingPca({ embedding, p, size = 320 }: EmbeddingPcaProps) {
  const [mode, setMode] = useState<Mode>('key');
  const selectId = useId();

  const spectrum = useMemo(
    () =>
      embedding && p >= 2 && p <= embedding.shape[0]
        ? fourierSpectrum(embedding.values, embedding.shape, p)
        : null,
    [embedding, p],
  );
  // Offer the strongest frequencies that hold more than an even share of the energy.
  const choices = useMemo(
    () =>
      spectrum
        ? topFrequencies(spectrum, 5).filter((k) => spectrum.share[k - 1] > 1 / spectrum.frequencies.length)
        : [],
    [spectrum],
  );
  const fixed = mode.startsWith('k') ? Number(mode.slice(1)) : null;
  const effective: Mode = fixed !== null && fixed > Math.floor(p / 2) ? 'key' : mode;

  const projection = useMemo(() => {
    if (!embedding || !spectrum) return null;
    if (effective === 'pca') {
      const result = pca(embedding.values, embedding.shape, { rows: p });
      const explained = result.explained[0] + result.explained[1];
      return {
        points: result.points,
        axes: `principal components 1 and 2 (${percent(explained)} of the variance)`,
      };
    }
    const k = effective === 'key' ? spectrum.peak : Number(effective.slice(1));
    const share = spectrum.share[k - 1] ?? 0;
    return {
      points: frequencyPlane(embedding.values, embedding.shape, p, k),
      axes: `the cos/sin plane of frequency k = ${k} (${percent(share)} of the wave energy)`,
    };
  }, [embedding, spectrum, effective, p]);

  if (!embedding || !spectrum || !projection) {
    return <NoEmbedding className="embedding-pca" embedding={embedding} p={p} />;
  }

  const { points, axes } = projection;
  const summary = projectionSummary(p, axes, radiusSpread(points));
  let extent = 0;
  for (const v of points) extent = Math.max(extent, Math.abs(v));
  const scale = extent > 0 ? (size / 2 - 14) / extent : 1;
  const fontSize = Math.max(7, Math.min(12, Math.round((size * 2.2) / Math.max(p, 1))));

  return (
    <figure className="embedding-pca" style={{ margin: 0 }}>
      <label htmlFor={selectId} style={{ fontSize: 13, marginRight: 6 }}>
        Projection
      </label>
      <select id={selectId} value={effective} onChange={(event) => setMode(event.target.value as Mode)}>
        <option value="key">Key frequency (now k = {spectrum.peak})</option>
        <option value="pca">PCA (top 2 components)</option>
        {choices.map((k) => (
          <option key={k} value={`k${k}`}>
            Frequency k = {k}
          </option>
        ))}
      </select>
      <svg
        role="img"
        aria-label={summary}
        width={size}
        height={size}
        viewBox={`${-size / 2} ${-size / 2} ${size} ${size}`}
        style={{ display: 'block', marginTop: 4 }}
      >
        <line x1={-size / 2} x2={size / 2} y1={0} y2={0} stroke="#ddd" />
        <line y1={-size / 2} y2={size / 2} x1={0} x2={0} stroke="#ddd" />
        {Array.from({ length: p }, (_, x) => {
          const cx = points[2 * x] * scale;
          const cy = -points[2 * x + 1] * scale;
          const fill = `hsl(${Math.round((360 * x) / p)} 70% 38%)`;
          return (
            <g key={x}>
              <circle cx={cx} cy={cy} r={2} fill={fill} />
              <text x={cx + 3} y={cy - 2} fontSize={fontSize} fill={fill}>
                {x}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption style={{ fontSize: 13 }}>{summary}</figcaption>
    </figure>
  );
}
