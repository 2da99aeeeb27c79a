/**
 * Node WebGPU rows of `npm run bench:throughput -- --node-webgpu [--webgpu-adapter swiftshader] [--quick]`:
 * ms per full-batch step of the mlp preset, the small 1-layer transformer of DESIGN §4c and the classic preset on
 * WebGPU through Dawn (src/engine/nodeWebgpu.ts), beside Node wasm measured back to back in the same process,
 * with GPU dispatches, kernels and read-backs per step (src/harness/stepProfile.ts). Where no real GPU is
 * available it also gives what a dispatch-bound step would cost on one: dispatches × a per-dispatch overhead.
 * Writes bench/results/throughput-node-webgpu.{md,json} (the main throughput report is left alone).
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../src/engine/backend';
import { resolveConfig, type Config, type DeepPartial } from '../src/engine/config';
import { initNodeBackend, startNodeBackend, type WebGpuAdapterChoice } from '../src/engine/node';
import type { NodeWebGpuInfo } from '../src/engine/nodeWebgpu';
import { PRESETS } from '../src/engine/presets';
import { Trainer } from '../src/engine/trainer';
import { timeSteps, type StepTiming, type TimingLimits } from '../src/engine/backendChoice';
import { profileSteps, type StepProfile } from '../src/harness/stepProfile';
import { load1, machine } from './lib/machine';

/** DESIGN §4c's CPU-sized transformer: groks (a+b) mod 31 at step 793 (seed 0), ≈ 35 ms/step on a quiet core. */
export const SMALL_TRANSFORMER: DeepPartial<Config> = {
  task: { modulus: 31, trainFraction: 0.7 },
  model: { kind: 'transformer', layers: 1, dModel: 64, heads: 4, dMlp: 256 },
  optimizer: { lr: 3e-3, warmupSteps: 0 },
};

export const NODE_GPU_CASES: { name: string; config: DeepPartial<Config> }[] = [
  { name: 'mlp', config: PRESETS.mlp.config },
  { name: 'small transformer', config: SMALL_TRANSFORMER },
  { name: 'classic', config: PRESETS.classic.config },
];

/**
 * Assumed fixed cost per dispatch on a real GPU, in µs: a tfjs-webgpu kernel's JavaScript (program lookup, bind
 * group, uniforms) plus Dawn's command encoding and validation. An assumption to be replaced by a measurement on
 * a GPU machine; the report also gives the CPU-side issue time per dispatch measured here, which bounds it from
 * above on this CPU (it includes SwiftShader's compile and execution work competing for the same 2 cores).
 */
export const DISPATCH_OVERHEAD_US = { low: 5, high: 20 } as const;

export interface NodeGpuRow extends StepTiming {
  case: string;
  backend: BackendName;
  /** Process CPU time per step (all threads: Dawn's and SwiftShader's included). */
  cpuMsPerStep: number;
  profile: StepProfile | null;
  trainRows: number;
  load: number;
  error?: string;
}

/** CPU-side cost of one WebGPU dispatch in this process: tfjs's kernel code plus Dawn's encoding and submission. */
export interface DispatchCost {
  /** Elementwise adds of 4 096 floats already on the GPU (no CPU hand-off), issued back to back. */
  dispatches: number;
  /** Issue time per dispatch, µs of wall time (what the CPU spends; the GPU runs them asynchronously). */
  issueUs: number;
  /** The same in CPU time of the JavaScript thread alone (Linux; null elsewhere): steadier on a shared machine. */
  issueCpuUs: number | null;
  /** Issue plus the wait for all of them, per dispatch, µs (here: SwiftShader executing them on the CPU). */
  totalUs: number;
}

/** CPU ms of this process's main thread (Linux /proc; 10 ms ticks), or null. */
function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Times `count` tiny dispatches on the active WebGPU backend. */
export async function measureDispatchCost(count = 3000): Promise<DispatchCost> {
  const backend = tf.backend() as unknown as Record<string, unknown>;
  const original = backend.runWebGPUProgram as (...args: unknown[]) => unknown;
  let dispatches = 0;
  backend.runWebGPUProgram = function (this: unknown, ...args: unknown[]) {
    dispatches++;
    return original.apply(this, args);
  };
  const x = tf.tidy(() => tf.add(tf.ones([4096]), 1));
  try {
    for (let i = 0; i < 50; i++) tf.add(x, x).dispose();
    await tf.add(x, x).data();
    dispatches = 0;
    const cpuStarted = mainThreadCpuMs();
    const started = performance.now();
    for (let i = 0; i < count; i++) tf.add(x, x).dispose();
    const issued = performance.now();
    const cpuIssued = mainThreadCpuMs();
    const last = tf.add(x, x);
    await last.data();
    last.dispose();
    const done = performance.now();
    return {
      dispatches,
      issueUs: (1000 * (issued - started)) / count,
      issueCpuUs:
        cpuStarted === null || cpuIssued === null ? null : (1000 * (cpuIssued - cpuStarted)) / count,
      totalUs: (1000 * (done - started)) / (count + 1),
    };
  } finally {
    x.dispose();
    backend.runWebGPUProgram = original;
  }
}

export interface NodeGpuReport {
  command: string;
  dispatchCost: DispatchCost | null;
  /** When the dispatch cost was measured in a later run (--dispatch-cost-only): its date and load. */
  dispatchCostRun?: { date: string; load: number; repeats: DispatchCost[] };
  date: string;
  cpu: string;
  cores: number;
  node: string;
  adapterChoice: WebGpuAdapterChoice;
  adapter: NodeWebGpuInfo | null;
  /** Why WebGPU did not start (then only the wasm rows exist). */
  webgpuError: string | null;
  rows: NodeGpuRow[];
  loadBefore: number;
  loadAfter: number;
  limits: TimingLimits;
}

const PROFILE_STEPS = 2;

/** Times one model on the active backend (first step, then steps within `limits`) and profiles 2 more steps. */
export async function measureCase(
  name: string,
  config: DeepPartial<Config>,
  backend: BackendName,
  limits: TimingLimits,
): Promise<NodeGpuRow> {
  const resolved = resolveConfig(config);
  if (!resolved.ok) throw new Error(`${name}: invalid config`);
  const trainer = new Trainer(resolved.config);
  const load = load1();
  try {
    const cpuBefore = process.cpuUsage();
    const timing = await timeSteps(trainer, performance, limits);
    const cpu = process.cpuUsage(cpuBefore);
    // CPU over the first step and the timed ones; the first (compilation) counted as one more step.
    const cpuMsPerStep = (cpu.user + cpu.system) / 1000 / (timing.steps + 1);
    // Always profiled: after the first step's compilation even SwiftShader steps take seconds, not a minute.
    const profile = await profileSteps(trainer, PROFILE_STEPS);
    // A first step over the limit leaves no timed steps: then the profiled steps give the time per step.
    const steady =
      timing.steps > 0
        ? timing
        : { ...timing, msPerStep: profile.issueMsPerStep + profile.settleMsPerStep, steps: PROFILE_STEPS };
    return {
      case: name,
      backend,
      ...steady,
      cpuMsPerStep,
      profile,
      trainRows: trainer.trainingRowCount,
      load,
    };
  } catch (error) {
    return {
      case: name,
      backend,
      firstStepMs: NaN,
      msPerStep: NaN,
      steps: 0,
      cpuMsPerStep: NaN,
      profile: null,
      trainRows: 0,
      load,
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    trainer.dispose();
  }
}

function log(row: NodeGpuRow): void {
  const what = row.error
    ? `error: ${row.error}`
    : `${row.msPerStep.toFixed(1)} ms/step (${row.steps} steps, first ${row.firstStepMs.toFixed(0)} ms)` +
      (row.profile?.dispatchesPerStep != null ? `, ${row.profile.dispatchesPerStep} dispatches/step` : '') +
      `, load ${row.load.toFixed(1)}`;
  console.log(`node ${row.backend.padEnd(6)} ${row.case.padEnd(18)} ${what}`);
}

/** wasm rows first (the reference, back to back), then WebGPU; a WebGPU that cannot start is reported, not fatal. */
export async function benchNodeWebGpu(
  adapterChoice: WebGpuAdapterChoice,
  limits: TimingLimits,
  command: string,
): Promise<NodeGpuReport> {
  const loadBefore = load1();
  const rows: NodeGpuRow[] = [];
  await initNodeBackend('wasm');
  for (const { name, config } of NODE_GPU_CASES) {
    rows.push(await measureCase(name, config, 'wasm', limits));
    log(rows.at(-1)!);
  }
  let adapter: NodeWebGpuInfo | null = null;
  let webgpuError: string | null = null;
  let dispatchCost: DispatchCost | null = null;
  try {
    const started = await startNodeBackend('webgpu', { webgpuAdapter: adapterChoice });
    adapter = started.webgpu;
    console.log(`node webgpu: ${started.summary}`);
    dispatchCost = await measureDispatchCost();
    console.log(
      `node webgpu: one dispatch costs ${dispatchCost.issueUs.toFixed(1)} µs to issue (${dispatchCost.issueCpuUs?.toFixed(1) ?? '?'} µs CPU), ${dispatchCost.totalUs.toFixed(1)} µs with its execution`,
    );
    for (const { name, config } of NODE_GPU_CASES) {
      rows.push(await measureCase(name, config, 'webgpu', limits));
      log(rows.at(-1)!);
    }
  } catch (error) {
    webgpuError = error instanceof Error ? error.message : String(error);
    console.log(`node webgpu: not measured: ${webgpuError}`);
  }
  await initNodeBackend('wasm');
  return {
    command,
    date: new Date().toISOString().slice(0, 10),
    ...machine(),
    adapterChoice,
    adapter,
    webgpuError,
    dispatchCost,
    rows,
    loadBefore,
    loadAfter: load1(),
    limits,
  };
}

const fmt = (ms: number): string =>
  !Number.isFinite(ms)
    ? '—'
    : ms >= 1000
      ? `${(ms / 1000).toFixed(2)} s`
      : `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`;

/** ms per step of a dispatch-bound step: dispatches × overhead (GPU arithmetic of these sizes is µs per kernel). */
export function dispatchBoundMs(dispatchesPerStep: number, overheadUs: number): number {
  return (dispatchesPerStep * overheadUs) / 1000;
}

/**
 * `--dispatch-cost-only`: measures the per-dispatch cost (3 repeats, the lowest CPU cost kept) into a stored report.
 */
export async function addDispatchCost(
  path: string,
  adapterChoice: WebGpuAdapterChoice,
): Promise<NodeGpuReport> {
  const stored = JSON.parse(readFileSync(path, 'utf8')) as NodeGpuReport;
  await startNodeBackend('webgpu', { webgpuAdapter: adapterChoice });
  const load = load1();
  const repeats: DispatchCost[] = [];
  for (let i = 0; i < 3; i++) repeats.push(await measureDispatchCost());
  const best = repeats.reduce((a, b) => ((b.issueCpuUs ?? b.issueUs) < (a.issueCpuUs ?? a.issueUs) ? b : a));
  return {
    ...stored,
    command: stored.command ?? 'npm run bench:throughput -- --node-webgpu',
    dispatchCost: best,
    dispatchCostRun: { date: new Date().toISOString().slice(0, 10), load, repeats },
  };
}

export function nodeWebGpuMarkdown(report: NodeGpuReport, command: string): string {
  const { rows, adapter } = report;
  const lines = [
    '# Node WebGPU (Dawn) vs Node wasm',
    '',
    `Generated by \`${command}\` on ${report.date}: ${report.cpu}, ${report.cores} cores, Node ${report.node}.`,
    `1-minute load ${report.loadBefore.toFixed(1)} → ${report.loadAfter.toFixed(1)} (per row below); above ${report.cores} the machine was shared and wall times are inflated.`,
    adapter
      ? `WebGPU adapter: ${adapter.description}${adapter.software ? ' — **a software adapter (CPU emulation): these WebGPU timings say nothing about a GPU**' : ''}.`
      : `WebGPU: **not measured** — ${report.webgpuError ?? 'not started'}.`,
    `Timing: the first step alone (shader compilation), then up to ${report.limits.maxSteps} steps or ${report.limits.maxMs / 1000} s (a first step over ${report.limits.maxFirstStepMs / 1000} s is reported alone); counts over 2 further steps.`,
    '`mlp`: (a+b) mod 31, 70% train, 2×64 → 256 → 31. `small transformer`: (a+b) mod 31, 70% train, 1 layer, d 64, 4 heads, MLP 256, lr 3e-3, no warm-up (DESIGN §4c). `classic`: (a+b) mod 97, 30% train, 1 layer, d 128, MLP 512.',
    '',
    '| backend | case | train rows | ms/step | first step | CPU ms/step | kernels/step | GPU dispatches/step | async reads/step | issue ms/step | settle ms/step | load |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const p = row.profile;
    const cell = (value: number | null | undefined, digits = 1): string =>
      value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
    const msCell = row.error
      ? `error: ${row.error}`
      : row.steps === 0
        ? `≥ ${fmt(row.firstStepMs)} (first only)`
        : fmt(row.msPerStep);
    lines.push(
      `| ${row.backend} | ${row.case} | ${row.trainRows || '—'} | ${msCell} | ${fmt(row.firstStepMs)} | ${fmt(row.cpuMsPerStep)} | ${cell(p?.kernelsPerStep)} | ${cell(p?.dispatchesPerStep)} | ${cell(p?.asyncReadsPerStep)} | ${cell(p?.issueMsPerStep)} | ${cell(p?.settleMsPerStep)} | ${row.load.toFixed(1)} |`,
    );
  }
  const gpuRows = rows.filter((row) => row.backend === 'webgpu' && row.profile?.dispatchesPerStep);
  if (gpuRows.length > 0) {
    const { low, high } = DISPATCH_OVERHEAD_US;
    lines.push(
      '',
      '## What a real GPU would take (estimate, unmeasured here)',
      '',
      `These models are tiny for a GPU (the largest matrix product of \`classic\` is 2 823 × 512 × 128), so a step on a real GPU is bound by the fixed cost of each dispatch, not by arithmetic: estimate = dispatches/step × ${low}–${high} µs (an assumed per-dispatch cost of tfjs-webgpu's JavaScript plus Dawn's encoding and validation; see bench/nodeWebgpu.ts). Beside it: the CPU-side issue time per dispatch measured here, an upper bound on this CPU (SwiftShader competes for the same cores).`,
      '',
      report.dispatchCost
        ? `${report.dispatchCostRun ? `Measured on ${report.dispatchCostRun.date} by \`--node-webgpu --dispatch-cost-only\` (load ${report.dispatchCostRun.load.toFixed(1)}; lowest of ${report.dispatchCostRun.repeats.length}: ${report.dispatchCostRun.repeats.map((r) => `${(r.issueCpuUs ?? r.issueUs).toFixed(0)} µs`).join(', ')}): ` : 'Measured here: '}one tiny dispatch (an add of 4 096 floats already on the GPU, ${report.dispatchCost.dispatches - 1} back to back) takes ${report.dispatchCost.issueUs.toFixed(1)} µs of wall time to issue (tfjs + Dawn)${report.dispatchCost.issueCpuUs !== null ? `, ${report.dispatchCost.issueCpuUs.toFixed(1)} µs of the JavaScript thread's CPU time` : ''}, ${report.dispatchCost.totalUs.toFixed(1)} µs with SwiftShader executing it; the issue cost is what a GPU machine's CPU pays too (less on a faster, unshared core).`
        : '',
      '',
      `| case | dispatches/step | GPU estimate at ${low}–${high} µs per dispatch | GPU estimate at the issue cost measured here | issue time per dispatch in a SwiftShader step here | Node wasm here |`,
      '|---|---|---|---|---|---|',
    );
    for (const row of gpuRows) {
      const dispatches = row.profile!.dispatchesPerStep!;
      const wasm = rows.find((other) => other.backend === 'wasm' && other.case === row.case);
      lines.push(
        `| ${row.case} | ${dispatches.toFixed(1)} | ${dispatchBoundMs(dispatches, low).toFixed(1)}–${dispatchBoundMs(dispatches, high).toFixed(1)} ms | ${report.dispatchCost ? `${dispatchBoundMs(dispatches, report.dispatchCost.issueCpuUs ?? report.dispatchCost.issueUs).toFixed(1)} ms` : '—'} | ${((1000 * row.profile!.issueMsPerStep) / dispatches).toFixed(0)} µs | ${wasm ? fmt(wasm.msPerStep) : '—'} |`,
      );
    }
  }
  return lines.join('\n') + '\n';
}
