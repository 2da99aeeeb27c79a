/**
 * The results of `bash bench/gpu.sh` (a lent GPU machine, no network): the shapes each part of bench/gpu.ts writes,
 * the argument parser of its CLI, and the merge of the parts into one results file with a short markdown. Pure: no
 * tfjs, no file system, so the report can be checked without a GPU.
 */
import { z } from 'zod';

export const GPU_BACKENDS = ['wasm', 'webgpu'] as const;
export type GpuBenchBackend = (typeof GPU_BACKENDS)[number];
export const GPU_MODES = ['adapter', 'throughput', 'grok', 'report'] as const;
export type GpuBenchMode = (typeof GPU_MODES)[number];
/** The presets measured per step (the lab's three everyday models) and the one grokked. */
export const THROUGHPUT_PRESETS = ['mlp', 'fastTransformer', 'classic'] as const;
export const GROK_PRESET = 'fastTransformer';

export const USAGE = [
  'usage: node gpu.mjs adapter --out FILE [--label TEXT]',
  '       node gpu.mjs throughput --backend wasm|webgpu --out FILE [--quick]',
  '       node gpu.mjs grok --backend wasm|webgpu --out FILE [--quick] [--limit-s SECONDS]',
  '       node gpu.mjs report --dir DIR        (DIR/parts/*.json → DIR/results.json, DIR/results.md)',
].join('\n');

export interface GpuBenchArgs {
  mode: GpuBenchMode;
  backend: GpuBenchBackend;
  out: string | null;
  dir: string | null;
  label: string;
  quick: boolean;
  /** grok: stop after this much wall time (the part's own timeout kills it a little later). */
  limitSeconds: number;
}

/** Parses the CLI of bench/gpu.ts; throws an Error whose message says what is wrong, with the usage. */
export function parseGpuBenchArgs(argv: readonly string[]): GpuBenchArgs {
  const [mode, ...rest] = argv;
  const fail = (why: string): never => {
    throw new Error(`${why}\n${USAGE}`);
  };
  if (mode === undefined || !(GPU_MODES as readonly string[]).includes(mode)) {
    fail(`the first argument must be one of ${GPU_MODES.join(', ')}${mode ? `, not "${mode}"` : ''}`);
  }
  const args: GpuBenchArgs = {
    mode: mode as GpuBenchMode,
    backend: 'wasm',
    out: null,
    dir: null,
    label: 'default',
    quick: false,
    limitSeconds: 100,
  };
  let backendGiven = false;
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    const value = (): string => {
      const next = rest[++i];
      if (next === undefined || next.startsWith('--')) fail(`${flag} needs a value`);
      return next!;
    };
    if (flag === '--backend') {
      const backend = value();
      if (!(GPU_BACKENDS as readonly string[]).includes(backend)) {
        fail(`--backend must be one of ${GPU_BACKENDS.join(', ')}, not "${backend}"`);
      }
      args.backend = backend as GpuBenchBackend;
      backendGiven = true;
    } else if (flag === '--out') args.out = value();
    else if (flag === '--dir') args.dir = value();
    else if (flag === '--label') args.label = value();
    else if (flag === '--quick') args.quick = true;
    else if (flag === '--limit-s') {
      const text = value();
      const seconds = Number(text);
      if (!Number.isFinite(seconds) || seconds <= 0)
        fail(`--limit-s must be a positive number of seconds, not "${text}"`);
      args.limitSeconds = seconds;
    } else fail(`unknown argument "${flag}"`);
  }
  if (args.mode === 'report' ? args.dir === null : args.out === null) {
    fail(`${args.mode} needs ${args.mode === 'report' ? '--dir DIR' : '--out FILE'}`);
  }
  if ((args.mode === 'throughput' || args.mode === 'grok') && !backendGiven)
    fail(`${args.mode} needs --backend`);
  return args;
}

const Adapter = z.object({
  adapter: z.enum(['system', 'swiftshader']),
  description: z.string(),
  software: z.boolean(),
});
export type GpuAdapter = z.infer<typeof Adapter>;

/** `adapter`: one try at getting a WebGPU adapter under one Vulkan setup (gpu.sh tries several). */
export const AdapterProbe = z.object({
  label: z.string(),
  adapter: Adapter.nullable(),
  error: z.string().nullable(),
  /** The Vulkan variables the process saw (VK_ICD_FILENAMES, VK_DRIVER_FILES, LD_LIBRARY_PATH). */
  env: z.record(z.string(), z.string()),
});
export type AdapterProbe = z.infer<typeof AdapterProbe>;

const Profile = z.object({
  kernelsPerStep: z.number(),
  dispatchesPerStep: z.number().nullable(),
  issueMsPerStep: z.number(),
  settleMsPerStep: z.number(),
  idleReadbackMs: z.number(),
});

/** JSON turns NaN into null: a measurement that failed reads back as null. */
const MaybeNumber = z.number().nullable();

export const ThroughputRow = z.object({
  case: z.string(),
  variant: z.string(),
  backend: z.enum(GPU_BACKENDS),
  msPerStep: MaybeNumber,
  firstStepMs: MaybeNumber,
  steps: z.number(),
  cpuMsPerStep: MaybeNumber,
  profile: Profile.nullable(),
  trainRows: z.number(),
  load: z.number(),
  error: z.string().optional(),
});
export type ThroughputRow = z.infer<typeof ThroughputRow>;

export const DispatchCost = z.object({
  dispatches: z.number(),
  issueUs: z.number(),
  issueCpuUs: z.number().nullable(),
  totalUs: z.number(),
});

const Machine = z.object({ cpu: z.string(), cores: z.number(), node: z.string() });

export const ThroughputPart = z.object({
  kind: z.literal('throughput'),
  backend: z.enum(GPU_BACKENDS),
  machine: Machine,
  adapter: Adapter.nullable(),
  /** Why WebGPU did not start (then there are no rows). */
  error: z.string().nullable(),
  dispatchCost: DispatchCost.nullable(),
  limits: z.object({ maxSteps: z.number(), maxMs: z.number(), maxFirstStepMs: z.number() }),
  rows: z.array(ThroughputRow),
});
export type ThroughputPart = z.infer<typeof ThroughputPart>;

export const GrokPart = z.object({
  kind: z.literal('grok'),
  backend: z.enum(GPU_BACKENDS),
  machine: Machine,
  preset: z.string(),
  seed: z.number(),
  adapter: Adapter.nullable(),
  /** First evaluated step with test accuracy ≥ grokThreshold (the lab's definition), or null. */
  grokStep: z.number().nullable(),
  grokThreshold: z.number(),
  /** Wall seconds from the trainer's creation to that evaluation (first-step compilation included). */
  wallSecondsToGrok: z.number().nullable(),
  memorizeStep: z.number().nullable(),
  stepsRun: z.number(),
  wallSeconds: z.number(),
  trainingSeconds: z.number(),
  evaluations: z.number(),
  evaluationSeconds: z.number(),
  finalTrainAccuracy: MaybeNumber,
  finalTestAccuracy: MaybeNumber,
  stoppedBecause: z.string(),
  error: z.string().nullable(),
});
export type GrokPart = z.infer<typeof GrokPart>;

/** What gpu.sh writes beside each part: how its process ended. */
export const PartStatus = z.object({
  part: z.string(),
  rc: z.number(),
  seconds: z.number(),
  limitSeconds: z.number(),
  /** Set when the part was not started (no adapter, no time left). */
  skipped: z.string().optional(),
});
export type PartStatus = z.infer<typeof PartStatus>;

export interface GpuResults {
  date: string;
  command: string;
  machine: { cpu: string; cores: number; node: string };
  /** `nvidia-smi --query-gpu=name,driver_version,memory.total` as gpu.sh read it ('' where there is none). */
  gpu: string;
  /** gpu.sh's notes on the Vulkan setup (loaders found or unpacked, ICD files). */
  vulkan: string;
  totalSeconds: number | null;
  adapterProbes: AdapterProbe[];
  /** The probe whose setup the webgpu parts ran under (the first with a hardware adapter), or null. */
  adapter: AdapterProbe | null;
  throughput: ThroughputPart[];
  grok: GrokPart[];
  parts: PartStatus[];
  /** Files that did not parse (their name and why). */
  unreadable: string[];
}

/** One file of gpu.sh's parts folder, by name; `text` its content. */
export interface PartFile {
  name: string;
  text: string;
}

/** Exit status `timeout` gives a process it killed (124, or 128+9 after -k). */
const TIMED_OUT = new Set([124, 137]);

/** Merges the part files gpu.sh left (adapter-*.json, throughput-*.json, grok-*.json, *.status.json, *.txt). */
export function mergeParts(
  files: readonly PartFile[],
  meta: Pick<GpuResults, 'date' | 'command' | 'machine'>,
): GpuResults {
  const results: GpuResults = {
    ...meta,
    gpu: '',
    vulkan: '',
    totalSeconds: null,
    adapterProbes: [],
    adapter: null,
    throughput: [],
    grok: [],
    parts: [],
    unreadable: [],
  };
  const sorted = [...files].sort((a, b) => a.name.localeCompare(b.name));
  for (const { name, text } of sorted) {
    if (name === 'nvidia-smi.txt') results.gpu = text.trim();
    else if (name === 'vulkan.txt') results.vulkan = text.trim();
    else if (name === 'total-seconds.txt') results.totalSeconds = Number(text.trim()) || null;
    if (!name.endsWith('.json')) continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      results.unreadable.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const schema = name.endsWith('.status.json')
      ? PartStatus
      : name.startsWith('adapter')
        ? AdapterProbe
        : name.startsWith('throughput')
          ? ThroughputPart
          : name.startsWith('grok')
            ? GrokPart
            : null;
    if (schema === null) continue;
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      results.unreadable.push(`${name}: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}`);
      continue;
    }
    if (schema === PartStatus) results.parts.push(parsed.data as PartStatus);
    else if (schema === AdapterProbe) results.adapterProbes.push(parsed.data as AdapterProbe);
    else if (schema === ThroughputPart) results.throughput.push(parsed.data as ThroughputPart);
    else results.grok.push(parsed.data as GrokPart);
  }
  results.adapter =
    results.adapterProbes.find((probe) => probe.adapter && !probe.adapter.software) ??
    results.adapterProbes.find((probe) => probe.adapter) ??
    null;
  return results;
}

const fmtMs = (value: number | null | undefined): string =>
  value === null || value === undefined || !Number.isFinite(value)
    ? '—'
    : value >= 1000
      ? `${(value / 1000).toFixed(2)} s`
      : `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} ms`;

const fmtSeconds = (value: number | null): string => (value === null ? '—' : `${value.toFixed(1)} s`);

function partNote(status: PartStatus): string {
  if (status.skipped) return `not run: ${status.skipped}`;
  if (TIMED_OUT.has(status.rc)) return `**killed at its ${status.limitSeconds} s limit**`;
  return status.rc === 0 ? 'ok' : `exit ${status.rc}`;
}

function adapterLine(results: GpuResults): string {
  const { adapter } = results;
  if (adapter?.adapter && !adapter.adapter.software) {
    return `WebGPU adapter: **${adapter.adapter.description}** (Vulkan setup "${adapter.label}").`;
  }
  const tries = results.adapterProbes
    .map(
      (probe) =>
        `"${probe.label}": ${probe.adapter ? probe.adapter.description : (probe.error ?? 'no adapter')}`,
    )
    .join('; ');
  if (adapter?.adapter) {
    return `WebGPU adapter: ${adapter.adapter.description} — **a software adapter (CPU emulation), no GPU adapter was found**: its WebGPU timings say nothing about a GPU. Tries: ${tries}.`;
  }
  return `**No WebGPU adapter**: the webgpu parts did not run; only wasm was measured. Tries: ${tries || 'none'}.`;
}

/** The short markdown beside results.json. */
export function gpuMarkdown(results: GpuResults): string {
  const lines = [
    '# Grok Lab on a GPU machine: Node WebGPU (Dawn) and wasm',
    '',
    `\`${results.command}\` on ${results.date}: GPU ${results.gpu || 'none found (nvidia-smi gave nothing)'}; ${results.machine.cpu}, ${results.machine.cores} cores; Node ${results.machine.node}${results.totalSeconds !== null ? `; ${results.totalSeconds} s in all` : ''}.`,
    '',
    adapterLine(results),
  ];
  const rows = results.throughput.flatMap((part) => part.rows);
  const cases = [...new Set(rows.map((row) => row.case))];
  if (cases.length > 0) {
    const variants = [...new Set(rows.map((row) => `${row.backend}|${row.variant}`))];
    const cell = (row: ThroughputRow | undefined): string =>
      !row ? '—' : row.error ? `error: ${row.error.slice(0, 60)}` : fmtMs(row.msPerStep);
    lines.push(
      '',
      '## ms per training step (full batch: forward, backward, AdamW)',
      '',
      `| case | ${variants.map((v) => v.replace('|', ', ')).join(' | ')} | webgpu ÷ wasm | GPU dispatches/step | webgpu first step |`,
      `|---|${variants.map(() => '---').join('|')}|---|---|---|`,
    );
    for (const name of cases) {
      const of = (variant: string): ThroughputRow | undefined =>
        rows.find((row) => row.case === name && `${row.backend}|${row.variant}` === variant);
      const wasm = of('wasm|default');
      const gpu = of('webgpu|default');
      const ratio =
        wasm?.msPerStep && gpu?.msPerStep && !wasm.error && !gpu.error
          ? `${(gpu.msPerStep / wasm.msPerStep).toFixed(2)}×`
          : '—';
      lines.push(
        `| ${name} | ${variants.map((v) => cell(of(v))).join(' | ')} | ${ratio} | ${gpu?.profile?.dispatchesPerStep?.toFixed(1) ?? '—'} | ${fmtMs(gpu?.firstStepMs)} |`,
      );
    }
    const cost = results.throughput.find((part) => part.dispatchCost)?.dispatchCost;
    if (cost) {
      lines.push(
        '',
        `One WebGPU dispatch (an add of 4 096 floats already on the GPU, ${cost.dispatches} back to back): ${cost.issueUs.toFixed(1)} µs to issue${cost.issueCpuUs !== null ? ` (${cost.issueCpuUs.toFixed(1)} µs of the JavaScript thread's CPU)` : ''}, ${cost.totalUs.toFixed(1)} µs with its execution.`,
      );
    }
    const errors = results.throughput.filter((part) => part.error);
    for (const part of errors) lines.push('', `${part.backend}: not measured — ${part.error}`);
  }
  if (results.grok.length > 0) {
    lines.push(
      '',
      `## ${results.grok[0]!.preset} preset to ${Math.round(100 * results.grok[0]!.grokThreshold)}% test accuracy`,
      '',
      '| backend | seed | grokked at step | wall to grok | memorized at step | steps run | ms/step (training) | evaluations (time) | final test accuracy | stopped |',
      '|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const run of results.grok) {
      const msPerStep = run.stepsRun > 0 ? (1000 * run.trainingSeconds) / run.stepsRun : null;
      lines.push(
        `| ${run.backend} | ${run.seed} | ${run.grokStep ?? 'not reached'} | ${fmtSeconds(run.wallSecondsToGrok)} | ${run.memorizeStep ?? '—'} | ${run.stepsRun} | ${fmtMs(msPerStep)} | ${run.evaluations} (${fmtSeconds(run.evaluationSeconds)}) | ${run.finalTestAccuracy === null ? '—' : `${(100 * run.finalTestAccuracy).toFixed(1)}%`} | ${run.error ? `error: ${run.error.slice(0, 60)}` : run.stoppedBecause} |`,
      );
    }
  }
  lines.push('', '## Parts', '', '| part | result | seconds | limit |', '|---|---|---|---|');
  for (const status of results.parts) {
    lines.push(`| ${status.part} | ${partNote(status)} | ${status.seconds} | ${status.limitSeconds} |`);
  }
  for (const problem of results.unreadable) lines.push('', `Unreadable part file: ${problem}`);
  if (results.vulkan) lines.push('', '## Vulkan setup', '', '```', results.vulkan, '```');
  return lines.join('\n') + '\n';
}
