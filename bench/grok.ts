import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildReport } from './report';
import {
  pendingRuns,
  readResult,
  readResultsWithProgress,
  readStepCosts,
  resultPath,
  writeResult,
  type RunResult,
} from './results';
import { ALL, inShard, parseShard, type Shard } from './shard';
import { planRuns, SUITE_IDS, type Mode, type RunSpec, type SuiteId } from './suites';
import type { FromWorker, ToWorker, WorkerOptions } from './worker';
import type { NodeBackendChoice } from '../src/engine/backend';
import {
  adapterFromEnvironment,
  installNodeWebGpu,
  WEBGPU_ADAPTER_CHOICES,
  WebGpuUnavailableError,
  type WebGpuAdapterChoice,
} from '../src/engine/nodeWebgpu';

/**
 * `npm run bench:grok -- [--quick] [--suite methods,timescale,…] [--shard i/n] [--workers N] [--max-runs N]
 *                        [--report-only] [--list] [--out DIR] [--backend wasm|webgpu|cpu] [--webgpu-adapter …]`
 * Runs the planned runs not yet stored (resumable), in worker threads, then writes REPORT.md and plots.
 * A backend other than wasm stores its results in their own directory (bench/results/<backend>/ unless --out),
 * so they never mix with the wasm results docs/results.md's tables are generated from.
 */

const HERE = dirname(fileURLToPath(import.meta.url));
export const FULL_DIR = join(HERE, 'results');
export const QUICK_DIR = join(HERE, 'results', 'tmp', 'quick');

interface Args {
  mode: Mode;
  /** Methods to leave out this time (e.g. the costliest), and seeds to restrict to (null: all). */
  skip: string[];
  seeds: number[] | null;
  suites: SuiteId[];
  shard: Shard;
  workers: number;
  maxRuns: number;
  reportOnly: boolean;
  list: boolean;
  out: string;
  worker: WorkerOptions;
}

/** Backends a bench worker can be told to use (`auto` would time each run's model first: not worth it here). */
const GROK_BACKENDS = ['wasm', 'webgpu', 'cpu'] as const satisfies readonly NodeBackendChoice[];

const USAGE =
  'usage: npm run bench:grok -- [--quick] [--suite ' +
  SUITE_IDS.join(',') +
  '] [--shard i/n] [--workers N] [--max-runs N] [--skip METHOD,…] [--seeds 0,1] [--report-only] [--list] [--out DIR]' +
  ` [--backend ${GROK_BACKENDS.join('|')}] [--webgpu-adapter ${WEBGPU_ADAPTER_CHOICES.join('|')}]`;

function parseArgs(argv: readonly string[]): Args {
  let mode: Mode = 'full';
  let suites: SuiteId[] = [...SUITE_IDS];
  let shard = ALL;
  let workers = Math.min(2, availableParallelism());
  let maxRuns = Number.POSITIVE_INFINITY;
  let reportOnly = false;
  let list = false;
  let out: string | null = null;
  let skip: string[] = [];
  let seeds: number[] | null = null;
  let backend: WorkerOptions['backend'] = 'wasm';
  let webgpuAdapter: WebGpuAdapterChoice | null = null;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = (): string => {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return value;
    };
    switch (flag) {
      case '--quick':
        mode = 'quick';
        break;
      case '--suite':
        suites = next()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((s) => {
            if (!(SUITE_IDS as readonly string[]).includes(s))
              throw new Error(`unknown suite "${s}"\n${USAGE}`);
            return s as SuiteId;
          });
        break;
      case '--shard':
        shard = parseShard(next());
        break;
      case '--workers':
        workers = Math.max(1, Number.parseInt(next(), 10) || 1);
        break;
      case '--max-runs':
        maxRuns = Math.max(0, Number.parseInt(next(), 10) || 0);
        break;
      case '--skip':
        skip = next()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case '--seeds':
        seeds = next()
          .split(',')
          .map((s) => Number.parseInt(s, 10))
          .filter((n) => Number.isInteger(n));
        break;
      case '--report-only':
        reportOnly = true;
        break;
      case '--list':
        list = true;
        break;
      case '--out':
        out = resolve(next());
        break;
      case '--backend': {
        const value = next();
        if (!(GROK_BACKENDS as readonly string[]).includes(value))
          throw new Error(`--backend must be one of ${GROK_BACKENDS.join(', ')}\n${USAGE}`);
        backend = value as WorkerOptions['backend'];
        break;
      }
      case '--webgpu-adapter': {
        const value = next();
        if (!(WEBGPU_ADAPTER_CHOICES as readonly string[]).includes(value))
          throw new Error(`--webgpu-adapter must be one of ${WEBGPU_ADAPTER_CHOICES.join(', ')}\n${USAGE}`);
        webgpuAdapter = value as WebGpuAdapterChoice;
        break;
      }
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option "${flag}"\n${USAGE}`);
    }
  }
  return {
    mode,
    skip,
    seeds,
    suites,
    shard,
    workers,
    maxRuns,
    reportOnly,
    list,
    out: out ?? join(mode === 'quick' ? QUICK_DIR : FULL_DIR, backend === 'wasm' ? '' : backend),
    worker: { backend, webgpuAdapter: webgpuAdapter ?? adapterFromEnvironment() },
  };
}

function log(message: string): void {
  const time = new Date().toISOString().slice(11, 19);
  console.log(`[${time}] ${message}`);
}

function describe(result: RunResult): string {
  const s = (v: number | null): string => (v === null ? `>${result.cap}` : String(v));
  return `t90 ${s(result.steps.t90)} t95 ${s(result.steps.t95)} t99 ${s(result.steps.t99)} · ${result.stoppedBecause} at ${result.finalStep} · test ${result.finalTestAccuracy} · ${result.msPerStep} ms/step · ${(result.wallMs / 1000).toFixed(0)} s`;
}

/** A worker thread running TypeScript: tsx's ESM hooks are registered inside the worker before importing it. */
function startWorker(options: WorkerOptions): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const target = new URL('./worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(target)}); });`;
  return new Worker(boot, { eval: true, workerData: options });
}

/** Runs the queue on `count` worker threads; each result is written as soon as it arrives. */
async function runPool(
  queue: RunSpec[],
  count: number,
  out: string,
  options: WorkerOptions,
): Promise<number> {
  let completed = 0;
  const total = queue.length;
  const workers = Array.from({ length: Math.min(count, queue.length) }, () => startWorker(options));
  const stopAll = (): void => {
    for (const worker of workers) void worker.terminate();
  };
  process.once('SIGINT', () => {
    log('interrupted: finished runs are stored; rerun the same command to resume');
    stopAll();
    process.exit(130);
  });
  await Promise.all(
    workers.map(
      (worker, index) =>
        new Promise<void>((resolveWorker, rejectWorker) => {
          const started = new Map<string, number>();
          const next = (): void => {
            // Another process or shard sharing this results directory may have stored a queued run meanwhile.
            let run = queue.shift();
            while (run && pendingRuns([run], (id) => readResult(resultPath(out, id))).length === 0) {
              log(`w${index} skip  ${run.id} (stored meanwhile by another process)`);
              run = queue.shift();
            }
            if (!run) {
              worker.postMessage({ type: 'exit' } satisfies ToWorker);
              void worker.terminate().then(() => resolveWorker());
              return;
            }
            started.set(run.id, performance.now());
            log(`w${index} start ${run.id} (cap ${run.cap}, load ${loadavg()[0].toFixed(1)})`);
            worker.postMessage({ type: 'run', run } satisfies ToWorker);
          };
          worker.on('message', (message: FromWorker) => {
            switch (message.type) {
              case 'ready':
                next();
                break;
              case 'progress':
                log(
                  `w${index}   ${message.id} step ${message.step} train ${message.trainAccuracy.toFixed(3)} test ${message.testAccuracy.toFixed(3)} ${message.msPerStep.toFixed(1)} ms/step`,
                );
                break;
              case 'done':
                writeResult(out, message.result);
                completed++;
                log(
                  `w${index} done  ${message.result.id} [${completed}/${total}] ${describe(message.result)}`,
                );
                next();
                break;
              case 'failed':
                completed++;
                log(`w${index} FAILED ${message.id}: ${message.error} (not stored; rerun to retry)`);
                next();
                break;
            }
          });
          worker.on('error', (error) => rejectWorker(error));
        }),
    ),
  );
  return completed;
}

export function writeReport(mode: Mode, out: string, command: string): string {
  const plan = planRuns(mode);
  const report = buildReport(
    mode,
    plan,
    readResultsWithProgress(out),
    { generatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), command },
    readStepCosts(out),
  );
  const plotsDir = join(out, 'plots');
  mkdirSync(plotsDir, { recursive: true });
  for (const name of readdirSync(plotsDir)) if (name.endsWith('.svg')) rmSync(join(plotsDir, name));
  for (const [name, svg] of Object.entries(report.plots)) writeFileSync(join(plotsDir, name), svg);
  const path = join(out, 'REPORT.md');
  writeFileSync(path, report.markdown);
  return path;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const plan = planRuns(args.mode, args.suites).filter(
    (run) =>
      inShard(run.id, args.shard) &&
      !args.skip.includes(run.method) &&
      (args.seeds === null || args.seeds.includes(run.seed)),
  );
  const pending = pendingRuns(plan, (id) => readResult(resultPath(args.out, id)));
  const queue = pending.slice(0, args.maxRuns);
  log(
    `${args.mode} mode · suites ${args.suites.join(',')} · shard ${args.shard.index}/${args.shard.count} · ${plan.length} runs planned, ${plan.length - pending.length} already stored, ${queue.length} to run on ${Math.min(args.workers, Math.max(1, queue.length))} worker(s) → ${args.out}`,
  );
  if (args.list) {
    for (const run of plan) {
      console.log(`${pending.includes(run) ? 'todo' : 'done'}  ${run.id}  cap ${run.cap}  hash ${run.hash}`);
    }
    return;
  }
  if (!args.reportOnly && queue.length > 0) {
    if (args.worker.backend === 'webgpu') {
      // Fail here, once, with what to install, rather than in every worker.
      const info = await installNodeWebGpu({ adapter: args.worker.webgpuAdapter });
      log(
        `WebGPU adapter: ${info.description}${info.software ? ' (software: correctness only, very slow)' : ''}`,
      );
    }
    mkdirSync(args.out, { recursive: true });
    await runPool([...queue], args.workers, args.out, args.worker);
  }
  const flags = [
    ...(args.mode === 'quick' ? ['--quick'] : []),
    ...(args.worker.backend === 'wasm' ? [] : ['--backend', args.worker.backend]),
  ];
  const command = `npm run bench:grok${flags.length > 0 ? ` -- ${flags.join(' ')}` : ''}`;
  log(`report: ${writeReport(args.mode, args.out, command)}`);
}

main().then(
  // Dawn (WebGPU) keeps the event loop alive once loaded; the results are written.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(error instanceof WebGpuUnavailableError ? 2 : 1);
  },
);
