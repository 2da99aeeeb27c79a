/**
 * Scaling: ms per training step against one factor at a time (p, d_model, layers) around a small transformer, and
 * the MLP against p; the cases, the Node measurement, the fitted log-log slopes, the table and the plot. A part of
 * `npm run bench:throughput` (bench/throughput.ts, which also measures these cases in Chromium).
 */
import { deepMerge, resolveConfig, type Config, type DeepPartial } from '../src/engine/config';
import { PRESETS } from '../src/engine/presets';
import { Trainer } from '../src/engine/trainer';
import { timeSteps, type TimingLimits } from '../src/engine/backendChoice';
import { createTfHost } from '../src/engine/tfHost';
import { formatMs } from './lib/format';
import { load1 } from './lib/machine';
import { linearFit } from './stats';
import { linePlot, PALETTE } from './svg';

export interface ScalingPoint {
  series: string;
  factor: 'p' | 'dModel' | 'layers';
  value: number;
  where: string;
  msPerStep: number | null;
  /** Training rows (full batch) at this point. */
  rows: number;
  steps: number;
  firstStepMs: number;
  load: number;
  note?: string;
}

export interface ScalingCase {
  series: string;
  factor: ScalingPoint['factor'];
  value: number;
  config: DeepPartial<Config>;
}

const SCALING_BASE: DeepPartial<Config> = {
  task: { modulus: 31, trainFraction: 0.3 },
  model: { kind: 'transformer', layers: 1, dModel: 64, heads: 4, dMlp: 256 },
  training: { maxSteps: 100 },
};

export function scalingCases(): ScalingCase[] {
  const cases: ScalingCase[] = [];
  for (const p of [31, 97, 113])
    cases.push({
      series: 'transformer vs p',
      factor: 'p',
      value: p,
      config: deepMerge(SCALING_BASE, { task: { modulus: p } }),
    });
  for (const d of [64, 128, 256])
    cases.push({
      series: 'transformer vs d_model',
      factor: 'dModel',
      value: d,
      config: deepMerge(SCALING_BASE, { model: { dModel: d, dMlp: 4 * d } }),
    });
  for (const layers of [1, 2, 4])
    cases.push({
      series: 'transformer vs layers',
      factor: 'layers',
      value: layers,
      config: deepMerge(SCALING_BASE, { model: { layers } }),
    });
  for (const p of [31, 97, 113])
    cases.push({
      series: 'MLP vs p',
      factor: 'p',
      value: p,
      config: deepMerge<DeepPartial<Config>>(PRESETS.mlp.config, { task: { modulus: p } }),
    });
  return cases;
}

/** Timing per scaling point: `--quick` takes fewer steps. */
export function scalingLimits(quick: boolean): TimingLimits {
  return quick
    ? { maxSteps: 3, maxMs: 3_000, maxFirstStepMs: 20_000 }
    : { maxSteps: 8, maxMs: 8_000, maxFirstStepMs: 30_000 };
}

export function trainRows(config: DeepPartial<Config>): number {
  const resolved = resolveConfig(config);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
  const p = resolved.config.task.modulus;
  return Math.round(p * p * resolved.config.task.trainFraction);
}

/** Every scaling case on Node's wasm backend, one after another. */
export async function scalingNode(limits: TimingLimits): Promise<ScalingPoint[]> {
  await createTfHost().activate('wasm');
  const points: ScalingPoint[] = [];
  for (const item of scalingCases()) {
    const resolved = resolveConfig(item.config);
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
    const trainer = new Trainer(resolved.config);
    try {
      const load = load1();
      const timing = await timeSteps(trainer, performance, limits);
      points.push({
        series: item.series,
        factor: item.factor,
        value: item.value,
        where: 'node wasm',
        msPerStep: timing.msPerStep,
        rows: trainer.trainingRowCount,
        steps: timing.steps,
        firstStepMs: timing.firstStepMs,
        load,
      });
    } finally {
      trainer.dispose();
    }
    const point = points.at(-1)!;
    console.log(
      `scaling ${point.where.padEnd(16)} ${point.series.padEnd(24)} ${String(point.value).padEnd(4)} ${formatMs(point.msPerStep!)}`,
    );
  }
  return points;
}

/** Least-squares slope of log(ms/step) against log(factor) for one series on one backend. */
export function slopeOf(points: readonly ScalingPoint[]): { slope: number; r2: number } | null {
  const usable = points.filter((point) => point.msPerStep !== null && point.msPerStep > 0);
  if (usable.length < 2) return null;
  const fit = linearFit(
    usable.map((point) => Math.log(point.value)),
    usable.map((point) => Math.log(point.msPerStep!)),
  );
  return { slope: fit.slope, r2: fit.r2 };
}

const SERIES_WHY: Record<string, string> = {
  'transformer vs p':
    'rows ∝ p² (30% of the p² pairs, full batch) and the one-hot embedding and unembedding ∝ rows·p, so the asymptotic slope lies between 2 and 3; the p 31 point (288 rows) is mostly fixed per-kernel cost (≈ 300 kernels/step), which pulls the fitted slope down.',
  'transformer vs d_model':
    'projections and the MLP (d_mlp = 4d) cost ∝ d², elementwise work ∝ d; with 288 rows a good part of the step is fixed per-kernel cost, so the measured slope sits below the asymptotic 2.',
  'transformer vs layers':
    'shared work (embedding, unembedding, loss, optimizer) pulls the slope below 1, while the last block computes only the answer position: the 1-layer model’s only block is that cheap one and every added block is a full one, which pushes it above 1 — which wins depends on how much of the step the matrix products are.',
  'MLP vs p':
    'rows ∝ p² and both the output layer and the factored first layer (one-hot [N, 2p] · table [2p, 256]) ∝ rows·p = p³, so the slope lies between 2 and 3.',
};

export function scalingMarkdown(scaling: readonly ScalingPoint[], limits: TimingLimits): string[] {
  if (scaling.length === 0) return [];
  const wheres = [...new Set(scaling.map((point) => point.where))];
  const series = [...new Set(scaling.map((point) => point.series))];
  const lines = [
    '## Scaling: ms per step against one factor at a time',
    '',
    'Base: 1-layer transformer, (a+b) mod 31, 30% train, d_model 64, 4 heads, d_mlp 4·d_model; each series changes one factor.',
    '`MLP vs p`: the `mlp` preset (2×64 → 256 ReLU, 70% train) at p 31 / 97 / 113.',
    `Timing: first step alone, then up to ${limits.maxSteps} steps or ${limits.maxMs / 1000} s; "—" = not measured or stopped at the cap.`,
    'Plot: `bench/results/throughput-scaling.svg` (log-log, x = factor ÷ its base value).',
    '',
    `| series | value | train rows | ${wheres.join(' | ')} | load |`,
    `|---|---|---|${wheres.map(() => '---|').join('')}---|`,
  ];
  for (const name of series) {
    const values = [...new Set(scaling.filter((point) => point.series === name).map((point) => point.value))];
    for (const value of values) {
      const here = scaling.filter((point) => point.series === name && point.value === value);
      const cells = wheres.map((where) => {
        const point = here.find((candidate) => candidate.where === where);
        if (!point) return '—';
        return point.msPerStep === null ? `— (${point.note ?? 'failed'})` : formatMs(point.msPerStep);
      });
      const loads = here.map((point) => point.load.toFixed(1));
      lines.push(
        `| ${name} | ${value} | ${here[0].rows} | ${cells.join(' | ')} | ${loads[0]}–${loads.at(-1)} |`,
      );
    }
  }
  lines.push('', '**Fitted log-log slopes** (ms/step ∝ factor^slope):', '');
  lines.push(`| series | ${wheres.join(' | ')} | why |`, `|---|${wheres.map(() => '---|').join('')}---|`);
  for (const name of series) {
    const cells = wheres.map((where) => {
      const fit = slopeOf(scaling.filter((point) => point.series === name && point.where === where));
      return fit ? `${fit.slope.toFixed(2)} (R² ${fit.r2.toFixed(2)})` : '—';
    });
    lines.push(`| ${name} | ${cells.join(' | ')} | ${SERIES_WHY[name] ?? ''} |`);
  }
  lines.push('');
  return lines;
}

export function scalingSvg(scaling: readonly ScalingPoint[]): string {
  const base: Record<ScalingPoint['factor'], number> = { p: 31, dModel: 64, layers: 1 };
  const keys = [...new Set(scaling.map((point) => `${point.where} · ${point.series}`))];
  return linePlot({
    title: 'ms per training step vs model/task size (log-log)',
    xLabel: 'factor ÷ base (p/31, d_model/64, layers/1)',
    yLabel: 'ms per step',
    xScale: 'log',
    yScale: 'log',
    width: 760,
    height: 520,
    series: keys.map((key, i) => {
      const points = scaling
        .filter((point) => `${point.where} · ${point.series}` === key && point.msPerStep !== null)
        .map((point) => [point.value / base[point.factor], point.msPerStep!] as const);
      return {
        label: key.replace('transformer ', 'T ').replace('chromium ', ''),
        points,
        color: PALETTE[i % PALETTE.length],
        dashed: key.startsWith('chromium'),
        markers: true,
      };
    }),
  });
}
