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
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { profileKernelTime } from './kernelTime';
import { measureRace, raceVerdict, type RaceThroughput } from './race';
import { openBrowserSession } from './browserSession';
import type { BackendName } from '../src/engine/backend';
import { resolveConfig } from '../src/engine/config';
import { initNodeBackend } from '../src/engine/node';
import { PRESETS, type PresetName } from '../src/engine/presets';
import { Trainer } from '../src/engine/trainer';
import { timeSteps, type TimingLimits } from '../src/engine/backendChoice';
import { createTfHost } from '../src/engine/tfHost';
import type { BenchResult } from '../src/harness/bench.worker';
import { profileSteps } from '../src/harness/stepProfile';
import { addDispatchCost, benchNodeWebGpu, nodeWebGpuMarkdown } from './nodeWebgpu';
import {
  adapterFromEnvironment,
  WEBGPU_ADAPTER_CHOICES,
  type WebGpuAdapterChoice,
} from '../src/engine/nodeWebgpu';
import { evaluationShare, type EvaluationShare } from './evaluationShare';
import {
  throughputMarkdown,
  describe,
  type Report,
  type Row,
  type ThroughputPreset,
  type TorchResult,
} from './throughputReport';
import { flagValue } from './lib/flags';
import { formatMs } from './lib/format';
import { load1, loadSpan, machine } from './lib/machine';
import { writeResultPair } from './lib/resultFiles';
import { runTorchReference, torchAvailable } from './lib/torchReference';
import {
  scalingCases,
  scalingLimits,
  scalingNode,
  scalingSvg,
  trainRows,
  type ScalingPoint,
} from './throughputScaling';
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
const PRESET_NAMES: ThroughputPreset[] = ['classic', 'mlp'];
const PORT = 4175;
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));

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

function configOf(preset: PresetName): unknown {
  return PRESETS[preset].config;
}

function log(row: Row): void {
  const timing = row.error ? `error: ${row.error}` : `${describe(row)}`;
  console.log(
    `${row.where.padEnd(15)} ${row.backend.padEnd(6)} ${row.variant.padEnd(20).slice(0, 20)} ${row.preset.padEnd(7)} ${timing}`,
  );
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
            `${'pytorch cpu'.padEnd(15)} 1 thread ${preset.padEnd(7)} ${formatMs(reference.msPerStep)} wall, ${formatMs(reference.cpuMsPerStep)} CPU` +
              ` → lab/PyTorch ${(lab.msPerStep / reference.msPerStep).toFixed(2)}× wall, ${((lab.cpuMsPerStep ?? NaN) / reference.cpuMsPerStep).toFixed(2)}× CPU`,
          );
        }
      }
    }
  }
  return rows;
}

let torchSkipReported = false;

/** bench/torch_reference.py on Debian's interpreter, 1 thread (BLAS included); null when torch is missing. */
function runTorch(preset: ThroughputPreset): TorchResult | null {
  if (process.argv.includes('--no-torch')) return null;
  if (!torchAvailable()) {
    if (!torchSkipReported) console.log('PyTorch reference skipped: /usr/bin/python3 cannot import torch');
    torchSkipReported = true;
    return null;
  }
  const steps = preset === 'classic' ? (QUICK ? 5 : 10) : QUICK ? 20 : 50;
  const load = load1();
  const { msPerStep, cpuMsPerStep } = runTorchReference(preset, steps, 1);
  return { preset, msPerStep, cpuMsPerStep, steps, load };
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
            result = await measure(item.config, backend, scalingLimits(QUICK), {}, capMs, 0);
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
            `scaling ${where.padEnd(16)} ${item.series.padEnd(24)} ${String(item.value).padEnd(4)} ${point.msPerStep === null ? `— (${note})` : formatMs(point.msPerStep)}`,
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

/** `--node-webgpu`: the Node WebGPU rows alone, in their own report (a GPU machine runs just this). */
async function mainNodeWebGpu(): Promise<void> {
  const value = flagValue(process.argv, '--webgpu-adapter');
  if (value !== undefined && !(WEBGPU_ADAPTER_CHOICES as readonly string[]).includes(value)) {
    throw new Error(`--webgpu-adapter must be one of ${WEBGPU_ADAPTER_CHOICES.join(', ')}`);
  }
  const adapter = (value as WebGpuAdapterChoice | undefined) ?? adapterFromEnvironment();
  if (process.argv.includes('--dispatch-cost-only')) {
    // Re-measure only the per-dispatch cost into the last report (its rows can take an hour on SwiftShader).
    const report = await addDispatchCost(`${RESULTS}throughput-node-webgpu.json`, adapter);
    writeResultPair(RESULTS, 'throughput-node-webgpu', report, nodeWebGpuMarkdown(report, report.command));
    console.log('\nupdated bench/results/throughput-node-webgpu.md, throughput-node-webgpu.json');
    process.exit(0);
  }
  const report = await benchNodeWebGpu(
    adapter,
    LIMITS,
    `npm run bench:throughput -- ${process.argv.slice(2).join(' ')}`,
  );
  writeResultPair(RESULTS, 'throughput-node-webgpu', report, nodeWebGpuMarkdown(report, report.command));
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
    if (withScaling) scaling.push(...(await scalingNode(scalingLimits(QUICK))));
  }
  if (!nodeOnly) {
    const browser = await benchBrowser(withScaling);
    rows.push(...browser.rows);
    scaling.push(...browser.scaling);
    chromiumVersion = browser.browserVersion;
    race = browser.race;
  }
  const { cpu, cores, node } = machine();
  const meta = {
    date: new Date().toISOString().slice(0, 10),
    cpu,
    cores: String(cores),
    node,
    chromium: chromiumVersion,
    // The machine may be shared: a 1-minute load average above the core count means inflated timings.
    load: loadSpan(loadBefore),
    quick: String(QUICK),
  };
  const report: Report = { meta, rows, torch, shares, scaling, race };
  writeResultPair(
    RESULTS,
    'throughput',
    { ...report, limits: LIMITS },
    throughputMarkdown(report, {
      quick: QUICK,
      limits: LIMITS,
      hardCapMs: HARD_CAP_MS,
      profileSteps: PROFILE_STEPS,
      presets: PRESET_NAMES,
    }),
  );
  if (scaling.length > 0) writeFileSync(`${RESULTS}throughput-scaling.svg`, scalingSvg(scaling));
  console.log(
    `\nwrote bench/results/throughput.md, throughput.json${scaling.length > 0 ? ', throughput-scaling.svg' : ''}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
