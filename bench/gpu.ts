/**
 * The parts of `bash bench/gpu.sh` (a lent GPU machine without network: it runs this file bundled by
 * bench/device/pack.sh, with a carried Node). Each part is its own process with its own timeout, so a hung
 * WebGPU part costs only its own time; each writes one JSON file (shapes: bench/gpuReport.ts).
 *
 *   node gpu.mjs adapter --out FILE [--label TEXT]          can Dawn get a WebGPU adapter here, and which
 *   node gpu.mjs throughput --backend wasm|webgpu --out FILE ms/step of mlp, fast transformer, classic
 *   node gpu.mjs grok --backend wasm|webgpu --out FILE       the fast transformer preset to 99% test accuracy
 *   node gpu.mjs report --dir DIR                            DIR/parts/* → DIR/results.{json,md}
 *
 * `--quick` (local checks on SwiftShader): mlp only, 2 timed steps; grok capped at 3 steps. The adapter is the
 * system's Vulkan driver unless GROK_WEBGPU_ADAPTER=swiftshader.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  GROK_PRESET,
  gpuMarkdown,
  mergeParts,
  parseGpuBenchArgs,
  THROUGHPUT_PRESETS,
  type AdapterProbe,
  type GpuBenchArgs,
  type GpuBenchBackend,
  type GrokPart,
  type ThroughputPart,
} from './gpuReport';
import { machine } from './lib/machine';
import { writeJson } from './lib/resultFiles';
import { measureCase, measureDispatchCost } from './nodeWebgpu';
import { memorizeStep } from './stats';
import { deepMerge, resolveConfig, type Config, type DeepPartial } from '../src/engine/config';
import { startNodeBackend } from '../src/engine/node';
import { adapterFromEnvironment, installNodeWebGpu, type NodeWebGpuInfo } from '../src/engine/nodeWebgpu';
import { PRESETS } from '../src/engine/presets';
import { runTraining } from '../src/engine/run';
import { Trainer } from '../src/engine/trainer';
import type { TimingLimits } from '../src/engine/backendChoice';

/** Enough timed steps for a steady mean on a GPU (ms steps), few enough for classic on wasm (≈ 0.3 s steps). */
const LIMITS: TimingLimits = { maxSteps: 300, maxMs: 5_000, maxFirstStepMs: 60_000 };
const QUICK_LIMITS: TimingLimits = { maxSteps: 2, maxMs: 1_000, maxFirstStepMs: 120_000 };
const QUICK_GROK_STEPS = 3;
/** The presets also measured with WebGPU's CPU hand-off of small ops turned off (DESIGN §4). */
const HANDOFF_OFF_PRESETS = new Set<string>(['mlp', 'fastTransformer']);
const VULKAN_VARIABLES = ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'LD_LIBRARY_PATH', 'GROK_WEBGPU_ADAPTER'];

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Starts the backend; for webgpu returns the adapter (throws WebGpuUnavailableError when there is none). */
async function start(backend: GpuBenchBackend): Promise<NodeWebGpuInfo | null> {
  const report = await startNodeBackend(backend, { webgpuAdapter: adapterFromEnvironment() });
  console.log(`${backend}: ${report.summary}`);
  return report.webgpu;
}

async function probeAdapter(args: GpuBenchArgs): Promise<AdapterProbe> {
  const env = Object.fromEntries(
    VULKAN_VARIABLES.filter((name) => process.env[name]).map((name) => [name, process.env[name]!]),
  );
  try {
    const adapter = await installNodeWebGpu({ adapter: adapterFromEnvironment() });
    console.log(`adapter (${args.label}): ${adapter.description}${adapter.software ? ' (software)' : ''}`);
    return { label: args.label, adapter, error: null, env };
  } catch (error) {
    console.log(`adapter (${args.label}): none — ${message(error)}`);
    return { label: args.label, adapter: null, error: message(error), env };
  }
}

async function throughput(args: GpuBenchArgs): Promise<ThroughputPart> {
  const limits = args.quick ? QUICK_LIMITS : LIMITS;
  const part: ThroughputPart = {
    kind: 'throughput',
    backend: args.backend,
    machine: machine(),
    adapter: null,
    error: null,
    dispatchCost: null,
    limits,
    rows: [],
  };
  try {
    part.adapter = await start(args.backend);
  } catch (error) {
    part.error = message(error);
    console.log(`${args.backend}: not measured — ${part.error}`);
    return part;
  }
  const presets = args.quick ? (['mlp'] as const) : THROUGHPUT_PRESETS;
  const variants: { name: string; flags: Record<string, number> }[] = [{ name: 'default', flags: {} }];
  if (args.backend === 'webgpu') {
    variants.push({ name: 'CPU hand-off off', flags: { WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD: 0 } });
  }
  for (const variant of variants) {
    for (const preset of presets) {
      if (variant.name !== 'default' && !HANDOFF_OFF_PRESETS.has(preset)) continue;
      const saved = Object.keys(variant.flags).map((flag) => [flag, tf.env().get(flag)] as const);
      for (const [flag, value] of Object.entries(variant.flags)) tf.env().set(flag, value);
      try {
        const row = await measureCase(preset, PRESETS[preset].config, args.backend, limits);
        part.rows.push({ ...row, backend: args.backend, variant: variant.name });
        console.log(
          `${args.backend} ${variant.name} ${preset}: ${row.error ? `error: ${row.error}` : `${row.msPerStep.toFixed(2)} ms/step (${row.steps} steps, first ${row.firstStepMs.toFixed(0)} ms, ${row.profile?.dispatchesPerStep ?? '—'} dispatches/step)`}`,
        );
      } finally {
        for (const [flag, value] of saved) tf.env().set(flag, value);
      }
    }
  }
  if (args.backend === 'webgpu') {
    part.dispatchCost = await measureDispatchCost(args.quick ? 100 : 3000);
    console.log(
      `webgpu: one dispatch ${part.dispatchCost.issueUs.toFixed(1)} µs to issue, ${part.dispatchCost.totalUs.toFixed(1)} µs with its execution`,
    );
  }
  return part;
}

/** Thrown from the evaluation callback to end runTraining at the part's own wall-time limit. */
class OutOfTime extends Error {}

async function grok(args: GpuBenchArgs): Promise<GrokPart> {
  const preset = PRESETS[GROK_PRESET];
  const patch: DeepPartial<Config> = {
    // Stop at the first evaluation after grokking: steps beyond it would only cost time here.
    training: { stopAfterGrok: 1, ...(args.quick ? { maxSteps: QUICK_GROK_STEPS } : {}) },
  };
  const resolved = resolveConfig(deepMerge(preset.config, patch));
  if (!resolved.ok) throw new Error(`preset ${GROK_PRESET} is invalid`);
  const { config } = resolved;
  const part: GrokPart = {
    kind: 'grok',
    backend: args.backend,
    machine: machine(),
    preset: GROK_PRESET,
    seed: config.seed,
    adapter: null,
    grokStep: null,
    grokThreshold: config.training.grokThreshold,
    wallSecondsToGrok: null,
    memorizeStep: null,
    stepsRun: 0,
    wallSeconds: 0,
    trainingSeconds: 0,
    evaluations: 0,
    evaluationSeconds: 0,
    finalTrainAccuracy: null,
    finalTestAccuracy: null,
    stoppedBecause: 'not started',
    error: null,
  };
  try {
    part.adapter = await start(args.backend);
  } catch (error) {
    part.error = message(error);
    return part;
  }
  const trainer = new Trainer(config);
  const started = performance.now();
  const limitMs = 1000 * args.limitSeconds;
  try {
    const summary = await runTraining(trainer, {
      untilStep: config.training.maxSteps,
      onEvaluation({ record }, { evaluationMs }) {
        part.evaluations++;
        part.evaluationSeconds += evaluationMs / 1000;
        const seconds = (performance.now() - started) / 1000;
        if (part.grokStep === null && record.testAccuracy >= config.training.grokThreshold) {
          part.grokStep = record.step;
          part.wallSecondsToGrok = seconds;
        }
        console.log(
          `${args.backend} grok: step ${record.step}, train ${(100 * record.trainAccuracy).toFixed(1)}%, test ${(100 * record.testAccuracy).toFixed(1)}%, ${seconds.toFixed(1)} s`,
        );
        if (seconds * 1000 > limitMs) throw new OutOfTime();
      },
    });
    part.stoppedBecause = summary.stoppedBecause;
  } catch (error) {
    if (error instanceof OutOfTime) part.stoppedBecause = `wall-time limit (${args.limitSeconds} s)`;
    else {
      part.stoppedBecause = 'error';
      part.error = message(error);
    }
  }
  part.wallSeconds = (performance.now() - started) / 1000;
  const last = trainer.history.at(-1);
  part.stepsRun = trainer.step;
  part.trainingSeconds = (last?.trainingMs ?? 0) / 1000;
  part.finalTrainAccuracy = last?.trainAccuracy ?? null;
  part.finalTestAccuracy = last?.testAccuracy ?? null;
  part.memorizeStep = memorizeStep(trainer.history);
  trainer.dispose();
  return part;
}

function report(dir: string): void {
  const partsDir = join(dir, 'parts');
  const files = readdirSync(partsDir).map((name) => ({
    name,
    text: readFileSync(join(partsDir, name), 'utf8'),
  }));
  const results = mergeParts(files, {
    date: new Date().toISOString().slice(0, 10),
    command: 'bash bench/gpu.sh',
    machine: machine(),
  });
  writeJson(join(dir, 'results.json'), results);
  writeFileSync(join(dir, 'results.md'), gpuMarkdown(results));
  console.log(gpuMarkdown(results));
}

async function main(): Promise<void> {
  const args = parseGpuBenchArgs(process.argv.slice(2));
  if (args.mode === 'report') return report(args.dir!);
  mkdirSync(join(args.out!, '..'), { recursive: true });
  const result =
    args.mode === 'adapter'
      ? await probeAdapter(args)
      : args.mode === 'throughput'
        ? await throughput(args)
        : await grok(args);
  writeJson(args.out!, result);
}

main().then(
  // Dawn's device keeps the event loop alive.
  () => process.exit(0),
  (error: unknown) => {
    console.error(message(error));
    process.exit(1);
  },
);
