/**
 * `npx tsx bench/threads.ts [--repeats R] [--quick]`: 1 vs 2 cores per training step, lab and PyTorch, back to back.
 * For the mlp preset, the small transformer (DESIGN §4c) and classic: Node wasm with 1 and 2 XNNPACK threads
 * (tfjs's threaded build, patches/@tensorflow+tfjs-backend-wasm+4.22.0.patch; one fresh process per thread count,
 * as a process's wasm thread pool is fixed at start) and bench/torch_reference.py at 1 and 2 threads, in
 * rounds (lab 1, lab 2, PyTorch 1, PyTorch 2 per case), repeated; the minimum over the rounds is reported, with
 * the load beside every measurement: on a shared machine wall times are pessimistic. Also what the alternative,
 * two workers each on half the batch with averaged gradients, would give: the step on half the rows, plus
 * one gradient exchange (a worker_threads round trip of the parameter vector) per step — and, measured, the real
 * thing: `startDataParallel` with 2 workers (src/engine/dataParallel/: a follower worker_thread, gradients averaged
 * through a SharedArrayBuffer), in the same rounds.
 * Writes bench/results/<out>.{md,json} (`--out NAME`, default threads); `--render` rewrites the .md from the .json;
 * `--cases mlp,classic` runs only those cases.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { deepMerge, resolveConfig, type Config, type DeepPartial } from '../src/engine/config';
import { startDataParallel } from '../src/engine/dataParallel/nodeRun';
import { startNodeBackend } from '../src/engine/node';
import { PRESETS } from '../src/engine/presets';
import { Trainer } from '../src/engine/trainer';
import { timeSteps } from '../src/engine/backendChoice';
import { flagValue } from './lib/flags';
import { load1, loadSpan, machine, minuteStamp } from './lib/machine';
import { writeResultPair } from './lib/resultFiles';
import { runTorchReference, type TorchModel } from './lib/torchReference';
import { SMALL_TRANSFORMER } from './nodeWebgpu';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const QUICK = process.argv.includes('--quick');
const OUT = flagValue(process.argv, '--out') ?? 'threads';

interface Case {
  name: string;
  /** bench/torch_reference.py --model */
  torch: TorchModel;
  config: DeepPartial<Config>;
  /** Timed steps after the first, and their time cap. */
  steps: number;
  maxMs: number;
}

const CASES: Case[] = [
  { name: 'mlp', torch: 'mlp', config: PRESETS.mlp.config, steps: QUICK ? 20 : 60, maxMs: 6_000 },
  {
    name: 'small transformer',
    torch: 'small',
    config: SMALL_TRANSFORMER,
    steps: QUICK ? 10 : 30,
    maxMs: 8_000,
  },
  { name: 'classic', torch: 'classic', config: PRESETS.classic.config, steps: QUICK ? 3 : 8, maxMs: 15_000 },
];

const Measurement = z.object({
  msPerStep: z.number(),
  cpuMsPerStep: z.number(),
  steps: z.number(),
  threads: z.number(),
  load: z.number(),
});
type Measurement = z.infer<typeof Measurement>;

function resolved(config: DeepPartial<Config>): Config {
  const result = resolveConfig(config);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

/** What a lab child measures: the full step, the step on half the rows, or 2 data-parallel workers. */
type ChildMode = 'full' | 'half' | 'parallel';

/** In a child process: one case at one thread count (or on half the training rows, or data-parallel). */
async function child(caseName: string, threads: number, mode: ChildMode): Promise<void> {
  const item = CASES.find((c) => c.name === caseName);
  if (!item) throw new Error(`unknown case ${caseName}`);
  await startNodeBackend('wasm', { wasmThreads: mode === 'parallel' ? 1 : threads });
  const config = resolved(item.config);
  // Data-parallel: `threads` workers of 1 XNNPACK thread each (the leader here, followers in worker_threads).
  const parallel = mode === 'parallel' ? await startDataParallel(config, { workers: threads }) : null;
  const trainer =
    parallel?.trainer ??
    new Trainer(
      mode === 'half'
        ? resolved(deepMerge(item.config, { task: { trainFraction: config.task.trainFraction / 2 } }))
        : config,
    );
  const load = load1();
  trainer.trainStep(); // compile, allocate
  const before = process.cpuUsage();
  const timing = await timeSteps(trainer, performance, {
    maxSteps: item.steps,
    maxMs: item.maxMs,
    maxFirstStepMs: 120_000,
  });
  const cpu = process.cpuUsage(before);
  // process.cpuUsage counts every thread of the process: both XNNPACK threads, or the follower's thread.
  const cpuMsPerStep = (cpu.user + cpu.system) / 1000 / (timing.steps + 1);
  const result: Measurement = {
    msPerStep: timing.msPerStep,
    cpuMsPerStep,
    steps: timing.steps,
    threads,
    load,
  };
  if (parallel) await parallel.close();
  else trainer.dispose();
  console.log(JSON.stringify(result));
  process.exit(0);
}

function lab(item: Case, threads: number, mode: ChildMode = 'full'): Measurement {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', item.name, String(threads), mode],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return Measurement.parse(JSON.parse(output.trim().split('\n').at(-1)!));
}

function torch(item: Case, threads: number): Measurement | null {
  const load = load1();
  try {
    const parsed = runTorchReference(item.torch, Math.max(3, Math.round(item.steps / 2)), threads);
    return { ...parsed, threads, load };
  } catch (error) {
    console.log(
      `PyTorch ${item.torch} ${threads} threads failed: ${error instanceof Error ? error.message : error}`,
    );
    return null;
  }
}

/** Parameter count of a case (a fresh trainer's state). */
async function parameterCount(item: Case): Promise<number> {
  const trainer = new Trainer(resolved(item.config));
  try {
    const state = await trainer.getState();
    return Object.values(state.parameters).reduce((sum, values) => sum + values.length, 0);
  } finally {
    trainer.dispose();
  }
}

/** ms for one exchange of `floats` float32s with another thread and back (transferred, as a worker would). */
async function exchangeMs(floats: number): Promise<number> {
  const echo = new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', (buffer) => parentPort.postMessage(buffer, [buffer]));`,
    { eval: true },
  );
  const once = (buffer: ArrayBuffer): Promise<ArrayBuffer> =>
    new Promise((resolve) => {
      echo.once('message', resolve);
      echo.postMessage(buffer, [buffer]);
    });
  let buffer = new Float32Array(floats).buffer;
  for (let i = 0; i < 5; i++) buffer = await once(buffer);
  const rounds = 50;
  const started = performance.now();
  for (let i = 0; i < rounds; i++) buffer = await once(buffer);
  const ms = (performance.now() - started) / rounds;
  await echo.terminate();
  return ms;
}

interface CaseResult {
  case: string;
  parameters: number;
  lab: Record<'1' | '2', Measurement[]>;
  torch: Record<'1' | '2', Measurement[]>;
  half: Measurement[];
  exchangeMs: number;
  /** 2 data-parallel workers, 1 thread each (absent in results stored before they were built). */
  parallel?: Measurement[];
}

const best = (list: readonly Measurement[], key: 'msPerStep' | 'cpuMsPerStep'): number =>
  list.length === 0 ? NaN : Math.min(...list.map((m) => m[key]));
const loads = (list: readonly Measurement[]): string => list.map((m) => m.load.toFixed(1)).join(', ');
const ms = (value: number): string =>
  !Number.isFinite(value) ? '—' : value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;

function markdown(results: CaseResult[], meta: Record<string, string>): string {
  const lines = [
    '# 1 vs 2 cores per training step: lab (Node wasm, XNNPACK threads) and PyTorch, back to back',
    '',
    `Generated by \`${meta.command}\` on ${meta.date}: ${meta.cpu}, ${meta.cores} cores, Node ${meta.node}. 1-minute load ${meta.load} (start → end; per measurement below).`,
    `Load above ${meta.cores} means other processes held the cores: then wall times are pessimistic, and a 2-thread run gains only what a second core was free to give (CPU ms/step, all threads of the process, moves less with load). On this kernel \`nice\` does not free a core for the bench (sessions are scheduled as groups: \`/proc/sys/kernel/sched_autogroup_enabled\`), so a quiet run needs the other jobs stopped, not niced. Each figure is the minimum over ${meta.repeats} rounds; each round ran lab 1 thread, lab 2 threads, PyTorch 1 thread, PyTorch 2 threads for one case, back to back.`,
    'Lab: tfjs-wasm 4.22 threaded SIMD build with `setThreadsCount(n)` (patches/@tensorflow+tfjs-backend-wasm+4.22.0.patch makes it start in Node and lifts the cores/2 cap), a fresh process per thread count. PyTorch 1.13 (Debian), `torch.set_num_threads(n)`, `OPENBLAS_NUM_THREADS=n`.',
    '',
    '| case | lab 1 thread | lab 2 threads | lab 2/1 | PyTorch 1 thread | PyTorch 2 threads | PyTorch 2/1 | lab/PyTorch at 1 | lab/PyTorch at 2 | loads (lab 1 / lab 2 / PyTorch 1 / PyTorch 2) |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const l1 = best(r.lab['1'], 'msPerStep');
    const l2 = best(r.lab['2'], 'msPerStep');
    const t1 = best(r.torch['1'], 'msPerStep');
    const t2 = best(r.torch['2'], 'msPerStep');
    lines.push(
      `| ${r.case} | ${ms(l1)} | ${ms(l2)} | ${(l2 / l1).toFixed(2)} | ${ms(t1)} | ${ms(t2)} | ${(t2 / t1).toFixed(2)} | ${(l1 / t1).toFixed(2)}× | ${(l2 / t2).toFixed(2)}× | ${loads(r.lab['1'])} / ${loads(r.lab['2'])} / ${loads(r.torch['1'])} / ${loads(r.torch['2'])} |`,
    );
  }
  lines.push(
    '',
    'CPU time per step (all threads), minimum over the rounds: a second thread that only waits or duplicates work shows here.',
    '',
    '| case | lab 1 thread | lab 2 threads | PyTorch 1 thread | PyTorch 2 threads |',
    '|---|---|---|---|---|',
  );
  for (const r of results) {
    lines.push(
      `| ${r.case} | ${ms(best(r.lab['1'], 'cpuMsPerStep'))} | ${ms(best(r.lab['2'], 'cpuMsPerStep'))} | ${ms(best(r.torch['1'], 'cpuMsPerStep'))} | ${ms(best(r.torch['2'], 'cpuMsPerStep'))} |`,
    );
  }
  if (results.some((r) => (r.parallel ?? []).length > 0)) {
    lines.push(
      '',
      '## Two data-parallel workers, measured (`startDataParallel`, src/engine/dataParallel/)',
      '',
      'Each worker (the leader and one follower worker_thread, 1 XNNPACK thread each) computes the gradient of half of every batch; the two meet in a SharedArrayBuffer (one Atomics barrier to agree the step, one to average) and both apply the identical update. Same rounds as above, so back to back with the 1-thread step and PyTorch. CPU = both threads.',
      '',
      '| case | lab 1 thread | lab 2 XNNPACK threads | lab 2 workers (data-parallel) | 2 workers / 1 thread | PyTorch 1 thread | PyTorch 2 threads | lab 2 workers / PyTorch 1 | lab 2 workers / PyTorch 2 | CPU: 1 thread / 2 workers | loads (2 workers) |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of results) {
      const l1 = best(r.lab['1'], 'msPerStep');
      const dp = best(r.parallel ?? [], 'msPerStep');
      const t1 = best(r.torch['1'], 'msPerStep');
      const t2 = best(r.torch['2'], 'msPerStep');
      lines.push(
        `| ${r.case} | ${ms(l1)} | ${ms(best(r.lab['2'], 'msPerStep'))} | ${ms(dp)} | ${(dp / l1).toFixed(2)} | ${ms(t1)} | ${ms(t2)} | ${(dp / t1).toFixed(2)}× | ${(dp / t2).toFixed(2)}× | ${ms(best(r.lab['1'], 'cpuMsPerStep'))} / ${ms(best(r.parallel ?? [], 'cpuMsPerStep'))} | ${loads(r.parallel ?? [])} |`,
      );
    }
  }
  lines.push(
    '',
    '## The estimate made before building data-parallel: half the batch per worker, plus one gradient exchange',
    '',
    'Per step each worker computes the gradient of its half (measured: 1 thread, half the training rows, so the same model on half the data) and the two exchange gradients (measured: a worker_threads round trip of the parameter vector, transferred); the optimizer step runs in both. Estimate = half-batch step + one exchange; ratio to the 1-thread full step.',
    '',
    '| case | parameters | full step, 1 thread | half-batch step, 1 thread | gradient exchange | data-parallel estimate | vs 1 thread | the same in CPU time: full / half / ratio | lab 2 threads measured |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of results) {
    const l1 = best(r.lab['1'], 'msPerStep');
    const half = best(r.half, 'msPerStep');
    const estimate = half + r.exchangeMs;
    const cpuFull = best(r.lab['1'], 'cpuMsPerStep');
    const cpuHalf = best(r.half, 'cpuMsPerStep');
    lines.push(
      `| ${r.case} | ${r.parameters.toLocaleString('en-US')} | ${ms(l1)} | ${ms(half)} | ${r.exchangeMs.toFixed(2)} ms | ${ms(estimate)} | ${(estimate / l1).toFixed(2)} | ${ms(cpuFull)} / ${ms(cpuHalf)} / ${((cpuHalf + r.exchangeMs) / cpuFull).toFixed(2)} | ${ms(best(r.lab['2'], 'msPerStep'))} |`,
    );
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--child');
  if (at >= 0) {
    return child(process.argv[at + 1], Number(process.argv[at + 2]), process.argv[at + 3] as ChildMode);
  }
  if (process.argv.includes('--render')) {
    // Rewrite threads.md from the stored threads.json (after a change to the report's layout).
    const stored = JSON.parse(readFileSync(`${HERE}results/${OUT}.json`, 'utf8')) as {
      meta: Record<string, string>;
      results: CaseResult[];
    };
    writeFileSync(`${HERE}results/${OUT}.md`, markdown(stored.results, stored.meta));
    return;
  }
  const repeatsAt = process.argv.indexOf('--repeats');
  const repeats = repeatsAt >= 0 ? Number(process.argv[repeatsAt + 1]) : 3;
  const loadBefore = load1();
  await startNodeBackend('wasm'); // for the parameter counts; the measurements run in child processes
  const only = flagValue(process.argv, '--cases')?.split(',');
  const cases = only ? CASES.filter((item) => only.includes(item.name)) : CASES;
  const results: CaseResult[] = [];
  for (const item of cases) {
    const parameters = await parameterCount(item);
    results.push({
      case: item.name,
      parameters,
      lab: { '1': [], '2': [] },
      torch: { '1': [], '2': [] },
      half: [],
      exchangeMs: await exchangeMs(parameters),
      parallel: [],
    });
  }
  for (let round = 0; round < repeats; round++) {
    for (const [i, item] of cases.entries()) {
      const result = results[i];
      for (const threads of [1, 2] as const) {
        result.lab[threads].push(lab(item, threads));
        console.log(
          `round ${round} ${item.name} lab ${threads}: ${JSON.stringify(result.lab[threads].at(-1))}`,
        );
      }
      for (const threads of [1, 2] as const) {
        const measured = torch(item, threads);
        if (measured) result.torch[threads].push(measured);
        console.log(`round ${round} ${item.name} torch ${threads}: ${JSON.stringify(measured)}`);
      }
      result.half.push(lab(item, 1, 'half'));
      result.parallel!.push(lab(item, 2, 'parallel'));
      console.log(`round ${round} ${item.name} 2 workers: ${JSON.stringify(result.parallel!.at(-1))}`);
    }
  }
  const { cpu, cores, node } = machine();
  const meta = {
    command: `npx tsx bench/threads.ts ${process.argv.slice(2).join(' ')}`.trim(),
    date: minuteStamp(),
    cpu,
    cores: String(cores),
    node,
    load: loadSpan(loadBefore),
    repeats: String(repeats),
  };
  writeResultPair(`${HERE}results/`, OUT, { meta, results }, markdown(results, meta));
  console.log(markdown(results, meta));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
