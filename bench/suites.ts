// Over 500 lines because it is the whole plan (suites, methods, bases, modes, run order), read together when a run changes.
import {
  deepMerge,
  DEFAULT_CONFIG,
  formatIssues,
  validateConfig,
  type Config,
  type DeepPartial,
} from '../src/engine/config';
import { PRESETS } from '../src/engine/presets';
import { configHash } from './hash';

/**
 * The bench's plan: every run of every suite as a fully resolved engine config. Deterministic — the same mode
 * always yields the same runs, ids and hashes — so results can be resumed and sharded across machines.
 */

export type Mode = 'quick' | 'full';
export type SuiteId = 'methods' | 'operations' | 'timescale' | 'addition' | 'classic' | 'transformer';
export const SUITE_IDS: readonly SuiteId[] = [
  'methods',
  'operations',
  'timescale',
  'addition',
  'classic',
  'transformer',
];

export const SUITE_TITLES: Record<SuiteId, string> = {
  methods: '1. Steps-to-grok by method, (a+b) mod 31, MLP',
  operations: '2. The same on a−b and a²+b² (MLP)',
  timescale: '3. Weight-norm timescale: steps-to-grok vs clamped norm ρ',
  addition: '4. Radial penalty on 2-digit addition (small causal transformer)',
  classic: '1b. Steps-to-grok by method, classic 1-layer transformer, (a+b) mod 97',
  transformer: '1c. Steps-to-grok by method, fast 1-layer transformer, (a−b) mod 31',
};

export interface RunSpec {
  /** Unique and filename-safe: `${suite}.${group}.${method}.s${seed}`. */
  id: string;
  suite: SuiteId;
  /** Runs that are compared with each other (same task and base setup). */
  group: string;
  method: string;
  label: string;
  seed: number;
  config: Config;
  /** Step cap (also config.training.maxSteps). */
  cap: number;
  evalEvery: number;
  /** Lower runs first: cheap, informative runs before the rest, seed 0 of every suite before seed 1. */
  priority: number;
  /** Numeric knobs of the run the report plots against (e.g. ρ). */
  params: Record<string, number>;
  /** Hash of everything that determines the result; a stored result is reused only when it matches. */
  hash: string;
}

/** Bump when the runner changes in a way that changes results (invalidates stored results). */
export const BENCH_VERSION = 1;

export interface MethodDef {
  key: string;
  label: string;
  patch: DeepPartial<Config>;
  /**
   * A lower step cap for a method whose steps cost many plain steps, in the suites listed; the report states it
   * and why.
   */
  maxCap?: { steps: number; reason: string; suites: readonly SuiteId[] };
}

/** Methods compared in suites 1, 2 and 1b, as patches over the group's base (which sets the weight decay). */
export const METHODS: readonly MethodDef[] = [
  {
    key: 'baseline-wd0.1',
    label: 'AdamW wd 0.1 (weak baseline)',
    patch: { regularizers: { weightDecay: { enabled: true, coefficient: 0.1 } } },
  },
  {
    key: 'baseline-wd1',
    label: 'AdamW wd 1 (tuned baseline)',
    patch: { regularizers: { weightDecay: { enabled: true, coefficient: 1 } } },
  },
  {
    key: 'radial',
    label: 'radial λ 0.01 (hidden)',
    patch: { regularizers: { radial: { enabled: true, lambda: 0.01, sites: 'auto' } } },
  },
  {
    key: 'grokfast',
    label: 'Grokfast EMA α 0.98 λ 2',
    patch: { regularizers: { grokfast: { enabled: true, variant: 'ema', alpha: 0.98, lambda: 2 } } },
  },
  {
    key: 'frobenius',
    label: 'delayed Frobenius λ 0.01',
    patch: {
      regularizers: { frobenius: { enabled: true, lambda: 0.01, trigger: 'accuracy', threshold: 0.99 } },
    },
  },
  {
    key: 'frobenius-1e-3',
    label: 'delayed Frobenius λ 1e-3',
    patch: {
      regularizers: { frobenius: { enabled: true, lambda: 1e-3, trigger: 'accuracy', threshold: 0.99 } },
    },
  },
  {
    key: 'normClamp',
    label: 'norm clamp ρ 0.85 from 500',
    patch: {
      regularizers: { normClamp: { enabled: true, mode: 'startNorm', rho: 0.85, startStep: 500 } },
    },
  },
  {
    key: 'neuralGrok',
    label: 'NeuralGrok T 4, c 1',
    patch: { regularizers: { neuralGrok: { enabled: true, every: 4, scale: 1 } } },
    // Uncapped in suite 1 (issue 18: its weak baseline needs ~14 600 steps, so a 4 000 cap decided nothing); the
    // operations suite keeps the lower cap (the classic suite never applied it).
    maxCap: {
      steps: 4000,
      reason:
        'a NeuralGrok step costs ≈ 5 plain steps here (bench:stepcost) (its amplifier MLP runs on each of the ≈ 45 000 gradient entries), so 4 000 steps already take longer than the weak baseline needs to grok; suite 1 runs it to the full cap',
      suites: ['operations'],
    },
  },
  { key: 'orthoGrad', label: '⊥Grad', patch: { regularizers: { orthoGrad: { enabled: true } } } },
  { key: 'stableMax', label: 'StableMax', patch: { regularizers: { stableMax: { enabled: true } } } },
  {
    key: 'stableMax-wd0',
    label: 'StableMax, no weight decay',
    patch: { regularizers: { weightDecay: { enabled: false }, stableMax: { enabled: true } } },
  },
];

/**
 * Methods only the transformer suite runs: Grokfast in its paper's regime (weight decay ≈ 0, Lee et al. 2024) and
 * the plain run it must beat there.
 */
export const TRANSFORMER_EXTRA_METHODS: readonly MethodDef[] = [
  {
    key: 'baseline-wd0',
    label: 'AdamW wd 0 (Grokfast’s regime)',
    patch: { regularizers: { weightDecay: { enabled: false } } },
  },
  {
    key: 'grokfast-wd0',
    label: 'Grokfast EMA α 0.98 λ 2, wd 0',
    patch: {
      regularizers: {
        weightDecay: { enabled: false },
        grokfast: { enabled: true, variant: 'ema', alpha: 0.98, lambda: 2 },
      },
    },
  },
];

/** Every method any suite runs, in report order. */
export const ALL_METHOD_DEFS: readonly MethodDef[] = [...METHODS, ...TRANSFORMER_EXTRA_METHODS];

/** The step cap of a method's runs in `suite`, capped at `suiteCap`. */
export function capFor(method: MethodDef, suiteCap: number, suite: SuiteId): number {
  const lower = method.maxCap && method.maxCap.suites.includes(suite) ? method.maxCap.steps : suiteCap;
  return Math.min(suiteCap, lower);
}

export function methodLabel(key: string): string {
  return ALL_METHOD_DEFS.find((m) => m.key === key)?.label ?? key;
}

/** DESIGN §4b's CPU regime: (a∘b) mod 31, 70% train, embeddings 2×64 → 256 ReLU, full-batch AdamW lr 3e-3. */
export function mlpBase(operation: string): DeepPartial<Config> {
  return {
    task: { kind: 'modular', operation, modulus: 31, trainFraction: 0.7 },
    model: { kind: 'mlp', embedDim: 64, hiddenWidth: 256, hiddenLayers: 1, activation: 'relu' },
    optimizer: { lr: 3e-3, warmupSteps: 0, batchSize: 0 },
    regularizers: { weightDecay: { enabled: true, coefficient: 0.1, mode: 'decoupled' } },
  };
}

/**
 * Suite 3, the weight-norm paper's setup scaled to CPU: (a+b) mod 31 at 70% train instead of mod 59 at 40%, ReLU
 * instead of GELU (GELU costs ≈ 3× per step in tfjs-wasm), embeddings 64 instead of 128, hidden 256, full-batch
 * AdamW lr 1e-3, wd 1. The clamp acts from step 500 (the paper's t_int) at ρ × the weight norm at that step.
 */
export function timescaleBase(): DeepPartial<Config> {
  return {
    task: { kind: 'modular', operation: 'a+b', modulus: 31, trainFraction: 0.7 },
    model: { kind: 'mlp', embedDim: 64, hiddenWidth: 256, hiddenLayers: 1, activation: 'relu' },
    optimizer: { lr: 1e-3, warmupSteps: 0, batchSize: 0 },
    regularizers: { weightDecay: { enabled: true, coefficient: 1, mode: 'decoupled' } },
  };
}

/** Suite 4: 2-digit addition `ab+cd=` → 3 answer digits, 3 000 problems (50% train), 2 layers d 64, batch 64. */
export function additionBase(): DeepPartial<Config> {
  return {
    task: { kind: 'addition', digits: 2, samples: 3000, trainFraction: 0.5 },
    model: { kind: 'transformer', layers: 2, dModel: 64, heads: 4, dMlp: 256, layerNorm: true },
    optimizer: { lr: 1e-3, warmupSteps: 10, batchSize: 64 },
    regularizers: { weightDecay: { enabled: true, coefficient: 1e-3, mode: 'decoupled' } },
  };
}

/**
 * Suite 1c: the "Fast transformer" preset's model and task (1-layer transformer d 64, 4 heads, d_mlp 256, (a−b) mod
 * 31, 70% train, full-batch AdamW lr 3e-3), with the weak weight decay (0.1) as the base every method is stacked on,
 * as in suite 1.
 */
export function transformerBase(): DeepPartial<Config> {
  const { task, model, optimizer } = PRESETS.fastTransformer.config;
  return {
    task,
    model,
    optimizer: { ...optimizer, batchSize: 0 },
    regularizers: { weightDecay: { enabled: true, coefficient: 0.1, mode: 'decoupled' } },
  };
}

export const OPERATIONS = [
  { operation: 'a+b', slug: 'add' },
  { operation: 'a-b', slug: 'sub' },
  { operation: 'a^2+b^2', slug: 'sq' },
] as const;

export const RHOS_FULL = [0.85, 1.0, 1.15, 1.3, 1.45];

interface ModeSettings {
  seeds: number[];
  methods: { cap: number; evalEvery: number; methods: readonly string[] };
  operations: { cap: number; evalEvery: number; methods: readonly string[] };
  timescale: { cap: number; evalEvery: number; rhos: number[] };
  addition: { cap: number; evalEvery: number };
  classic: { cap: number; evalEvery: number; methods: readonly string[]; seeds: number[] };
  transformer: { cap: number; evalEvery: number; methods: readonly string[] };
  /** Steps to keep training after test accuracy first reaches 99% (to show the curve settle). */
  stopAfterGrok: number;
}

const ALL_METHODS = METHODS.map((m) => m.key);
const CLASSIC_METHODS = ALL_METHODS.filter((key) => !['baseline-wd0.1', 'frobenius'].includes(key));
const TRANSFORMER_METHODS = ALL_METHOD_DEFS.map((m) => m.key);

export const MODES: Record<Mode, ModeSettings> = {
  full: {
    seeds: [0, 1, 2],
    methods: { cap: 20_000, evalEvery: 50, methods: ALL_METHODS },
    operations: { cap: 10_000, evalEvery: 50, methods: ALL_METHODS },
    timescale: { cap: 10_000, evalEvery: 50, rhos: RHOS_FULL },
    addition: { cap: 4000, evalEvery: 100 },
    classic: { cap: 10_000, evalEvery: 200, methods: CLASSIC_METHODS, seeds: [0, 1, 2] },
    transformer: { cap: 5000, evalEvery: 50, methods: TRANSFORMER_METHODS },
    stopAfterGrok: 250,
  },
  quick: {
    seeds: [0],
    methods: { cap: 600, evalEvery: 50, methods: ALL_METHODS },
    operations: { cap: 400, evalEvery: 50, methods: ['baseline-wd0.1', 'baseline-wd1', 'radial'] },
    timescale: { cap: 1000, evalEvery: 50, rhos: RHOS_FULL },
    addition: { cap: 60, evalEvery: 30 },
    classic: { cap: 4, evalEvery: 2, methods: ['baseline-wd1'], seeds: [0] },
    transformer: { cap: 100, evalEvery: 50, methods: ['baseline-wd1', 'grokfast-wd0'] },
    stopAfterGrok: 50,
  },
};

/**
 * The config as far as it can affect a run: regularizers that are switched off are dropped, so changing the default
 * of a method a run does not use (e.g. another engineer retuning Frobenius) does not invalidate its stored result.
 */
export function effectiveConfig(config: Config): unknown {
  const regularizers = Object.fromEntries(
    Object.entries(config.regularizers).filter(([, settings]) => settings.enabled),
  );
  return { ...config, regularizers };
}

/** What a stored result is matched on: the effective config, the step cap and the evaluation interval. */
export function runHash(config: Config, cap: number, evalEvery: number): string {
  return configHash({ version: BENCH_VERSION, config: effectiveConfig(config), cap, evalEvery });
}

function resolve(base: DeepPartial<Config>, ...patches: DeepPartial<Config>[]): Config {
  let merged: unknown = deepMerge(DEFAULT_CONFIG, base);
  for (const patch of patches) merged = deepMerge(merged, patch);
  const result = validateConfig(merged);
  if (!result.ok) throw new Error(`bench config invalid:\n${formatIssues(result.issues)}`);
  return result.config;
}

const SUITE_RANK: Record<SuiteId, number> = {
  methods: 0,
  timescale: 1,
  operations: 3,
  addition: 4,
  classic: 5,
  transformer: 6,
};

/**
 * Runs expected to be costly: to the step cap (DESIGN §4b: Grokfast slowed every MLP run; StableMax without weight
 * decay is the slowest claim to test) or ≈ 4× per step (NeuralGrok's elementwise meta-MLP on every gradient entry).
 * Within a seed they run after the timescale suite, so a session cut short still has every cheap method and the
 * timescale sweep.
 */
const EXPENSIVE = new Set(['neuralGrok', 'grokfast', 'stableMax-wd0']);

/** Within a seed: the weak baseline first (it takes longest of the needed runs), then the cheap methods. */
const RUN_ORDER = [
  'baseline-wd0.1',
  'baseline-wd1',
  'baseline-wd0',
  'grokfast-wd0',
  'frobenius-1e-3',
  'radial',
  'normClamp',
  'orthoGrad',
  'stableMax',
  'frobenius',
  'neuralGrok',
  'grokfast',
  'stableMax-wd0',
];

function runOrder(method: string, fallback: number): number {
  const index = RUN_ORDER.indexOf(method);
  return index < 0 ? fallback : index;
}

function spec(
  fields: Omit<RunSpec, 'id' | 'hash' | 'config' | 'priority'> & { patches: DeepPartial<Config>[] },
  base: DeepPartial<Config>,
  stopAfterGrok: number,
  order: number,
): RunSpec {
  const config = resolve(base, ...fields.patches, {
    seed: fields.seed,
    training: { maxSteps: fields.cap, evalEvery: fields.evalEvery, grokThreshold: 0.99, stopAfterGrok },
  });
  const { patches: _patches, ...rest } = fields;
  const id = `${fields.suite}.${fields.group}.${fields.method}.s${fields.seed}`;
  // Seed 0 of the MLP suites first, then seed 1, …; the fast transformer (seed 0 of every method first) after every
  // MLP run, the classic transformer last.
  const rank =
    SUITE_RANK[fields.suite] + (fields.suite === 'methods' && EXPENSIVE.has(fields.method) ? 2 : 0);
  const priority =
    fields.suite === 'classic'
      ? 1_000_000 + fields.seed * 1000 + order
      : fields.suite === 'transformer'
        ? 900_000 + fields.seed * 1000 + order
        : fields.seed * 100_000 + rank * 1000 + order;
  const hash = runHash(config, fields.cap, fields.evalEvery);
  return { ...rest, id, config, priority, hash };
}

/** Every run of the given suites in the given mode, ordered by priority. */
export function planRuns(mode: Mode, suites: readonly SuiteId[] = SUITE_IDS): RunSpec[] {
  const settings = MODES[mode];
  const runs: RunSpec[] = [];
  const stop = settings.stopAfterGrok;
  const method = (key: string): MethodDef => {
    const found = ALL_METHOD_DEFS.find((m) => m.key === key);
    if (!found) throw new Error(`unknown method ${key}`);
    return found;
  };
  for (const seed of settings.seeds) {
    if (suites.includes('methods')) {
      const { cap, evalEvery, methods } = settings.methods;
      methods.forEach((key, order) => {
        const m = method(key);
        const fields = { suite: 'methods' as const, group: 'mlp31-add', method: key, label: m.label };
        runs.push(
          spec(
            { ...fields, seed, cap: capFor(m, cap, 'methods'), evalEvery, params: {}, patches: [m.patch] },
            mlpBase('a+b'),
            stop,
            runOrder(key, order),
          ),
        );
      });
    }
    if (suites.includes('operations')) {
      const { cap, evalEvery, methods } = settings.operations;
      OPERATIONS.filter((op) => op.operation !== 'a+b').forEach((op, opIndex) => {
        methods.forEach((key, order) => {
          const m = method(key);
          const fields = {
            suite: 'operations' as const,
            group: `mlp31-${op.slug}`,
            method: key,
            label: m.label,
          };
          runs.push(
            spec(
              {
                ...fields,
                seed,
                cap: capFor(m, cap, 'operations'),
                evalEvery,
                params: {},
                patches: [m.patch],
              },
              mlpBase(op.operation),
              stop,
              opIndex * 100 + runOrder(key, order),
            ),
          );
        });
      });
    }
    if (suites.includes('timescale')) {
      const { cap, evalEvery, rhos } = settings.timescale;
      runs.push(
        spec(
          {
            suite: 'timescale',
            group: 'mlp31-wd1',
            method: 'free',
            label: 'no clamp (reference)',
            seed,
            cap,
            evalEvery,
            params: {},
            patches: [],
          },
          timescaleBase(),
          stop,
          0,
        ),
      );
      rhos.forEach((rho, order) => {
        runs.push(
          spec(
            {
              suite: 'timescale',
              group: 'mlp31-wd1',
              method: `rho${rho.toFixed(2)}`,
              label: `clamp ρ ${rho.toFixed(2)}`,
              seed,
              cap,
              evalEvery,
              params: { rho },
              patches: [
                { regularizers: { normClamp: { enabled: true, mode: 'startNorm', rho, startStep: 500 } } },
              ],
            },
            timescaleBase(),
            stop,
            order + 1,
          ),
        );
      });
    }
    if (suites.includes('addition')) {
      const { cap, evalEvery } = settings.addition;
      const variants = [
        { key: 'baseline', label: 'AdamW wd 1e-3', patch: {} },
        {
          key: 'radial',
          label: 'radial λ 0.01 (residual)',
          patch: { regularizers: { radial: { enabled: true, lambda: 0.01, sites: 'auto' } } },
        },
      ] as const;
      variants.forEach((variant, order) => {
        runs.push(
          spec(
            {
              suite: 'addition',
              group: 'add2-tf2',
              method: variant.key,
              label: variant.label,
              seed,
              cap,
              evalEvery,
              params: {},
              patches: [variant.patch as DeepPartial<Config>],
            },
            additionBase(),
            stop,
            order,
          ),
        );
      });
    }
  }
  if (suites.includes('transformer')) {
    const { cap, evalEvery, methods } = settings.transformer;
    for (const seed of settings.seeds) {
      methods.forEach((key, order) => {
        const m = method(key);
        runs.push(
          spec(
            {
              suite: 'transformer',
              group: 'tf31-sub',
              method: key,
              label: m.label,
              seed,
              cap: capFor(m, cap, 'transformer'),
              evalEvery,
              params: {},
              patches: [m.patch],
            },
            transformerBase(),
            stop,
            runOrder(key, order),
          ),
        );
      });
    }
  }
  if (suites.includes('classic')) {
    const { cap, evalEvery, methods, seeds } = settings.classic;
    for (const seed of seeds) {
      methods.forEach((key, order) => {
        const m = method(key);
        runs.push(
          spec(
            {
              suite: 'classic',
              group: 'classic-p97',
              method: key,
              label: m.label,
              seed,
              cap,
              evalEvery,
              params: {},
              patches: [m.patch],
            },
            {},
            stop,
            order,
          ),
        );
      });
    }
  }
  return runs.sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : 1));
}
