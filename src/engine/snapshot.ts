/**
 * A run's snapshot: everything needed to resume it exactly (config, weights, optimizer moments, history, events),
 * as the trainer writes it and as it comes back from outside (IndexedDB, a file, the page handing it to the
 * worker). The schema is the type (RunSnapshot, TrainerState). Two depths of check:
 *  - `storedSnapshotProblems` (before a stored snapshot is offered or sent to a worker): everything, including the
 *    weights against the model its config builds and the optimizer moments against the weights;
 *  - `snapshotIssues` (the worker's restore): the structure, cheap; the trainer checks its own weights.
 */
import { z } from 'zod';
import { configSchema, validateConfig, type Config, type ConfigIssue } from './config';
import {
  adamStateSchema,
  isFloat32Array,
  parameterSize,
  regularizerStateSchema,
  weightMapSchema,
} from './carriedState';
import { parameterShapes } from './models/parameterShapes';
import { isPlainObject } from './plainObjects';
import { describe, problemsOf, type Problem } from './problems';
import { eventsSchema, historySchema, wholeNumber } from './records';

/** The config, checked by the config's own schema; typed as the Config the engine documents. */
export const checkedConfig = configSchema as unknown as z.ZodType<Config>;

export const runSnapshotSchema = z.object(
  {
    version: z.literal(1, { error: (issue) => `snapshot version ${describe(issue.input)} is not 1` }),
    config: checkedConfig,
    step: wholeNumber,
    parameters: weightMapSchema,
    optimizer: adamStateSchema,
    history: historySchema,
    events: eventsSchema,
    batchEpoch: wholeNumber,
    /** Carried state of the active regularizers that have any (Grokfast filters, NeuralGrok's φ), by id. */
    regularizers: z.record(z.string(), regularizerStateSchema, { error: 'must be an object' }).optional(),
  },
  { error: 'must be an object' },
);
export type RunSnapshot = z.output<typeof runSnapshotSchema>;
/** What a trainer saves and restores: its snapshot without the format's version. */
export type TrainerState = Omit<RunSnapshot, 'version'>;

const anObject = z.record(z.string(), z.unknown(), { error: 'must be an object' });

/** What the worker needs to restore without crashing; the config is validated by the session itself. */
const snapshotEnvelopeSchema = runSnapshotSchema.extend({
  config: anObject,
  history: z
    .array(z.unknown(), { error: 'must be a list of evaluations' })
    .refine((records) => records.every((record) => Number.isInteger((record as { step?: unknown })?.step)), {
      error: 'every record must be an object with a whole-number step',
    }),
  events: z.array(z.unknown(), { error: 'must be a list of changes' }).refine(
    (list) =>
      list.every((event) => {
        const { step, path } = (event ?? {}) as { step?: unknown; path?: unknown };
        return Number.isInteger(step) && typeof path === 'string';
      }),
    { error: 'every event must have a whole-number step and a path' },
  ),
});

/** The worker's check of a snapshot from outside (IndexedDB, a file, the page): its structure, paths "snapshot.…". */
export function snapshotIssues(snapshot: unknown): ConfigIssue[] {
  const parsed = snapshotEnvelopeSchema.safeParse(snapshot);
  return parsed.success ? [] : problemsOf(parsed.error.issues, 'snapshot');
}

/**
 * Whether a snapshot's weights fit the model its own config builds (names and sizes) and its optimizer moments
 * fit the weights. Reads the value defensively: what is not even the right type is the schema's to report.
 */
export function snapshotFitProblems(snapshot: unknown, path: string): Problem[] {
  if (!isPlainObject(snapshot) || !isPlainObject(snapshot.parameters)) return [];
  const problems: Problem[] = [];
  const parameters = snapshot.parameters;
  const at = (group: string, name: string) => `${path}.${group}.${name}`;
  const validated = validateConfig(snapshot.config);
  if (validated.ok) {
    const expected = parameterShapes(validated.config);
    const names = new Set(expected.map((info) => info.name));
    for (const info of expected) {
      const size = parameterSize(info.shape);
      const values = parameters[info.name];
      const needs = `the model its config builds needs ${size} (${info.shape.join(' × ')})`;
      if (values === undefined)
        problems.push({ path: at('parameters', info.name), message: `missing; ${needs}` });
      else if (isFloat32Array(values) && values.length !== size)
        problems.push({
          path: at('parameters', info.name),
          message: `has ${values.length} values but ${needs}`,
        });
    }
    for (const [name, values] of Object.entries(parameters)) {
      if (!names.has(name) && isFloat32Array(values))
        problems.push({
          path: at('parameters', name),
          message: `is not a parameter of the model its config builds (${validated.config.model.kind})`,
        });
    }
  }
  const optimizer = snapshot.optimizer;
  if (!isPlainObject(optimizer)) return problems;
  for (const group of ['firstMoments', 'secondMoments'] as const) {
    const moments = optimizer[group];
    if (!isPlainObject(moments)) continue;
    for (const [name, values] of Object.entries(moments)) {
      const parameter = parameters[name];
      if (!isFloat32Array(values)) continue;
      if (parameter === undefined)
        problems.push({ path: at(`optimizer.${group}`, name), message: 'belongs to no parameter' });
      else if (isFloat32Array(parameter) && parameter.length !== values.length)
        problems.push({
          path: at(`optimizer.${group}`, name),
          message: `has ${values.length} values but the parameter has ${parameter.length}`,
        });
    }
    for (const [name, parameter] of Object.entries(parameters)) {
      if (isFloat32Array(parameter) && moments[name] === undefined)
        problems.push({
          path: at(`optimizer.${group}`, name),
          message: `missing (the parameter has ${parameter.length} values)`,
        });
    }
  }
  return problems;
}

/** The settings a run keeps from start to end (live changes touch only regularizers, optimizer and training). */
const FIXED_SECTIONS = ['task', 'model', 'seed'] as const;

/**
 * Whether a snapshot's weights belong to the run that carries them: its config's task, model and seed must be the
 * owner's (a file whose run config was edited would otherwise resume weights of another model under its name).
 */
export function snapshotOwnerProblems(snapshot: unknown, owner: unknown, path: string): Problem[] {
  if (!isPlainObject(snapshot) || snapshot.config === undefined) return [];
  const mine = validateConfig(snapshot.config);
  const theirs = validateConfig(owner);
  if (!mine.ok || !theirs.ok) return [];
  return FIXED_SECTIONS.filter(
    (section) => JSON.stringify(mine.config[section]) !== JSON.stringify(theirs.config[section]),
  ).map((section) => ({
    path: `${path}.config.${section}`,
    message: `is not the run's own ${section} (the weights belong to another run); the file was changed`,
  }));
}

/**
 * Everything wrong with one stored snapshot before it is offered or sent to a worker: its schema (weights as
 * finite Float32Arrays), its weights against the model its config builds, and its config against its owner's.
 */
export function storedSnapshotProblems(snapshot: unknown, owner: unknown, path: string): Problem[] {
  const parsed = runSnapshotSchema.safeParse(snapshot);
  return [
    ...(parsed.success ? [] : problemsOf(parsed.error.issues, path)),
    ...snapshotFitProblems(snapshot, path),
    ...snapshotOwnerProblems(snapshot, owner, path),
  ];
}
