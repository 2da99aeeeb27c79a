/**
 * `npm run bench:throughput`: ms per training step (forward + backward + AdamW, full batch) of the `classic` and
 * `mlp` presets on every backend: wasm and cpu in Node, and webgpu / webgl / wasm / cpu in a worker of headless
 * Chromium (the harness page's bench worker, served by `vite preview`). Each measurement times the first step
 * alone (shader compilation, allocation), then up to MAX_STEPS more within MAX_MS; a first step longer than
 * MAX_FIRST_MS is reported on its own. Also reports, per backend, tfjs kernels / GPU dispatches / read-backs per
 * step (src/harness/stepProfile.ts); the PyTorch reference (bench/torch_reference.py, 1 thread) back to back with
 * the lab in Node and their ratio; evaluation's share of training time under the adaptive schedule; and a scaling
 * table (ms/step vs p, d_model, layers) with a log-log plot and fitted slopes.
 * Writes bench/results/throughput.{md,json} and bench/results/throughput-scaling.svg.
 *
 *   npm run bench:throughput               # everything (≈ 15–25 minutes on 2 shared cores)
 *   npm run bench:throughput -- --quick    # fewer steps, no cpu/webgl/webgpu scaling points (≈ 3–5 minutes)
 *   npm run bench:throughput -- --node     # Node only (also: --browser, --no-scaling, --no-torch)
 *   npm run bench:throughput -- --node-webgpu [--webgpu-adapter swiftshader]
 *                                          # only Node WebGPU (Dawn) vs Node wasm → throughput-node-webgpu.md
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { kernelTimeByGroup, profileKernelTime, type KernelShare } from './kernelTime';
import { measureRace, raceVerdict, type RaceThroughput } from './race';
import { openBrowserSession } from './browserSession';
import type { BackendName } from '../src/engine/backend';
import { deepMerge, resolveConfig, type Config, type DeepPartial } from '../src/engine/config';
import { initNodeBackend } from '../src/engine/node';
import { PRESETS, type PresetName } from '../src/engine/presets';
import { nextEvaluationStep } from '../src/engine/schedule';
import { Trainer } from '../src/engine/trainer';
import { timeSteps, type StepTiming, type TimingLimits } from '../src/engine/backendChoice';
import { createTfHost } from '../src/engine/tfHost';
import type { BenchResult } from '../src/harness/bench.worker';
import { profileSteps, type StepProfile } from '../src/harness/stepProfile';
import { addDispatchCost, benchNodeWebGpu, nodeWebGpuMarkdown } from './nodeWebgpu';
import {
  adapterFromEnvironment,
  WEBGPU_ADAPTER_CHOICES,
  type WebGpuAdapterChoice,
} from '../src/engine/nodeWebgpu';
import { linearFit } from './stats';
import { linePlot, PALETTE } from './svg';
// The harness's `window.grokHarness` declaration, for the page.evaluate callbacks.
import type {} from '../src/harness/main';

const QUICK = process.argv.includes('--quick');
// SwiftShader's first step (shader compilation) takes tens of seconds; allow it, then time up to 20 steps / 20 s.
const LIMITS: TimingLimits = QUICK
  ? { maxSteps: 5, maxMs: 5_000, maxFirstStepMs: 30_000 }
  : { maxSteps: 20, maxMs: 20_000, maxFirstStepMs: 60_000 };
/** In the browser a measurement is abandoned (its worker terminated) after this long. */
const HARD_CAP_MS = QUICK ? 60_000 : 120_000;
/** Steps counted by the kernel / dispatch profiler (after the timed ones). */
const PROFILE_STEPS = 2;
const PRESET_NAMES: PresetName[] = ['classic', 'mlp'];
const PORT = 4175;
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));

interface Row extends StepTiming {
  where: 'node' | 'chromium worker';
  backend: BackendName;
  variant: string;
  preset: PresetName;
  device: string | null;
  error?: string;
  /** The first step had not finished after this long; the measurement was stopped. */
  cappedAtMs?: number;
  profile?: StepProfile | null;
  /** Node only: process CPU time per timed step (moves far less than wall time on a shared machine). */
  cpuMsPerStep?: number;
  /** 1-minute load average when the row was measured. */
  load: number;
  /** Node wasm only: ms per step by kernel (tf.profile). */
  kernelTime?: KernelShare[];
}

interface Variant {
  backend: BackendName;
  variant: string;
  flags?: Record<string, number | boolean>;
  presets: PresetName[];
}

const FULL_BROWSER_VARIANTS: Variant[] = [
  { backend: 'webgpu', variant: 'default', presets: PRESET_NAMES },
  // DESIGN §4: WebGPU hands ops on small tensors to the CPU by default; measure what that does for small models.
  {
    backend: 'webgpu',
    variant: 'CPU handoff off',
    flags: { WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD: 0 },
    presets: ['mlp'],
  },
  { backend: 'webgl', variant: 'default', presets: PRESET_NAMES },
  { backend: 'wasm', variant: 'threaded build (page is cross-origin isolated)', presets: PRESET_NAMES },
  {
    backend: 'wasm',
    variant: 'single-threaded build',
    flags: { WASM_HAS_MULTITHREAD_SUPPORT: false },
    presets: PRESET_NAMES,
  },
  { backend: 'cpu', variant: 'default', presets: PRESET_NAMES },
];
/** --quick: the backends a classroom laptop would use, once each. */
const BROWSER_VARIANTS: Variant[] = QUICK
  ? [
      { backend: 'webgpu', variant: 'default', presets: ['mlp'] },
      { backend: 'webgl', variant: 'default', presets: ['mlp'] },
      { backend: 'wasm', variant: 'threaded build (page is cross-origin isolated)', presets: PRESET_NAMES },
    ]
  : FULL_BROWSER_VARIANTS;

const load1 = (): number => os.loadavg()[0];

function configOf(preset: PresetName): unknown {
  return PRESETS[preset].config;
}

function log(row: Row): void {
  const timing = row.error ? `error: ${row.error}` : `${describe(row)}`;
  console.log(
    `${row.where.padEnd(15)} ${row.backend.padEnd(6)} ${row.variant.padEnd(20).slice(0, 20)} ${row.preset.padEnd(7)} ${timing}`,
  );
}

function describe(row: Row): string {
  if (row.error) return `error: ${row.error.slice(0, 80)}`;
  if (row.cappedAtMs) return `> ${ms(row.cappedAtMs)} (first step unfinished; stopped)`;
  if (row.steps === 0) return `≥ ${ms(row.firstStepMs)} (first step only)`;
  return `${ms(row.msPerStep)} (${row.steps} steps; first ${ms(row.firstStepMs)})`;
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value >= 100 ? 0 : 1)} ms`;
}

async function benchNode(torch: TorchResult[]): Promise<Row[]> {
  await initNodeBackend('wasm');
  const host = createTfHost();
  const rows: Row[] = [];
  for (const backend of QUICK ? (['wasm'] as const) : (['wasm', 'cpu'] as const)) {
    await host.activate(backend);
    for (const preset of PRESET_NAMES) {
      const resolved = resolveConfig(configOf(preset));
      if (!resolved.ok) throw new Error(`preset ${preset} is invalid`);
      const trainer = new Trainer(resolved.config);
      try {
        const load = load1();
        const timing = await timeSteps(trainer, performance, LIMITS);
        // CPU time of as many steps again, after the first (compilation, allocation) is behind us, as PyTorch's is.
        const cpuBefore = process.cpuUsage();
        // At least a second of steps: a 10 ms step is below the clock's resolution otherwise.
        const cpuSteps = Math.max(1, timing.steps, Math.ceil(1000 / timing.msPerStep) || 1);
        for (let i = 0; i < cpuSteps; i++) trainer.trainStep();
        await trainer.settle();
        const cpu = process.cpuUsage(cpuBefore);
        const cpuMsPerStep = (cpu.user + cpu.system) / 1000 / cpuSteps;
        const profile = await profileSteps(trainer, PROFILE_STEPS);
        const kernelTime =
          backend === 'wasm'
            ? await profileKernelTime(() => trainer.trainStep(), preset === 'classic' ? 2 : 10)
            : undefined;
        rows.push({
          where: 'node',
          backend,
          variant: 'default',
          preset,
          device: null,
          ...timing,
          profile,
          cpuMsPerStep,
          load,
          kernelTime,
        });
      } finally {
        trainer.dispose();
      }
      log(rows.at(-1)!);
      // PyTorch right after the lab's wasm measurement of the same preset: the ratio shares the machine's load.
      if (backend === 'wasm') {
        const reference = runTorch(preset);
        if (reference) {
          torch.push(reference);
          const lab = rows.at(-1)!;
          console.log(
            `${'pytorch cpu'.padEnd(15)} 1 thread ${preset.padEnd(7)} ${ms(reference.msPerStep)} wall, ${ms(reference.cpuMsPerStep)} CPU` +
              ` → lab/PyTorch ${(lab.msPerStep / reference.msPerStep).toFixed(2)}× wall, ${((lab.cpuMsPerStep ?? NaN) / reference.cpuMsPerStep).toFixed(2)}× CPU`,
          );
        }
      }
    }
  }
  return rows;
}

interface TorchResult {
  preset: PresetName;
  msPerStep: number;
  cpuMsPerStep: number;
  steps: number;
  load: number;
}

let torchAvailable: boolean | null = null;

/** bench/torch_reference.py on Debian's interpreter, 1 thread (BLAS included); null when torch is missing. */
function runTorch(preset: PresetName): TorchResult | null {
  if (process.argv.includes('--no-torch')) return null;
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  if (torchAvailable === null) {
    try {
      execFileSync('/usr/bin/python3', ['-c', 'import torch'], { env, stdio: 'ignore' });
      torchAvailable = true;
    } catch {
      torchAvailable = false;
      console.log('PyTorch reference skipped: /usr/bin/python3 cannot import torch');
    }
  }
  if (!torchAvailable) return null;
  const steps = preset === 'classic' ? (QUICK ? 5 : 10) : QUICK ? 20 : 50;
  const load = load1();
  const output = execFileSync(
    '/usr/bin/python3',
    [
      fileURLToPath(new URL('./torch_reference.py', import.meta.url)),
      '--model',
      preset,
      '--steps',
      String(steps),
      '--threads',
      '1',
    ],
    { env, encoding: 'utf8' },
  );
  const parsed = JSON.parse(output.trim().split('\n').at(-1)!) as { msPerStep: number; cpuMsPerStep: number };
  return { preset, msPerStep: parsed.msPerStep, cpuMsPerStep: parsed.cpuMsPerStep, steps, load };
}

interface EvaluationShare {
  preset: PresetName;
  /** Steps trained (the session's adaptive schedule decides when to evaluate). */
  steps: number;
  evaluations: number;
  trainingMs: number;
  evaluationMs: number;
  /** Mean wall time of one evaluation and of one step in this run. */
  evaluationMsEach: number;
  stepMs: number;
  load: number;
  /** The schedule was replayed with measured costs instead of run (presets too slow to run that far). */
  simulated: boolean;
}

/**
 * Evaluation's share of training time at default settings (evalEvery 0 = adaptive): trains like the session does
 * — evaluate at the scheduled steps, cost estimates updated from the measured times — and sums both.
 */
async function evaluationShare(
  preset: PresetName,
  steps: number,
  simulate: boolean,
): Promise<EvaluationShare> {
  const resolved = resolveConfig(configOf(preset));
  if (!resolved.ok) throw new Error(`preset ${preset} is invalid`);
  const trainer = new Trainer(resolved.config);
  const load = load1();
  try {
    trainer.trainStep(); // warm-up (allocation), as the session's first chunk
    await trainer.evaluate();
    let stepMs = 0;
    let evaluationMs = 0;
    let trainingTotal = 0;
    let evaluationTotal = 0;
    let evaluations = 0;
    let next = 0;
    let step = 0;
    if (simulate) {
      // Measure one evaluation and a few steps, then replay the schedule with those costs.
      let started = performance.now();
      await trainer.evaluate();
      evaluationMs = performance.now() - started;
      started = performance.now();
      for (let i = 0; i < 3; i++) trainer.trainStep();
      await trainer.settle();
      stepMs = (performance.now() - started) / 3;
      while (step < steps) {
        if (step >= next) {
          evaluations++;
          evaluationTotal += evaluationMs;
          next = nextEvaluationStep(step, 0, {
            stepMs,
            evaluationMs,
            spent: { trainingMs: trainingTotal, evaluationMs: evaluationTotal },
          });
        }
        const chunk = Math.min(next, steps) - step;
        trainingTotal += chunk * stepMs;
        step += chunk;
      }
    } else {
      while (step < steps) {
        if (step >= next) {
          const started = performance.now();
          await trainer.evaluate();
          evaluationMs = performance.now() - started;
          evaluationTotal += evaluationMs;
          evaluations++;
          next = nextEvaluationStep(step, 0, {
            stepMs,
            evaluationMs,
            spent: { trainingMs: trainingTotal, evaluationMs: evaluationTotal },
          });
        }
        const chunk = Math.min(next, steps) - step;
        const started = performance.now();
        for (let i = 0; i < chunk; i++) trainer.trainStep();
        await trainer.settle();
        const elapsed = performance.now() - started;
        trainingTotal += elapsed;
        const perStep = elapsed / chunk;
        stepMs = stepMs === 0 ? perStep : 0.6 * stepMs + 0.4 * perStep;
        step += chunk;
      }
    }
    return {
      preset,
      steps,
      evaluations,
      trainingMs: trainingTotal,
      evaluationMs: evaluationTotal,
      evaluationMsEach: evaluationTotal / evaluations,
      stepMs: trainingTotal / steps,
      load,
      simulated: simulate,
    };
  } finally {
    trainer.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Scaling: ms/step against one factor at a time, around a small transformer (and the MLP for p).

interface ScalingPoint {
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

interface ScalingCase {
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

function scalingCases(): ScalingCase[] {
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

const SCALING_LIMITS: TimingLimits = QUICK
  ? { maxSteps: 3, maxMs: 3_000, maxFirstStepMs: 20_000 }
  : { maxSteps: 8, maxMs: 8_000, maxFirstStepMs: 30_000 };

function trainRows(config: DeepPartial<Config>): number {
  const resolved = resolveConfig(config);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
  const p = resolved.config.task.modulus;
  return Math.round(p * p * resolved.config.task.trainFraction);
}

async function scalingNode(): Promise<ScalingPoint[]> {
  await createTfHost().activate('wasm');
  const points: ScalingPoint[] = [];
  for (const item of scalingCases()) {
    const resolved = resolveConfig(item.config);
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
    const trainer = new Trainer(resolved.config);
    try {
      const load = load1();
      const timing = await timeSteps(trainer, performance, SCALING_LIMITS);
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
      `scaling ${point.where.padEnd(16)} ${point.series.padEnd(24)} ${String(point.value).padEnd(4)} ${ms(point.msPerStep!)}`,
    );
  }
  return points;
}

/** Browser backends for the scaling table, with a per-point cap (SwiftShader GPUs are slow). */
const BROWSER_SCALING: { backend: BackendName; capMs: number }[] = QUICK
  ? [{ backend: 'wasm', capMs: 60_000 }]
  : [
      { backend: 'wasm', capMs: 60_000 },
      { backend: 'webgl', capMs: 45_000 },
      { backend: 'webgpu', capMs: 45_000 },
    ];

async function benchBrowser(
  withScaling: boolean,
): Promise<{ rows: Row[]; scaling: ScalingPoint[]; race: RaceThroughput; browserVersion: string }> {
  const session = await openBrowserSession({ outDirName: 'dist', port: PORT, strictPort: true });
  const { browser } = session;
  const rows: Row[] = [];
  const scaling: ScalingPoint[] = [];
  try {
    const page = await browser.newPage();
    await page.goto(`http://localhost:${PORT}/harness.html`);
    await page.waitForFunction(() => document.title.includes('(ready)'));
    const measure = (
      config: unknown,
      backend: BackendName,
      limits: TimingLimits,
      flags: Record<string, number | boolean>,
      cap: number,
      profile: number,
    ): Promise<BenchResult | null> =>
      page.evaluate(
        ([c, name, l, extra, hardCap, steps]) => window.grokHarness.bench(c, name, l, extra, hardCap, steps),
        [config, backend, limits, flags, cap, profile] as const,
      );
    for (const { backend, variant, flags, presets } of BROWSER_VARIANTS) {
      for (const preset of presets) {
        let row: Row;
        const load = load1();
        try {
          const result = await measure(
            configOf(preset),
            backend,
            LIMITS,
            flags ?? {},
            HARD_CAP_MS,
            PROFILE_STEPS,
          );
          const stopped = {
            device: null,
            firstStepMs: Number.NaN,
            msPerStep: Number.NaN,
            steps: 0,
            cappedAtMs: HARD_CAP_MS,
          };
          row = { ...(result ?? stopped), where: 'chromium worker', backend, variant, preset, load };
        } catch (error) {
          const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
          row = {
            where: 'chromium worker',
            backend,
            variant,
            preset,
            device: null,
            firstStepMs: NaN,
            msPerStep: NaN,
            steps: 0,
            error: message,
            load,
          };
        }
        rows.push(row);
        log(row);
      }
    }
    if (withScaling) {
      for (const { backend, capMs } of BROWSER_SCALING) {
        for (const item of scalingCases()) {
          const where = `chromium ${backend}`;
          const load = load1();
          let result: BenchResult | null = null;
          let note: string | undefined;
          try {
            result = await measure(item.config, backend, SCALING_LIMITS, {}, capMs, 0);
            if (!result) note = `stopped after ${capMs / 1000} s`;
          } catch (error) {
            note = error instanceof Error ? error.message.split('\n')[0].slice(0, 80) : String(error);
          }
          scaling.push({
            series: item.series,
            factor: item.factor,
            value: item.value,
            where,
            msPerStep: result ? result.msPerStep : null,
            rows: trainRows(item.config),
            steps: result?.steps ?? 0,
            firstStepMs: result?.firstStepMs ?? Number.NaN,
            load,
            note,
          });
          const point = scaling.at(-1)!;
          console.log(
            `scaling ${where.padEnd(16)} ${item.series.padEnd(24)} ${String(item.value).padEnd(4)} ${point.msPerStep === null ? `— (${note})` : ms(point.msPerStep)}`,
          );
        }
      }
    }
    // Race mode's lanes: the same measurement as `npm run bench:race`, in this session.
    const race = await measureRace(session);
    console.log(`race: ${raceVerdict(race)}`);
    return { rows, scaling, race, browserVersion: browser.version() };
  } finally {
    await session.close();
  }
}

function cell(row: Row | undefined): string {
  if (!row) return '—';
  return row.steps > 0 ? `**${ms(row.msPerStep)}** (${row.steps} / ${ms(row.firstStepMs)})` : describe(row);
}

function perStep(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits);
}

interface Report {
  meta: Record<string, string>;
  rows: Row[];
  torch: TorchResult[];
  shares: EvaluationShare[];
  scaling: ScalingPoint[];
  race: RaceThroughput | null;
}

/** Least-squares slope of log(ms/step) against log(factor) for one series on one backend. */
function slopeOf(points: readonly ScalingPoint[]): { slope: number; r2: number } | null {
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

function scalingMarkdown(scaling: readonly ScalingPoint[]): string[] {
  if (scaling.length === 0) return [];
  const wheres = [...new Set(scaling.map((point) => point.where))];
  const series = [...new Set(scaling.map((point) => point.series))];
  const lines = [
    '## Scaling: ms per step against one factor at a time',
    '',
    'Base: 1-layer transformer, (a+b) mod 31, 30% train, d_model 64, 4 heads, d_mlp 4·d_model; each series changes one factor.',
    '`MLP vs p`: the `mlp` preset (2×64 → 256 ReLU, 70% train) at p 31 / 97 / 113.',
    `Timing: first step alone, then up to ${SCALING_LIMITS.maxSteps} steps or ${SCALING_LIMITS.maxMs / 1000} s; "—" = not measured or stopped at the cap.`,
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
        return point.msPerStep === null ? `— (${point.note ?? 'failed'})` : ms(point.msPerStep);
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

function scalingSvg(scaling: readonly ScalingPoint[]): string {
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

/** Where a Node wasm step's time goes, beside PyTorch's whole step: the bound on the lab/PyTorch ratio. */
function kernelTimeMarkdown(rows: readonly Row[], torch: readonly TorchResult[]): string[] {
  const profiled = rows.filter((row) => row.where === 'node' && row.kernelTime?.length);
  if (profiled.length === 0) return [];
  const lines = [
    '',
    "## Where a wasm step's time goes",
    '',
    '`tf.profile` over the steps after the timed ones (Node, wasm): time per step inside each backend kernel (wrappers such as',
    'custom-gradient shells dropped, so nothing counts twice). JavaScript between kernels (tape, allocation) is the rest of the step.',
    '',
    '| preset | kernel time / step | matrix products | data movement | elementwise and reductions | largest kernels (ms/step) | PyTorch whole step (CPU) |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const row of profiled) {
    const byName = row.kernelTime ?? [];
    const total = byName.reduce((sum, share) => sum + share.ms, 0);
    const groups = new Map(kernelTimeByGroup(byName).map((share) => [share.name, share.ms]));
    const group = (name: string) =>
      `${ms(groups.get(name) ?? 0)} (${((100 * (groups.get(name) ?? 0)) / total).toFixed(0)}%)`;
    const largest = byName
      .slice(0, 5)
      .map((share) => `${share.name} ${share.ms.toFixed(1)}`)
      .join(', ');
    const reference = torch.find((t) => t.preset === row.preset);
    lines.push(
      `| ${row.preset} | ${ms(total)} | ${group('matrix products')} | ${group('data movement')} | ${group('elementwise and reductions')} | ${largest} | ${reference ? ms(reference.cpuMsPerStep) : '—'} |`,
    );
  }
  return lines;
}

function markdown(report: Report): string {
  const { rows, meta, torch, shares, scaling, race } = report;
  const keys = [...new Set(rows.map((row) => `${row.where}|${row.backend}|${row.variant}`))];
  const lines = [
    '# Training throughput per backend',
    '',
    `Generated by \`npm run bench:throughput${QUICK ? ' -- --quick' : ''}\` on ${meta.date}: ${meta.cpu}, ${meta.cores} cores; Node ${meta.node}; Chromium ${meta.chromium}.`,
    `1-minute load average ${meta.load} (start → end); above ${meta.cores} the machine was shared and wall timings are inflated — the per-row load is in each table.`,
    '',
    'ms per full-batch training step (forward + backward + AdamW), mean over the timed steps after the first;',
    'in brackets: steps timed / first step (shader compilation, allocation). Limits: ' +
      `${LIMITS.maxSteps} steps or ${LIMITS.maxMs / 1000} s after the first; a first step over ${LIMITS.maxFirstStepMs / 1000} s is reported alone ("≥");` +
      ` in the browser a measurement is stopped after ${HARD_CAP_MS / 1000} s (">").`,
    '`classic`: 1-layer transformer, (a+b) mod 97, 30% train (2 823 rows), d 128, 4 heads, MLP 512.',
    '`mlp`: (a+b) mod 31, 70% train (673 rows), embeddings 2×64 → 256 ReLU → 31.',
    '',
    '| where | backend | variant | device | classic | mlp | load |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const key of keys) {
    const [where, backend, variant] = key.split('|');
    const mine = rows.filter((r) => `${r.where}|${r.backend}|${r.variant}` === key);
    const cells = PRESET_NAMES.map((preset) => cell(mine.find((r) => r.preset === preset)));
    const device = mine[0]?.device ?? '';
    lines.push(
      `| ${where} | ${backend} | ${variant} | ${device} | ${cells.join(' | ')} | ${mine.map((r) => r.load.toFixed(1)).join(', ')} |`,
    );
  }
  lines.push(
    '',
    '## What one step asks of the backend',
    '',
    `Counted over ${PROFILE_STEPS} steps after the timed ones (src/harness/stepProfile.ts): tfjs kernels (engine.runKernel, gradients included),`,
    'GPU programs dispatched (runWebGPUProgram / runWebGLProgram), synchronous reads (dataSync: must be 0 on the training path) and',
    'asynchronous reads per step; wall time split into issuing the steps and the one settle() after them (on GPU backends: waiting',
    'for the queued work); "idle read-back" = one settle() with nothing queued (the latency each chunk and evaluation pays once).',
    'Node rows add process CPU time per step, which a shared machine moves far less than wall time.',
    '',
    '| where | backend | variant | preset | kernels/step | GPU dispatches/step | sync reads/step | async reads/step | issue ms/step | settle ms/step | idle read-back ms | CPU ms/step |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const row of rows) {
    const p = row.profile;
    if (!p) continue;
    lines.push(
      `| ${row.where} | ${row.backend} | ${row.variant} | ${row.preset} | ${perStep(p.kernelsPerStep)} | ${perStep(p.dispatchesPerStep)} | ${perStep(p.syncReadsPerStep, 1)} | ${perStep(p.asyncReadsPerStep, 1)} | ${perStep(p.issueMsPerStep, 1)} | ${perStep(p.settleMsPerStep, 1)} | ${perStep(p.idleReadbackMs, 1)} | ${perStep(row.cpuMsPerStep, 1)} |`,
    );
  }
  lines.push(...kernelTimeMarkdown(rows, torch));
  if (torch.length > 0) {
    lines.push(
      '',
      '## Against PyTorch on the same CPU',
      '',
      '`bench/torch_reference.py` (PyTorch 1.13, OpenBLAS, `torch.set_num_threads(1)`, `OPENBLAS_NUM_THREADS=1`): the same model, data size and',
      "full-batch AdamW step, run right after the lab's Node wasm measurement of the same preset, so both see the same load.",
      'Ratio = lab ÷ PyTorch (> 1: the lab is slower). CPU-time ratios are the steadier figure on a shared machine.',
      '',
      '| preset | lab wasm (Node) wall | lab CPU | PyTorch wall | PyTorch CPU | lab/PyTorch wall | lab/PyTorch CPU | load (lab / PyTorch) |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const reference of torch) {
      const lab = rows.find(
        (r) => r.where === 'node' && r.backend === 'wasm' && r.preset === reference.preset,
      );
      if (!lab) continue;
      lines.push(
        `| ${reference.preset} | ${ms(lab.msPerStep)} | ${ms(lab.cpuMsPerStep ?? NaN)} | ${ms(reference.msPerStep)} | ${ms(reference.cpuMsPerStep)} | ${(lab.msPerStep / reference.msPerStep).toFixed(2)}× | ${((lab.cpuMsPerStep ?? NaN) / reference.cpuMsPerStep).toFixed(2)}× | ${lab.load.toFixed(1)} / ${reference.load.toFixed(1)} |`,
      );
    }
  }
  if (shares.length > 0) {
    lines.push(
      '',
      '## Evaluation cost at default settings',
      '',
      'Adaptive schedule (`training.evalEvery` 0: dense early, at most 10% of training time, at least every 500 steps), Node wasm.',
      'An evaluation = loss/accuracy on every example (one batched pass), activation radii, and the gradient-geometry probe',
      '(one forward + backward on up to 1 024 training rows for radial share and AGE). "simulated": the schedule replayed with',
      'the measured costs of one evaluation and one step (presets too slow to run that far here).',
      '',
      '| preset | steps | evaluations | ms per evaluation | ms per step | evaluation ÷ step | evaluation share of training | load |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const share of shares) {
      lines.push(
        `| ${share.preset}${share.simulated ? ' (simulated)' : ''} | ${share.steps} | ${share.evaluations} | ${ms(share.evaluationMsEach)} | ${ms(share.stepMs)} | ${(share.evaluationMsEach / share.stepMs).toFixed(1)} | ${((100 * share.evaluationMs) / share.trainingMs).toFixed(1)}% | ${share.load.toFixed(1)} |`,
      );
    }
  }
  if (race) {
    lines.push(
      '',
      '## Race mode: two lanes at once',
      '',
      `Two training workers (radial and plain lanes of radialRescue) against each alone, in the same Chromium session (details: \`npm run bench:race\`, bench/results/race.md). Load average before the race: ${race.measurements.find((m) => m.what.startsWith('race'))?.uptime.split('load average: ')[1] ?? '?'}.`,
      '',
      `- ${raceVerdict(race)}.`,
    );
  }
  lines.push('', ...scalingMarkdown(scaling));
  return lines.join('\n') + '\n';
}

/** `--node-webgpu`: the Node WebGPU rows alone, in their own report (a GPU machine runs just this). */
async function mainNodeWebGpu(): Promise<void> {
  const flag = process.argv.indexOf('--webgpu-adapter');
  const value = flag >= 0 ? process.argv[flag + 1] : undefined;
  if (value !== undefined && !(WEBGPU_ADAPTER_CHOICES as readonly string[]).includes(value)) {
    throw new Error(`--webgpu-adapter must be one of ${WEBGPU_ADAPTER_CHOICES.join(', ')}`);
  }
  const adapter = (value as WebGpuAdapterChoice | undefined) ?? adapterFromEnvironment();
  if (process.argv.includes('--dispatch-cost-only')) {
    // Re-measure only the per-dispatch cost into the last report (its rows can take an hour on SwiftShader).
    const report = await addDispatchCost(`${RESULTS}throughput-node-webgpu.json`, adapter);
    writeFileSync(`${RESULTS}throughput-node-webgpu.json`, JSON.stringify(report, null, 1) + '\n');
    writeFileSync(`${RESULTS}throughput-node-webgpu.md`, nodeWebGpuMarkdown(report, report.command));
    console.log('\nupdated bench/results/throughput-node-webgpu.md, throughput-node-webgpu.json');
    process.exit(0);
  }
  const report = await benchNodeWebGpu(
    adapter,
    LIMITS,
    `npm run bench:throughput -- ${process.argv.slice(2).join(' ')}`,
  );
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(`${RESULTS}throughput-node-webgpu.json`, JSON.stringify(report, null, 1) + '\n');
  writeFileSync(`${RESULTS}throughput-node-webgpu.md`, nodeWebGpuMarkdown(report, report.command));
  console.log('\nwrote bench/results/throughput-node-webgpu.md, throughput-node-webgpu.json');
  // Dawn's device keeps the event loop alive.
  process.exit(report.webgpuError ? 2 : 0);
}

async function main(): Promise<void> {
  if (process.argv.includes('--node-webgpu')) return mainNodeWebGpu();
  const nodeOnly = process.argv.includes('--node');
  const browserOnly = process.argv.includes('--browser');
  const withScaling = !process.argv.includes('--no-scaling');
  const rows: Row[] = [];
  const torch: TorchResult[] = [];
  const shares: EvaluationShare[] = [];
  const scaling: ScalingPoint[] = [];
  const loadBefore = load1();
  let chromiumVersion = 'not run';
  let race: RaceThroughput | null = null;
  if (!browserOnly) {
    rows.push(...(await benchNode(torch)));
    await createTfHost().activate('wasm');
    shares.push(await evaluationShare('mlp', QUICK ? 300 : 1000, false));
    shares.push(await evaluationShare('classic', 5000, true));
    for (const share of shares)
      console.log(
        `evaluation ${share.preset.padEnd(8)} ${share.evaluations} evaluations in ${share.steps} steps: ${((100 * share.evaluationMs) / share.trainingMs).toFixed(1)}% of training time`,
      );
    if (withScaling) scaling.push(...(await scalingNode()));
  }
  if (!nodeOnly) {
    const browser = await benchBrowser(withScaling);
    rows.push(...browser.rows);
    scaling.push(...browser.scaling);
    chromiumVersion = browser.browserVersion;
    race = browser.race;
  }
  const meta = {
    date: new Date().toISOString().slice(0, 10),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: String(os.cpus().length),
    node: process.version,
    chromium: chromiumVersion,
    // The machine may be shared: a 1-minute load average above the core count means inflated timings.
    load: `${loadBefore.toFixed(1)} → ${load1().toFixed(1)}`,
    quick: String(QUICK),
  };
  const report: Report = { meta, rows, torch, shares, scaling, race };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(`${RESULTS}throughput.json`, JSON.stringify({ ...report, limits: LIMITS }, null, 1) + '\n');
  writeFileSync(`${RESULTS}throughput.md`, markdown(report));
  if (scaling.length > 0) writeFileSync(`${RESULTS}throughput-scaling.svg`, scalingSvg(scaling));
  console.log(
    `\nwrote bench/results/throughput.md, throughput.json${scaling.length > 0 ? ', throughput-scaling.svg' : ''}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
