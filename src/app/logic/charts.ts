import type { MetricRecord, SiteDescription } from '../../worker/protocol';
import { downsample, type AxisScale, type Point } from './downsample';

/** One line of a chart. */
export interface SeriesSpec {
  key: string;
  label: string;
  color: string;
  dashed?: boolean;
  /** An SVG stroke-dasharray, for charts that tell more than two kinds of line apart by dash (overrides dashed). */
  dash?: string;
  value(record: MetricRecord): number | undefined;
}

/** One time-series chart: what it draws and how. The chart list is data, so a new chart is one entry. */
export interface ChartSpec {
  id: string;
  title: string;
  /** One line under the title: what to look for. */
  hint: string;
  yScale: AxisScale;
  yDomain?: [number, number];
  /** Horizontal reference line, e.g. radius ratio 1. */
  reference?: { y: number; label: string };
  format: 'percent' | 'value';
  series: SeriesSpec[];
}

/** Okabe–Ito: distinguishable with colour-vision deficiencies. */
export const PALETTE = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#f0e442',
  '#000000',
];
export const TRAIN_COLOR = PALETTE[0];
export const TEST_COLOR = PALETTE[5];

function siteSeries(
  sites: readonly SiteDescription[],
  pick: (record: MetricRecord) => Record<string, number>,
) {
  return sites.map<SeriesSpec>((site, i) => ({
    key: site.name,
    label: site.label,
    color: PALETTE[(i + 2) % PALETTE.length],
    value: (record) => pick(record)[site.name],
  }));
}

export interface ChartContext {
  sites: readonly SiteDescription[];
  /** Scalar names per regularizer id that appear in the history, e.g. { radial: ['penalty'] }. */
  scalarKeys: Record<string, readonly string[]>;
  /** Regularizer id → display label. */
  regularizerLabels: Record<string, string>;
}

export const ACCURACY_CHART: ChartSpec = {
  id: 'accuracy',
  title: 'Accuracy',
  hint: 'Train jumps to 100% early; test waits near chance, then climbs: that jump is grokking.',
  yScale: 'linear',
  yDomain: [0, 1],
  format: 'percent',
  series: [
    { key: 'train', label: 'train', color: TRAIN_COLOR, value: (r) => r.trainAccuracy },
    { key: 'test', label: 'test', color: TEST_COLOR, value: (r) => r.testAccuracy },
  ],
};

export function radiusChart(sites: readonly SiteDescription[]): ChartSpec {
  return {
    id: 'radius',
    title: 'Activation radius ‖h‖/√d',
    hint: 'Mean length of each hidden representation relative to √d; the radial penalty pulls it to 1.',
    yScale: 'log',
    reference: { y: 1, label: '1' },
    format: 'value',
    series: siteSeries(sites, (r) => r.radiusRatio),
  };
}

/** Every time-series chart of the lab, in display order. */
export function chartSpecs(context: ChartContext): ChartSpec[] {
  const charts: ChartSpec[] = [
    ACCURACY_CHART,
    {
      id: 'loss',
      title: 'Loss',
      hint: 'Cross-entropy on both splits (log scale).',
      yScale: 'log',
      format: 'value',
      series: [
        { key: 'train', label: 'train', color: TRAIN_COLOR, value: (r) => r.trainLoss },
        { key: 'test', label: 'test', color: TEST_COLOR, value: (r) => r.testLoss },
      ],
    },
    {
      id: 'weightNorm',
      title: 'Total weight norm',
      hint: 'L2 norm of all parameters; weight decay slowly shrinks it while the test curve is flat.',
      yScale: 'linear',
      format: 'value',
      series: [{ key: 'norm', label: '‖θ‖₂', color: PALETTE[2], value: (r) => r.weightNorm }],
    },
    radiusChart(context.sites),
    {
      id: 'radialShare',
      title: 'Radial share of the gradient',
      hint: 'Share of ∂L/∂h that only changes the length of h, per site.',
      yScale: 'linear',
      yDomain: [0, 1],
      format: 'percent',
      series: siteSeries(context.sites, (r) => r.radialShare),
    },
    {
      id: 'age',
      title: 'Gradient entropy (AGE)',
      hint: 'Rises while memorizing, falls while generalizing.',
      yScale: 'linear',
      format: 'value',
      series: [{ key: 'age', label: 'AGE (nats)', color: PALETTE[3], value: (r) => r.gradientEntropy }],
    },
  ];
  for (const [id, names] of Object.entries(context.scalarKeys)) {
    if (names.length === 0) continue;
    const label = context.regularizerLabels[id] ?? id;
    charts.push({
      id: `regularizer-${id}`,
      title: label,
      hint: `Live signals of the ${label.toLowerCase()}.`,
      yScale: 'linear',
      format: 'value',
      series: names.map((name, i) => ({
        key: name,
        label: name,
        color: PALETTE[(i + 3) % PALETTE.length],
        value: (r) => r.regularizers[id]?.[name],
      })),
    });
  }
  return charts;
}

/** Regularizer scalar names seen in `records`, merged into `known` (the same object when nothing is new). */
export function collectScalarKeys(
  known: Record<string, readonly string[]>,
  records: readonly MetricRecord[],
): Record<string, readonly string[]> {
  let result = known;
  for (const record of records) {
    for (const [id, scalars] of Object.entries(record.regularizers)) {
      const names = result[id] ?? [];
      const missing = Object.keys(scalars).filter((name) => !names.includes(name));
      if (missing.length > 0) result = { ...result, [id]: [...names, ...missing] };
    }
  }
  return result;
}

export interface DrawnSeries {
  spec: SeriesSpec;
  points: Point[];
  /** Latest value, for the legend. */
  latest: number | null;
}

/** The downsampled points of each series of a chart. */
export function chartSeries(
  chart: ChartSpec,
  history: readonly MetricRecord[],
  xScale: AxisScale,
  budget?: number,
): DrawnSeries[] {
  return chart.series.map((spec) => {
    const points: Point[] = [];
    for (const record of history) {
      const y = spec.value(record);
      if (y !== undefined) points.push({ x: record.step, y });
    }
    const latest = points.length > 0 ? points[points.length - 1].y : null;
    return { spec, points: downsample(points, budget, { x: xScale, y: chart.yScale }), latest };
  });
}
