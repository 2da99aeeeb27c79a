import { z } from 'zod';
import { MODEL_KINDS } from './models/kinds';
import { REGULARIZERS, type RegularizerId } from './regularizers/registry';
import type { ParamSpec, ParamValues } from './regularizers/spec';
import { ExpressionError, parseExpression, usesDivision } from './tasks/expression';
import { isPrime, operationExpression } from './tasks/modular';

// No code generation: zod's JIT probes the Function constructor, which the lab's Content-Security-Policy (no
// 'unsafe-eval') reports as a violation on every page load. The interpreted parser is fast enough for configs.
z.config({ jitless: true });

/**
 * The one description of a run: its schema is the TypeScript type, the validator for everything that enters
 * from outside (URL, imported JSON, CLI --set, worker messages) and, with DEFAULT_CONFIG, the defaults.
 */

const taskSchema = z.strictObject({
  kind: z.enum(['modular', 'addition', 'parity', 'table']),
  /** A built-in name ("a+b", "a/b", …) or any expression in a, b and p. */
  operation: z.string().min(1).max(200),
  modulus: z.number().int().min(2).max(257),
  trainFraction: z.number().gt(0).lt(1),
  digits: z.number().int().min(1).max(6),
  /** Examples drawn for addition and parity. */
  samples: z.number().int().min(16).max(200_000),
  parityBits: z.number().int().min(2).max(64),
  parityRelevant: z.number().int().min(1).max(16),
  /** An uploaded operation table for kind "table": flat (a, b, result) triples, all below the modulus. */
  table: z
    .strictObject({
      name: z.string().max(200),
      rows: z.array(z.number().int().min(0).max(256)).max(3 * 257 * 257),
    })
    .nullable(),
});

const modelSchema = z.strictObject({
  kind: z.enum(MODEL_KINDS),
  // MLP
  embedDim: z.number().int().min(1).max(1024),
  hiddenWidth: z.number().int().min(1).max(4096),
  hiddenLayers: z.number().int().min(1).max(8),
  activation: z.enum(['relu', 'gelu', 'tanh']),
  combine: z.enum(['concat', 'sum']),
  // Transformer
  layers: z.number().int().min(1).max(8),
  dModel: z.number().int().min(4).max(1024),
  heads: z.number().int().min(1).max(32),
  dMlp: z.number().int().min(4).max(4096),
  layerNorm: z.boolean(),
});

const optimizerSchema = z.strictObject({
  lr: z.number().gt(0).max(1),
  beta1: z.number().min(0).lt(1),
  beta2: z.number().min(0).lt(1),
  epsilon: z.number().gt(0).max(1),
  /** Linear learning-rate warm-up over this many steps. */
  warmupSteps: z.number().int().min(0).max(100_000),
  /** 0 = full batch. */
  batchSize: z.number().int().min(0).max(100_000),
});

const trainingSchema = z.strictObject({
  /** Evaluate every this many steps; 0 = adaptive (frequent early, sparser later, bounded cost). */
  evalEvery: z.number().int().min(0).max(100_000),
  /** Test accuracy that counts as "grokked". */
  grokThreshold: z.number().gt(0).max(1),
  /** Step budget (the CLI's default length; the lab's auto-stop). */
  maxSteps: z.number().int().min(1).max(10_000_000),
  /** Stop this many steps after grokking; 0 = keep going. */
  stopAfterGrok: z.number().int().min(0).max(10_000_000),
});

function paramSchema(spec: ParamSpec): z.ZodType {
  switch (spec.kind) {
    case 'number': {
      const base = z.number().min(spec.min).max(spec.max);
      return spec.integer ? base.int() : base;
    }
    case 'choice':
      return z.enum(spec.options as [string, ...string[]]);
    case 'boolean':
      return z.boolean();
  }
}

export type RegularizerConfigs = {
  [K in RegularizerId]: { enabled: boolean } & ParamValues<(typeof REGULARIZERS)[K]['params']>;
};

const regularizersSchema = z.strictObject(
  Object.fromEntries(
    Object.values(REGULARIZERS).map((definition) => [
      definition.id,
      z.strictObject({
        enabled: z.boolean(),
        ...Object.fromEntries(
          Object.entries(definition.params).map(([key, spec]) => [key, paramSchema(spec)]),
        ),
      }),
    ]),
  ),
) as unknown as z.ZodType<RegularizerConfigs>;

export const configSchema = z
  .strictObject({
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    task: taskSchema,
    model: modelSchema,
    optimizer: optimizerSchema,
    regularizers: regularizersSchema,
    training: trainingSchema,
  })
  .superRefine((config, context) => {
    const { task, model } = config;
    if (model.kind === 'transformer' && model.dModel % model.heads !== 0) {
      context.addIssue({
        code: 'custom',
        path: ['model', 'heads'],
        message: `must divide model.dModel (${model.dModel}); got ${model.heads}`,
      });
    }
    if (task.kind === 'addition' && model.kind !== 'transformer') {
      context.addIssue({
        code: 'custom',
        path: ['model', 'kind'],
        message: 'addition is a sequence task: model.kind must be "transformer"',
      });
    }
    if (task.kind === 'parity' && task.parityRelevant > task.parityBits) {
      context.addIssue({
        code: 'custom',
        path: ['task', 'parityRelevant'],
        message: `must be at most task.parityBits (${task.parityBits})`,
      });
    }
    if (task.kind === 'table') {
      const issue = tableIssue(task.table, task.modulus);
      if (issue) context.addIssue({ code: 'custom', path: ['task', 'table'], message: issue });
    }
    if (task.kind === 'modular') {
      try {
        const expression = parseExpression(operationExpression(task.operation));
        if (usesDivision(expression) && !isPrime(task.modulus)) {
          context.addIssue({
            code: 'custom',
            path: ['task', 'modulus'],
            message: `division needs a prime modulus; ${task.modulus} is not prime`,
          });
        }
      } catch (error) {
        context.addIssue({
          code: 'custom',
          path: ['task', 'operation'],
          message: error instanceof ExpressionError ? error.message : String(error),
        });
      }
    }
  });

/** Why an uploaded table cannot be used, or null. */
function tableIssue(table: { rows: number[] } | null, modulus: number): string | null {
  if (!table) return 'kind "table" needs an uploaded table';
  const { rows } = table;
  if (rows.length % 3 !== 0) return 'rows must be (a, b, result) triples';
  if (rows.length / 3 < 4) return 'needs at least 4 (a, b) pairs';
  const seen = new Set<number>();
  for (let i = 0; i < rows.length; i += 3) {
    if (rows[i] >= modulus || rows[i + 1] >= modulus || rows[i + 2] >= modulus) {
      return `triple ${i / 3 + 1} has a value ≥ task.modulus (${modulus})`;
    }
    const pair = rows[i] * modulus + rows[i + 1];
    if (seen.has(pair)) return `pair (${rows[i]}, ${rows[i + 1]}) appears twice`;
    seen.add(pair);
  }
  return null;
}

type Inferred = z.infer<typeof configSchema>;
export type Config = Omit<Inferred, 'regularizers'> & { regularizers: RegularizerConfigs };
export type TaskConfig = Config['task'];
export type ModelConfig = Config['model'];
export type OptimizerConfig = Config['optimizer'];
export type TrainingConfig = Config['training'];

function regularizerDefaults(): RegularizerConfigs {
  const result: Record<string, unknown> = {};
  for (const definition of Object.values(REGULARIZERS)) {
    const params: Record<string, unknown> = { enabled: false };
    for (const [key, spec] of Object.entries(definition.params)) params[key] = spec.default;
    result[definition.id] = params;
  }
  return result as RegularizerConfigs;
}

/** The classic grokking setup (Power et al. 2022; Nanda et al. 2023). */
export const DEFAULT_CONFIG: Config = Object.freeze({
  seed: 0,
  task: {
    kind: 'modular',
    operation: 'a+b',
    modulus: 97,
    trainFraction: 0.3,
    digits: 3,
    samples: 4000,
    parityBits: 30,
    parityRelevant: 3,
    table: null,
  },
  model: {
    kind: 'transformer',
    embedDim: 128,
    hiddenWidth: 512,
    hiddenLayers: 1,
    activation: 'relu',
    combine: 'concat',
    layers: 1,
    dModel: 128,
    heads: 4,
    dMlp: 512,
    layerNorm: false,
  },
  optimizer: { lr: 1e-3, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, warmupSteps: 10, batchSize: 0 },
  regularizers: (() => {
    const defaults = regularizerDefaults();
    defaults.weightDecay.enabled = true;
    return defaults;
  })(),
  training: { evalEvery: 0, grokThreshold: 0.99, maxSteps: 20_000, stopAfterGrok: 0 },
}) as Config;

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export interface ConfigIssue {
  /** Dotted key, e.g. "task.modulus". */
  path: string;
  message: string;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; issues: ConfigIssue[] };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Overlays `patch` on `base` key by key (arrays and scalars replace). Neither input is modified. */
export function deepMerge<T>(base: T, patch: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(patch)) return (patch === undefined ? base : patch) as T;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    result[key] = key in base ? deepMerge((base as Record<string, unknown>)[key], value) : value;
  }
  return result as T;
}

export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => `${issue.path || '(config)'}: ${issue.message}`).join('\n');
}

/** Validates a complete config. */
export function validateConfig(input: unknown): ConfigResult {
  const parsed = configSchema.safeParse(input);
  if (parsed.success) return { ok: true, config: parsed.data as Config };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((key) => (path ? `${path}.${key}` : key));
        return { path: keys.join(', '), message: `unknown key${keys.length > 1 ? 's' : ''}` };
      }
      return { path, message: issue.message };
    }),
  };
}

/** Overlays a partial config on a base (the defaults unless given) and validates the result. */
export function resolveConfig(partial: unknown, base: Config = DEFAULT_CONFIG): ConfigResult {
  if (partial !== undefined && !isPlainObject(partial)) {
    return { ok: false, issues: [{ path: '', message: 'a config must be a JSON object' }] };
  }
  return validateConfig(deepMerge(base, partial));
}

/** Reads a dotted key such as "task.modulus". */
export function getPath(config: unknown, path: string): unknown {
  let node: unknown = config;
  for (const key of path.split('.')) {
    if (!isPlainObject(node) || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

/** A nested patch that sets one dotted key. */
export function patchFromPath(path: string, value: unknown): Record<string, unknown> {
  const keys = path.split('.');
  let patch: unknown = value;
  for (let i = keys.length - 1; i >= 0; i--) patch = { [keys[i]]: patch };
  return patch as Record<string, unknown>;
}
