/**
 * The config's schema and types (split from config.ts so that modules the validation calls, such as the run-cost
 * estimate, can name the Config type without importing the validation that calls them).
 */
import { z } from 'zod';
import { MODEL_KINDS } from './models/kinds';
import { REGULARIZERS, type RegularizerId } from './regularizers/registry';
import type { ParamSpec, ParamValues } from './regularizers/spec';
import { ExpressionError, parseExpression, usesDivision } from './tasks/expression';
import { isPrime, operationExpression, undefinedTableIssue } from './tasks/operations';

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
        } else if (context.issues.length === 0) {
          // Only once the rest is valid (zod runs this refinement even when the modulus is out of range).
          const issue = undefinedTableIssue(task.operation, task.modulus);
          if (issue) context.addIssue({ code: 'custom', path: ['task', 'operation'], message: issue });
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
