/**
 * `npx tsx bench/kernelTax.ts [--rounds R] [--steps S] [--profile-steps P] [--cases mlp,fastTransformer] [--no-torch]`
 * — issue 23's side-by-side: for `mlp` and the fast transformer, a training step on Node wasm (1 thread) with the
 * kernel-tax fast paths off ("plain": the lab before them) and on, and PyTorch (bench/torch_reference.py, 1
 * thread), back to back in one run; then where a step's time goes, before and after.
 *
 * - Timing: R rounds; each round runs, per case, a block of S steps plain and a block with the fast paths in this
 *   process (interleaved, so both see the same machine), then PyTorch in a child process. The figure is the minimum
 *   over rounds of wall ms/step, with CPU ms/step and the 1-minute load beside it.
 * - Counts per step (one step each way): kernels dispatched through tfjs's engine, by name; wasm heap outputs
 *   (BackendWasm.makeOutput calls) and their bytes.
 * - Profile: a V8 CPU profile (inspector, 50 µs sampling) over P steps each way, self time folded by
 *   bench/cpuProfile.ts into XNNPACK matrix products, other wasm kernels, tfjs-core JS, tfjs-wasm JS, our kernels,
 *   our engine code, GC.
 * Writes bench/results/kernel-tax/side-by-side.{md,json}.
 */
import { execFileSync } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { z } from 'zod';
import { resolveConfig, type Config, type DeepPartial } from '../src/engine/config';
import { FAST_PATHS, KERNEL_TAX_PATHS, withFastPaths } from '../src/engine/fastPaths';
import { startNodeBackend } from '../src/engine/node';
import { Trainer } from '../src/engine/trainer';
import { PROFILE_CATEGORIES, profileShares, type CpuProfile, type ProfileCategory } from './cpuProfile';
import { load1 } from './lib/machine';
import {
  bestOf as best,
  formatStepMs as f1,
  loadsOf as loads,
  STEP_CASES,
  timeNodeBlock as timeBlock,
  type BlockTiming as Timing,
} from './lib/stepBlocks';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const option = (flag: string, fallback: string): string => {
  const at = process.argv.indexOf(flag);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
};
const ROUNDS = Number(option('--rounds', '5'));
const STEPS = Number(option('--steps', '40'));
const PROFILE_STEPS = Number(option('--profile-steps', '150'));
const WITH_TORCH = !process.argv.includes('--no-torch');

const PLAIN = Object.fromEntries(KERNEL_TAX_PATHS.map((name) => [name, false]));
const FAST = Object.fromEntries(KERNEL_TAX_PATHS.map((name) => [name, true]));

interface Case {
  name: string;
  torch: 'mlp' | 'small';
  config: DeepPartial<Config>;
}
// PyTorch's "small" model is the fast transformer's size and shape (a+b instead of a−b, another learning rate:
// same work per step).
const TORCH_MODEL = { mlp: 'mlp', fastTransformer: 'small' } as const;
const CASES: Case[] = STEP_CASES.map((c) => ({ ...c, torch: TORCH_MODEL[c.name] }));
const selected = option('--cases', CASES.map((c) => c.name).join(',')).split(',');

const TorchLine = z.object({ msPerStep: z.number(), cpuMsPerStep: z.number() });

function torchBlock(item: Case, steps: number): Timing | null {
  const load = load1();
  try {
    const output = execFileSync(
      '/usr/bin/python3',
      [`${HERE}torch_reference.py`, '--model', item.torch, '--steps', String(steps), '--threads', '1'],
      {
        env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    return { ...TorchLine.parse(JSON.parse(output.trim().split('\n').at(-1)!)), load };
  } catch (error) {
    console.log(`PyTorch ${item.torch}: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
    return null;
  }
}

interface Counts {
  kernels: number;
  byKernel: Record<string, number>;
  heapOutputs: number;
  heapBytes: number;
}

/** Kernels through the engine and wasm heap outputs during one step. */
function countStep(trainer: Trainer): Counts {
  const engine = tf.engine() as unknown as { runKernel: (name: string, ...rest: unknown[]) => unknown };
  const backend = tf.backend() as BackendWasm;
  const runKernel = engine.runKernel;
  const makeOutput = backend.makeOutput;
  const byKernel: Record<string, number> = {};
  let heapOutputs = 0;
  let heapBytes = 0;
  engine.runKernel = function (this: unknown, name: string, ...rest: unknown[]) {
    byKernel[name] = (byKernel[name] ?? 0) + 1;
    return runKernel.call(this, name, ...rest);
  };
  backend.makeOutput = function (this: BackendWasm, shape, dtype, memoryOffset, values) {
    heapOutputs += 1;
    if (memoryOffset == null) heapBytes += tf.util.sizeFromShape(shape) * 4;
    return makeOutput.call(this, shape, dtype, memoryOffset, values);
  };
  try {
    trainer.trainStep();
  } finally {
    engine.runKernel = runKernel;
    backend.makeOutput = makeOutput;
  }
  const kernels = Object.values(byKernel).reduce((sum, n) => sum + n, 0);
  return { kernels, byKernel, heapOutputs, heapBytes };
}

async function profileSteps(
  trainer: Trainer,
  steps: number,
): Promise<Record<ProfileCategory, number> & { totalMs: number }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  await session.post('Profiler.start');
  for (let i = 0; i < steps; i++) trainer.trainStep();
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const { total, byCategory } = profileShares(profile as unknown as CpuProfile);
  const perStep = Object.fromEntries(
    Object.entries(byCategory).map(([name, us]) => [name, us / 1000 / steps]),
  ) as Record<ProfileCategory, number>;
  return { ...perStep, totalMs: total / 1000 / steps };
}

interface CaseResult {
  case: string;
  plain: Timing[];
  fast: Timing[];
  torch: Timing[];
  counts: { plain: Counts; fast: Counts };
  profile: { plain: Record<string, number>; fast: Record<string, number> };
}

function markdown(results: CaseResult[], meta: Record<string, string>): string {
  const lines = [
    '# The kernel tax: lab plain vs fast paths vs PyTorch, back to back (issue 23)',
    '',
    `\`${meta.command}\`, ${meta.date}, ${meta.cpu}, ${meta.cores} cores, Node ${meta.node}, ${meta.torch}; 1-minute load ${meta.load} (start → end). Minimum over ${ROUNDS} rounds of ${STEPS} steps; each round: lab plain, lab fast (one process, interleaved), PyTorch (1 thread). "plain" = the lab with issue 23's switches (${KERNEL_TAX_PATHS.join(', ')}) off; earlier fast paths on in both.`,
    '',
    '| case | lab plain ms/step | lab fast ms/step | PyTorch ms/step | plain ÷ PyTorch | fast ÷ PyTorch | CPU ms/step plain / fast / PyTorch | loads (plain / fast / PyTorch) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const [p, f, t] = [best(r.plain, 'msPerStep'), best(r.fast, 'msPerStep'), best(r.torch, 'msPerStep')];
    lines.push(
      `| ${r.case} | ${f1(p)} | ${f1(f)} | ${f1(t)} | ${f1(p / t)}× | ${f1(f / t)}× | ${f1(best(r.plain, 'cpuMsPerStep'))} / ${f1(best(r.fast, 'cpuMsPerStep'))} / ${f1(best(r.torch, 'cpuMsPerStep'))} | ${loads(r.plain)} / ${loads(r.fast)} / ${loads(r.torch)} |`,
    );
  }
  lines.push(
    '',
    `Per step (one step counted; profile: self time sampled over ${PROFILE_STEPS} steps, ms per step and share; under load the ms include time the thread waited for a core, the shares less so):`,
    '',
    '| | ' + results.flatMap((r) => [`${r.case} plain`, `${r.case} fast`]).join(' | ') + ' |',
    '|---|' + results.map(() => '---|---|').join(''),
  );
  const row = (label: string, cell: (r: CaseResult, mode: 'plain' | 'fast') => string): void => {
    lines.push(
      `| ${label} | ` + results.flatMap((r) => [cell(r, 'plain'), cell(r, 'fast')]).join(' | ') + ' |',
    );
  };
  row('kernels through the engine', (r, m) => String(r.counts[m].kernels));
  row(
    'wasm heap outputs (MB)',
    (r, m) => `${r.counts[m].heapOutputs} (${(r.counts[m].heapBytes / 1e6).toFixed(1)})`,
  );
  row('profiled ms/step (samples: wall time on this thread)', (r, m) => f1(r.profile[m].totalMs));
  for (const name of PROFILE_CATEGORIES) {
    row(
      name,
      (r, m) =>
        `${f1(r.profile[m][name])} (${((100 * r.profile[m][name]) / r.profile[m].totalMs).toFixed(0)}%)`,
    );
  }
  lines.push('', 'Kernels per step by name (plain → fast):', '');
  for (const r of results) {
    const names = [
      ...new Set([...Object.keys(r.counts.plain.byKernel), ...Object.keys(r.counts.fast.byKernel)]),
    ];
    names.sort((a, b) => (r.counts.plain.byKernel[b] ?? 0) - (r.counts.plain.byKernel[a] ?? 0));
    lines.push(
      `- ${r.case}: ` +
        names
          .map((n) => `${n} ${r.counts.plain.byKernel[n] ?? 0}→${r.counts.fast.byKernel[n] ?? 0}`)
          .join(', '),
    );
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  await startNodeBackend('wasm', { wasmThreads: 1 });
  const loadBefore = load1();
  const cases = CASES.filter((c) => selected.includes(c.name));
  const trainers = cases.map((item) => {
    const resolved = resolveConfig(item.config);
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
    return new Trainer(resolved.config);
  });
  const results: CaseResult[] = [];
  for (const [i, item] of cases.entries()) {
    const trainer = trainers[i];
    for (let s = 0; s < 10; s++) withFastPaths(s % 2 ? FAST : PLAIN, () => trainer.trainStep());
    const counts = {
      plain: withFastPaths(PLAIN, () => countStep(trainer)),
      fast: withFastPaths(FAST, () => countStep(trainer)),
    };
    Object.assign(FAST_PATHS, PLAIN);
    const plainProfile = await profileSteps(trainer, PROFILE_STEPS);
    Object.assign(FAST_PATHS, FAST);
    const fastProfile = await profileSteps(trainer, PROFILE_STEPS);
    results.push({
      case: item.name,
      plain: [],
      fast: [],
      torch: [],
      counts,
      profile: { plain: plainProfile, fast: fastProfile },
    });
    console.log(`${item.name}: counted and profiled`);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, item] of cases.entries()) {
      const result = results[i];
      result.plain.push(withFastPaths(PLAIN, () => timeBlock(trainers[i], STEPS)));
      result.fast.push(withFastPaths(FAST, () => timeBlock(trainers[i], STEPS)));
      const torch = WITH_TORCH ? torchBlock(item, STEPS) : null;
      if (torch) result.torch.push(torch);
      console.log(
        `round ${round} ${item.name}: plain ${f1(result.plain.at(-1)!.msPerStep)}, fast ${f1(result.fast.at(-1)!.msPerStep)}, PyTorch ${torch ? f1(torch.msPerStep) : '—'} ms/step (load ${load1().toFixed(1)})`,
      );
    }
  }
  trainers.forEach((trainer) => trainer.dispose());
  let torchVersion = 'PyTorch not run';
  if (WITH_TORCH) {
    try {
      torchVersion = `PyTorch ${execFileSync('/usr/bin/python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()}`;
    } catch {
      torchVersion = 'PyTorch not installed';
    }
  }
  const meta = {
    command: `npx tsx bench/kernelTax.ts ${process.argv.slice(2).join(' ')}`.trim(),
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: String(os.cpus().length),
    node: process.version,
    torch: torchVersion,
    load: `${loadBefore.toFixed(1)} → ${load1().toFixed(1)}`,
  };
  const dir = `${HERE}results/kernel-tax/`;
  mkdirSync(dir, { recursive: true });
  const text = markdown(results, meta);
  writeFileSync(`${dir}side-by-side.json`, JSON.stringify({ meta, results }, null, 1) + '\n');
  writeFileSync(`${dir}side-by-side.md`, text);
  console.log(text);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
