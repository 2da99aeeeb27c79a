/**
 * throughput.md from the measurements of `npm run bench:throughput` (bench/throughput.ts): per backend, what one
 * step asks of it, where a wasm step's time goes, PyTorch beside the lab, evaluation's share, race lanes, scaling.
 */
import type { BackendName } from '../src/engine/backend';
import type { PresetName } from '../src/engine/presets';
import type { StepTiming, TimingLimits } from '../src/engine/backendChoice';
import type { StepProfile } from '../src/harness/stepProfile';
import type { EvaluationShare } from './evaluationShare';
import { kernelTimeByGroup, type KernelShare } from './kernelTime';
import { formatMs } from './lib/format';
import type { TorchModel } from './lib/torchReference';
import { raceVerdict, type RaceThroughput } from './race';
import { scalingLimits, scalingMarkdown, type ScalingPoint } from './throughputScaling';

/** The presets measured on every backend; PyTorch has a reference model for each. */
export type ThroughputPreset = Extract<PresetName, TorchModel>;

export interface Row extends StepTiming {
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

export function describe(row: Row): string {
  if (row.error) return `error: ${row.error.slice(0, 80)}`;
  if (row.cappedAtMs) return `> ${formatMs(row.cappedAtMs)} (first step unfinished; stopped)`;
  if (row.steps === 0) return `≥ ${formatMs(row.firstStepMs)} (first step only)`;
  return `${formatMs(row.msPerStep)} (${row.steps} steps; first ${formatMs(row.firstStepMs)})`;
}

export interface TorchResult {
  preset: PresetName;
  msPerStep: number;
  cpuMsPerStep: number;
  steps: number;
  load: number;
}

function cell(row: Row | undefined): string {
  if (!row) return '—';
  return row.steps > 0
    ? `**${formatMs(row.msPerStep)}** (${row.steps} / ${formatMs(row.firstStepMs)})`
    : describe(row);
}

function perStep(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits);
}

export interface Report {
  meta: Record<string, string>;
  rows: Row[];
  torch: TorchResult[];
  shares: EvaluationShare[];
  scaling: ScalingPoint[];
  race: RaceThroughput | null;
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
      `${formatMs(groups.get(name) ?? 0)} (${((100 * (groups.get(name) ?? 0)) / total).toFixed(0)}%)`;
    const largest = byName
      .slice(0, 5)
      .map((share) => `${share.name} ${share.ms.toFixed(1)}`)
      .join(', ');
    const reference = torch.find((t) => t.preset === row.preset);
    lines.push(
      `| ${row.preset} | ${formatMs(total)} | ${group('matrix products')} | ${group('data movement')} | ${group('elementwise and reductions')} | ${largest} | ${reference ? formatMs(reference.cpuMsPerStep) : '—'} |`,
    );
  }
  return lines;
}

/** What the report says about how it was measured: bench/throughput.ts's settings for this invocation. */
export interface ReportSettings {
  quick: boolean;
  limits: TimingLimits;
  hardCapMs: number;
  profileSteps: number;
  presets: readonly ThroughputPreset[];
}

/** throughput.md. */
export function throughputMarkdown(report: Report, settings: ReportSettings): string {
  const { rows, meta, torch, shares, scaling, race } = report;
  const { quick, limits, hardCapMs, profileSteps, presets } = settings;
  const keys = [...new Set(rows.map((row) => `${row.where}|${row.backend}|${row.variant}`))];
  const lines = [
    '# Training throughput per backend',
    '',
    `Generated by \`npm run bench:throughput${quick ? ' -- --quick' : ''}\` on ${meta.date}: ${meta.cpu}, ${meta.cores} cores; Node ${meta.node}; Chromium ${meta.chromium}.`,
    `1-minute load average ${meta.load} (start → end); above ${meta.cores} the machine was shared and wall timings are inflated — the per-row load is in each table.`,
    '',
    'ms per full-batch training step (forward + backward + AdamW), mean over the timed steps after the first;',
    'in brackets: steps timed / first step (shader compilation, allocation). Limits: ' +
      `${limits.maxSteps} steps or ${limits.maxMs / 1000} s after the first; a first step over ${limits.maxFirstStepMs / 1000} s is reported alone ("≥");` +
      ` in the browser a measurement is stopped after ${hardCapMs / 1000} s (">").`,
    'Each browser row is a fresh worker whose JavaScript is still being compiled, while Node runs in a process that has',
    'already trained: this table is not a page-against-Node comparison (for that, warm against warm: `npx tsx',
    'bench/pageVsNode.ts`, bench/results/kernel-tax/page-vs-node.md).',
    '`classic`: 1-layer transformer, (a+b) mod 97, 30% train (2 823 rows), d 128, 4 heads, MLP 512.',
    '`mlp`: (a+b) mod 31, 70% train (673 rows), embeddings 2×64 → 256 ReLU → 31.',
    '',
    '| where | backend | variant | device | classic | mlp | load |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const key of keys) {
    const [where, backend, variant] = key.split('|');
    const mine = rows.filter((r) => `${r.where}|${r.backend}|${r.variant}` === key);
    const cells = presets.map((preset) => cell(mine.find((r) => r.preset === preset)));
    const device = mine[0]?.device ?? '';
    lines.push(
      `| ${where} | ${backend} | ${variant} | ${device} | ${cells.join(' | ')} | ${mine.map((r) => r.load.toFixed(1)).join(', ')} |`,
    );
  }
  lines.push(
    '',
    '## What one step asks of the backend',
    '',
    `Counted over ${profileSteps} steps after the timed ones (src/harness/stepProfile.ts): tfjs kernels (engine.runKernel, gradients included),`,
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
        `| ${reference.preset} | ${formatMs(lab.msPerStep)} | ${formatMs(lab.cpuMsPerStep ?? NaN)} | ${formatMs(reference.msPerStep)} | ${formatMs(reference.cpuMsPerStep)} | ${(lab.msPerStep / reference.msPerStep).toFixed(2)}× | ${((lab.cpuMsPerStep ?? NaN) / reference.cpuMsPerStep).toFixed(2)}× | ${lab.load.toFixed(1)} / ${reference.load.toFixed(1)} |`,
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
        `| ${share.preset}${share.simulated ? ' (simulated)' : ''} | ${share.steps} | ${share.evaluations} | ${formatMs(share.evaluationMsEach)} | ${formatMs(share.stepMs)} | ${(share.evaluationMsEach / share.stepMs).toFixed(1)} | ${((100 * share.evaluationMs) / share.trainingMs).toFixed(1)}% | ${share.load.toFixed(1)} |`,
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
  lines.push('', ...scalingMarkdown(scaling, scalingLimits(quick)));
  return lines.join('\n') + '\n';
}
