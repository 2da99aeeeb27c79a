/**
 * The false-alarm suite for the live "hidden progress" readout: memorize-only runs (weight decay 0) beside
 * grokking runs (weight decay 1), MLP and fast transformer, (a+b) and (a−b), two moduli, two train fractions,
 * five seeds. Per run and evaluation it records test accuracy and every candidate measure; per run it reports
 * when each candidate rule first fires, when test accuracy first exceeds 1/p ("leaves chance"), and t99.
 * The after-the-run Nanda-exact restricted/excluded losses (final-model keys) are computed from the logits each
 * evaluation kept.
 *
 *   npx tsx bench/progressAlarms.ts [--workers N] [--quick] [--only mlp|transformer] [--moduli 31,23]
 *                                   [--stop-after-s S] [--out DIR]   (default bench/results/progress-alarms/)
 *   npx tsx bench/progressAlarms.ts --report [--out DIR]    (tables from the stored runs)
 *
 * Each run is one child process' job (one wasm engine per process); finished runs are stored as
 * `run-<id>.json` and skipped on a rerun, so an interrupted suite resumes and several machines' files merge.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig, type Config, type DeepPartial } from '../src/engine/config';
import { nandaAnalysis } from '../src/engine/metrics/nandaProgress';
import { progressSupport } from '../src/engine/metrics/progressMeasures';
import { startNodeBackend } from '../src/engine/node';
import { PRESETS } from '../src/engine/presets';
import { runTraining } from '../src/engine/run';
import { Trainer } from '../src/engine/trainer';
import {
  ALARM_RULES,
  alarmTable,
  type AlarmPoint,
  type AlarmRun,
  type AlarmSpec,
} from './progressAlarmRules';

const HERE = dirname(fileURLToPath(import.meta.url));
const DEFAULT_OUT = join(HERE, 'results', 'progress-alarms');

const EVAL_EVERY = 50;

export function planAlarmRuns(options: {
  quick: boolean;
  only?: 'mlp' | 'transformer';
  moduli: number[];
}): AlarmSpec[] {
  const runs: AlarmSpec[] = [];
  const models = options.only ? [options.only] : (['mlp', 'transformer'] as const);
  const seeds = options.quick ? [0] : [0, 1, 2, 3, 4];
  for (const model of models)
    for (const modulus of options.moduli)
      for (const operation of ['a+b', 'a-b'] as const)
        for (const trainFraction of [0.7, 0.5])
          for (const regime of ['memorize', 'grok'] as const)
            for (const seed of seeds) {
              // Memorize-only runs go on long after memorizing (the readout must stay silent all along); grokking
              // runs stop 200 steps after t99.
              const cap = options.quick ? 300 : model === 'mlp' ? 4000 : 2000;
              const id = `${model}-p${modulus}-${operation === 'a+b' ? 'add' : 'sub'}-f${trainFraction}-${regime}-s${seed}`;
              runs.push({ id, model, operation, modulus, trainFraction, regime, seed, cap });
            }
  return runs;
}

export function alarmConfig(spec: AlarmSpec): Config {
  const preset = spec.model === 'mlp' ? PRESETS.mlp.config : PRESETS.fastTransformer.config;
  const patch: DeepPartial<Config> = {
    task: {
      kind: 'modular',
      operation: spec.operation,
      modulus: spec.modulus,
      trainFraction: spec.trainFraction,
    },
    regularizers: { weightDecay: { enabled: spec.regime === 'grok', coefficient: 1 } },
    training: {
      evalEvery: EVAL_EVERY,
      maxSteps: spec.cap,
      stopAfterGrok: spec.regime === 'grok' ? 200 : 0,
      grokThreshold: 0.99,
    },
    seed: spec.seed,
  } as DeepPartial<Config>;
  const base = resolveConfig(preset);
  if (!base.ok) throw new Error(`preset does not resolve: ${JSON.stringify(base.issues)}`);
  const resolved = resolveConfig(patch, base.config);
  if (!resolved.ok) throw new Error(`${spec.id}: ${JSON.stringify(resolved.issues)}`);
  return resolved.config;
}

const round = (x: number): number => (Number.isFinite(x) ? Number(x.toPrecision(5)) : x);

async function trainOne(spec: AlarmSpec): Promise<AlarmRun> {
  const config = alarmConfig(spec);
  const support = progressSupport(config.task);
  if (!support.defined) throw new Error(`${spec.id}: no progress measures for ${config.task.operation}`);
  const started = performance.now();
  const trainer = new Trainer(config);
  const points: AlarmPoint[] = [];
  const checkpoints: { step: number; logits: Float32Array }[] = [];
  try {
    await runTraining(trainer, {
      untilStep: spec.cap,
      onEvaluation({ record }) {
        const progress = record.progress;
        if (!progress || !trainer.lastProgressLogits) throw new Error(`${spec.id}: no progress measures`);
        checkpoints.push({ step: record.step, logits: Float32Array.from(trainer.lastProgressLogits.logits) });
        points.push({
          step: record.step,
          trainAccuracy: round(record.trainAccuracy),
          testAccuracy: round(record.testAccuracy),
          testWaveLoss: round(progress.testWaveLoss),
          testWaveShare: round(progress.testWaveShare),
          embeddingGini: round(progress.embeddingGini),
          keys: [progress.key0, progress.key1, progress.key2, progress.key3, progress.key4],
        });
      },
    });
    const { dataset } = trainer;
    const grid = dataset.grid!;
    const analysis = nandaAnalysis(checkpoints, {
      a: grid.a,
      b: grid.b,
      targets: dataset.targets,
      isTrain: dataset.isTrain,
      p: grid.size,
      sign: support.sign,
    });
    analysis.points.forEach((nanda, i) => {
      points[i].nandaRestricted = round(nanda.restrictedLoss);
      points[i].nandaExcluded = round(nanda.excludedLoss);
    });
    return {
      spec,
      finalKeys: analysis.keys,
      wallMs: Math.round(performance.now() - started),
      load: round(loadavg()[0]),
      points,
    };
  } finally {
    trainer.dispose();
  }
}

function parseArgs(argv: readonly string[]) {
  const args = {
    workers: Math.max(1, availableParallelism() - 1),
    quick: false,
    only: undefined as 'mlp' | 'transformer' | undefined,
    moduli: [31, 23],
    out: DEFAULT_OUT,
    report: false,
    child: false,
    /** Hand out no new run after this many seconds (the runs under way finish); 0 = no limit. */
    stopAfterS: 0,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--workers') args.workers = Math.max(1, Number.parseInt(value(), 10));
    else if (flag === '--quick') args.quick = true;
    else if (flag === '--only') {
      const only = value();
      if (only !== 'mlp' && only !== 'transformer') throw new Error('--only takes mlp or transformer');
      args.only = only;
    } else if (flag === '--moduli') args.moduli = value().split(',').map(Number);
    else if (flag === '--out') args.out = resolve(value());
    else if (flag === '--report') args.report = true;
    else if (flag === '--stop-after-s') args.stopAfterS = Number(value());
    else if (flag === '--child') args.child = true;
    else throw new Error(`unknown flag ${flag}`);
  }
  return args;
}

function readRuns(out: string): AlarmRun[] {
  if (!existsSync(out)) return [];
  return readdirSync(out)
    .filter((name) => name.startsWith('run-') && name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(join(out, name), 'utf8')) as AlarmRun)
    .sort((x, y) => x.spec.id.localeCompare(y.spec.id));
}

function writeReport(out: string): void {
  const runs = readRuns(out);
  const markdown = alarmTable(runs, ALARM_RULES);
  writeFileSync(join(out, 'README.md'), markdown);
  console.log(markdown);
}

/** A child: one wasm engine, runs the specs the parent sends one at a time. */
async function child(out: string): Promise<void> {
  await startNodeBackend('wasm');
  process.on('message', (message: AlarmSpec | 'exit') => {
    if (message === 'exit') process.exit(0);
    trainOne(message).then(
      (run) => {
        writeFileSync(join(out, `run-${message.id}.json`), JSON.stringify(run));
        process.send!({ done: message.id });
      },
      (error: unknown) => process.send!({ failed: message.id, error: String(error) }),
    );
  });
  process.send!({ ready: true });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) return child(args.out);
  mkdirSync(args.out, { recursive: true });
  if (args.report) return writeReport(args.out);
  const done = new Set(readRuns(args.out).map((run) => run.spec.id));
  // Transformers first: they are the longest runs, so the pool ends together.
  const pending = planAlarmRuns(args)
    .filter((spec) => !done.has(spec.id))
    .sort((x, y) => (x.model === y.model ? 0 : x.model === 'transformer' ? -1 : 1));
  console.log(`${pending.length} runs to do, ${done.size} stored, ${args.workers} workers`);
  const started = performance.now();
  let finished = 0;
  await Promise.all(
    Array.from({ length: Math.min(args.workers, pending.length) }, async () => {
      const worker = fork(process.argv[1], ['--child', '--out', args.out], { stdio: 'inherit' });
      const next = (): void => {
        const late = args.stopAfterS > 0 && performance.now() - started > args.stopAfterS * 1000;
        const spec = late ? undefined : pending.shift();
        if (spec) worker.send(spec);
        else worker.send('exit');
      };
      await new Promise<void>((resolveWorker, reject) => {
        worker.on('message', (message: { ready?: true; done?: string; failed?: string; error?: string }) => {
          if (message.done || message.failed) {
            finished++;
            const minutes = ((performance.now() - started) / 60_000).toFixed(1);
            console.log(
              `${message.done ? 'done' : `FAILED ${message.error}`} ${message.done ?? message.failed} ` +
                `(${finished}, ${minutes} min)`,
            );
          }
          next();
        });
        worker.on('exit', (code) =>
          code === 0 ? resolveWorker() : reject(new Error(`child exited ${code}`)),
        );
      });
    }),
  );
  writeReport(args.out);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
