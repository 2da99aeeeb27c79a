/**
 * The one schema of a run's data as it crosses a boundary: metric records, config events, snapshots (weights and
 * optimizer moments as Float32Arrays) and stored runs and races, from IndexedDB, an imported file, or a page
 * handing a snapshot to the worker. Beside the worker protocol whose types it checks (schema.test.ts asserts that
 * the inferred types and the hand-documented ones — MetricRecord, RunSnapshot, StoredRun — are the same).
 *
 * Three depths, all derived from the same pieces:
 *  - `validateStoredRun` (a file or record about to replace what is on screen): everything, including every
 *    snapshot's weights against the model its config builds and the optimizer moments against the weights;
 *  - `snapshotIssues` (the worker's restore): the structure, cheap; the trainer checks its own weights;
 *  - `storedRunIssues` (RunStore.put, on every autosave): the record's envelope, cheap.
 * Problems read as "path: what is wrong", at most MAX_PROBLEMS of them, for a teacher.
 */
import { z } from 'zod';
import { configSchema, validateConfig, type Config, type ConfigIssue } from '../engine/config';
import { AFTER_RUN_KEYS, PROGRESS_MEASURE_KEYS } from '../engine/metrics/progressMeasures';
import { parameterShapes, parameterSize } from '../engine/models/parameterShapes';
import type { ConfigEvent, MetricRecord } from '../engine/trainer';

/** Problems shown at most (a damaged file can have thousands); a list stops being checked past this many. */
export const MAX_PROBLEMS = 20;

export const RUN_STATUSES = ['idle', 'running', 'paused', 'finished', 'diverged', 'error'] as const;

/** Dates a saved run may carry: from the lab's prehistory to a day ahead of this clock (skew between machines). */
export const EARLIEST_TIME = Date.UTC(2020, 0, 1);
export const CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

// --- pieces -----------------------------------------------------------------------------------------------------

/** Any number, NaN and ±Infinity included: a diverged run records its non-finite loss. */
const metric = z.custom<number>((value) => typeof value === 'number', 'must be a number');
const wholeNumber = z.custom<number>((value) => Number.isInteger(value) && (value as number) >= 0, {
  error: (issue) => `must be a whole number ≥ 0, got ${describe(issue.input)}`,
});
const nonNegative = z.custom<number>(
  (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0,
  'must be a number ≥ 0',
);
const text = z.string({ error: 'must be text' });
const numberMap = z.record(z.string(), metric, { error: 'must be an object of numbers' });
/** The config, checked by the config's own schema; typed as the Config the engine documents. */
const config = configSchema as unknown as z.ZodType<Config>;

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'a list' : 'an object';
}

/**
 * A Float32Array from any realm: IndexedDB hands back its own (another realm's, in a test's jsdom), so
 * `instanceof` would refuse a good snapshot.
 */
export function isFloat32Array(value: unknown): value is Float32Array {
  return Object.prototype.toString.call(value) === '[object Float32Array]';
}

/** Finite float32 values: NaN/Infinity in weights means the run diverged, and such a snapshot cannot resume. */
const weights = z
  .custom<Float32Array>((value) => isFloat32Array(value), 'must be a Float32Array')
  .superRefine((array, context) => {
    let bad = 0;
    for (let i = 0; i < array.length; i++) if (!Number.isFinite(array[i])) bad++;
    if (bad === 0) return;
    context.addIssue({
      code: 'custom',
      message:
        bad === array.length
          ? `all ${bad} values are NaN/Infinity (the run diverged); this snapshot cannot be resumed`
          : `${bad} of ${array.length} values are NaN/Infinity; this snapshot cannot be resumed`,
    });
  });
const weightMap = z.record(z.string(), weights, { error: 'must be an object of arrays' });

/**
 * A list whose items are checked one by one, stopping once MAX_PROBLEMS problems are found, so a file with
 * 100 000 broken evaluations is refused in the time of a few. `ordered`: steps must not go backwards.
 */
function listOf<T extends z.ZodType>(item: T, notAList: string, ordered = false) {
  return z.array(z.unknown(), { error: notAList }).transform((items, context) => {
    const checked: z.output<T>[] = new Array<z.output<T>>(items.length);
    let found = 0;
    let previous = -1;
    for (let index = 0; index < items.length && found <= MAX_PROBLEMS; index++) {
      const result = item.safeParse(items[index]);
      if (result.success) checked[index] = result.data;
      else {
        found += result.error.issues.length;
        for (const issue of result.error.issues)
          context.issues.push({ ...issue, path: [index, ...issue.path] } as z.core.$ZodRawIssue);
      }
      const step = (items[index] as { step?: unknown } | null)?.step;
      if (!ordered || !Number.isInteger(step) || (step as number) < 0) continue;
      if ((step as number) < previous) {
        found++;
        context.issues.push({
          code: 'custom',
          input: step,
          path: [index, 'step'],
          message: `${step as number} comes after step ${previous}: evaluations out of order`,
        });
      } else previous = step as number;
    }
    return checked;
  });
}

// --- records, events, snapshots ---------------------------------------------------------------------------------

/** The measures an older version recorded live: restricted loss without the test-pairs wave loss. */
function isRetiredProgress(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && 'restrictedLoss' in value && !('testWaveLoss' in value)
  );
}

export const metricRecordSchema = z.object(
  {
    step: wholeNumber,
    trainAccuracy: metric,
    testAccuracy: metric,
    trainLoss: metric,
    testLoss: metric,
    weightNorm: metric,
    activationRadius: numberMap,
    radiusRatio: numberMap,
    radialShare: numberMap,
    gradientEntropy: metric,
    regularizers: z.record(z.string(), numberMap, { error: 'must be an object of objects of numbers' }),
    learningRate: metric,
    trainingMs: metric,
    /**
     * The live progress measures (tasks on a ± b mod p only): the test pairs' wave loss, key frequencies, … Runs
     * saved before 2026-12-04 hold the former all-pairs restricted/excluded loss instead, which memorization fools
     * (progressMeasures.ts): those are dropped on reading, never shown.
     */
    progress: z.preprocess(
      (value) => (isRetiredProgress(value) ? undefined : value),
      z
        .object(
          {
            ...(Object.fromEntries(PROGRESS_MEASURE_KEYS.map((key) => [key, metric])) as Record<
              (typeof PROGRESS_MEASURE_KEYS)[number],
              typeof metric
            >),
            ...(Object.fromEntries(AFTER_RUN_KEYS.map((key) => [key, metric.optional()])) as Record<
              (typeof AFTER_RUN_KEYS)[number],
              ReturnType<typeof metric.optional>
            >),
          },
          { error: 'must be an object of numbers' },
        )
        .optional(),
    ),
  },
  { error: 'must be an object' },
);

export const configEventSchema = z.object(
  { step: wholeNumber, regularizer: text, path: text, from: z.unknown(), to: z.unknown() },
  { error: 'must be an object' },
);

const history = listOf(metricRecordSchema, 'must be a list of evaluations', true);
const events = listOf(configEventSchema, 'must be a list of changes');
const status = z.enum(RUN_STATUSES, { error: `must be one of ${RUN_STATUSES.join(', ')}` });

const adamStateSchema = z.object(
  { step: wholeNumber, firstMoments: weightMap, secondMoments: weightMap },
  { error: 'must be an object' },
);

/** A regularizer's carried state (Grokfast filters, NeuralGrok's φ): named arrays with shapes, and scalars. */
const regularizerStateSchema = z.object(
  {
    arrays: z.record(
      z.string(),
      z
        .object({ values: weights, shape: z.array(wholeNumber, { error: 'must be a list of sizes' }) })
        .refine((array) => array.values.length === parameterSize(array.shape), {
          error: 'its values do not fill its shape',
        }),
      { error: 'must be an object of arrays' },
    ),
    scalars: z.record(z.string(), z.union([metric, z.string()], { error: 'must be a number or text' })),
  },
  { error: 'must be an object' },
);

export const runSnapshotSchema = z.object(
  {
    version: z.literal(1, { error: (issue) => `snapshot version ${describe(issue.input)} is not 1` }),
    config,
    step: wholeNumber,
    parameters: weightMap,
    optimizer: adamStateSchema,
    history,
    events,
    batchEpoch: wholeNumber,
    regularizers: z.record(z.string(), regularizerStateSchema, { error: 'must be an object' }).optional(),
  },
  { error: 'must be an object' },
);

// --- stored runs and races --------------------------------------------------------------------------------------

export const storedComparisonLaneSchema = z.object(
  {
    name: text,
    difference: z.array(text, { error: 'must be a list of texts' }),
    config,
    history,
    events,
    status,
    wallTimeMs: nonNegative,
    backend: text.nullable(),
    grokStep: wholeNumber.nullable(),
    snapshot: runSnapshotSchema.nullable().optional(),
  },
  { error: 'must be an object' },
);

export const storedComparisonSchema = z
  .object(
    {
      kind: z.literal('race', { error: 'must be "race"' }),
      title: text.optional(),
      preset: text.nullable(),
      evalEvery: wholeNumber,
      winner: wholeNumber.nullable(),
      summary: text.nullable(),
      lanes: z
        .array(storedComparisonLaneSchema, { error: 'must be a list of lanes' })
        .min(2, { error: 'must list at least two lanes' }),
    },
    { error: 'must be an object' },
  )
  .refine((race) => race.winner === null || race.winner < race.lanes.length, {
    path: ['winner'],
    error: 'names a lane the race does not have',
  });

const storedRunShape = {
  id: z.string({ error: 'must be non-empty text' }).min(1, { error: 'must be non-empty text' }),
  name: text,
  createdAt: nonNegative,
  updatedAt: nonNegative,
  config,
  history,
  events,
  status,
  wallTimeMs: nonNegative,
  snapshot: runSnapshotSchema.nullable().optional(),
  comparison: storedComparisonSchema.optional(),
};
export const storedRunSchema = z.object(storedRunShape, { error: 'must be an object' });

// --- the cheap depths -------------------------------------------------------------------------------------------

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

/** A record about to be saved: its fields, not its bulk (histories and weights are the app's own). */
const storedRunEnvelopeSchema = storedRunSchema.extend({
  config: anObject,
  history: z.array(z.unknown(), { error: 'must be a list' }),
  events: z.array(z.unknown(), { error: 'must be a list' }),
  snapshot: z.unknown().optional(),
  comparison: z
    .object(
      {
        lanes: z
          .array(z.looseObject({ history: z.array(z.unknown(), { error: 'must be a list' }) }), {
            error: 'must be a list of lanes',
          })
          .min(2, { error: 'must list at least two lanes' }),
      },
      { error: 'must be an object' },
    )
    .optional(),
});

// --- problems ---------------------------------------------------------------------------------------------------

export interface Problem {
  /** e.g. "run.history[3].testAccuracy". */
  path: string;
  message: string;
}

function joinPath(root: string, path: readonly PropertyKey[]): string {
  let joined = root;
  for (const key of path) {
    if (typeof key === 'number') joined += `[${key}]`;
    else joined += joined ? `.${String(key)}` : String(key);
  }
  return joined;
}

function problemsOf(issues: readonly z.core.$ZodIssue[], root: string): Problem[] {
  return issues.map((issue) => {
    const path = joinPath(root, issue.path);
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((key) => joinPath(path, [key]));
      return { path: keys.join(', '), message: `unknown key${keys.length > 1 ? 's' : ''}` };
    }
    return { path, message: issue.message };
  });
}

/** "path: message" lines, at most MAX_PROBLEMS, then how many more there were. */
export function formatProblems(problems: readonly Problem[]): string[] {
  const lines = problems
    .slice(0, MAX_PROBLEMS)
    .map((problem) => (problem.path ? `${problem.path}: ${problem.message}` : problem.message));
  if (problems.length > MAX_PROBLEMS) lines.push(`… and ${problems.length - MAX_PROBLEMS} more problems`);
  return lines;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether a snapshot's weights fit the model its own config builds (names and sizes) and its optimizer moments
 * fit the weights. Reads the value defensively: what is not even the right type is the schema's to report.
 */
export function snapshotFitProblems(snapshot: unknown, path: string): Problem[] {
  if (!isObject(snapshot) || !isObject(snapshot.parameters)) return [];
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
  if (!isObject(optimizer)) return problems;
  for (const group of ['firstMoments', 'secondMoments'] as const) {
    const moments = optimizer[group];
    if (!isObject(moments)) continue;
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

/**
 * Every snapshot a stored value carries (its own and its race lanes'), with their paths and the config of what
 * owns them (the run's, or the lane's).
 */
function snapshotsOf(value: unknown, root: string): { snapshot: unknown; path: string; owner: unknown }[] {
  if (!isObject(value)) return [];
  const found = [{ snapshot: value.snapshot, path: `${root}.snapshot`, owner: value.config }];
  const lanes = isObject(value.comparison) ? value.comparison.lanes : undefined;
  if (Array.isArray(lanes))
    lanes.forEach((lane, index) => {
      if (isObject(lane))
        found.push({
          snapshot: lane.snapshot,
          path: `${root}.comparison.lanes[${index}].snapshot`,
          owner: lane.config,
        });
    });
  return found;
}

/** The settings a run keeps from start to end (live changes touch only regularizers, optimizer and training). */
const FIXED_SECTIONS = ['task', 'model', 'seed'] as const;

/**
 * Whether a snapshot's weights belong to the run that carries them: its config's task, model and seed must be the
 * owner's (a file whose run config was edited would otherwise resume weights of another model under its name).
 */
export function snapshotOwnerProblems(snapshot: unknown, owner: unknown, path: string): Problem[] {
  if (!isObject(snapshot) || snapshot.config === undefined) return [];
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

export type StoredRun = z.output<typeof storedRunSchema>;

export interface StoredRunCheck {
  /** The checked run (unknown keys dropped), or null when there are problems. */
  run: StoredRun | null;
  problems: Problem[];
  /** What was repaired on the way in (e.g. an impossible date), for the page to say. */
  notes: string[];
}

/** A time a run can be dated with, or null: before 2020, more than a day ahead of `now`, or not a date at all. */
function saneTime(time: number, now: number): boolean {
  return time >= EARLIEST_TIME && time <= now + CLOCK_SKEW_MS && Number.isFinite(new Date(time).getTime());
}

/**
 * Everything about a stored run or race before it replaces what is on screen: the schema, then every snapshot
 * against its model. Dates outside 2020…tomorrow are set to `now` (a noted repair, not a refusal: a machine with a
 * wrong clock should not cost a class its run, and `1e300` would otherwise break every later export).
 */
export function checkStoredRun(value: unknown, root = 'run', now = Date.now()): StoredRunCheck {
  const parsed = storedRunSchema.safeParse(value);
  const problems = parsed.success ? [] : problemsOf(parsed.error.issues, root);
  for (const { snapshot, path, owner } of snapshotsOf(value, root))
    problems.push(...snapshotFitProblems(snapshot, path), ...snapshotOwnerProblems(snapshot, owner, path));
  if (!parsed.success || problems.length > 0) return { run: null, problems, notes: [] };
  const run = parsed.data;
  const notes: string[] = [];
  for (const key of ['createdAt', 'updatedAt'] as const) {
    if (saneTime(run[key], now)) continue;
    const shown = Number.isFinite(new Date(run[key]).getTime())
      ? new Date(run[key]).toISOString().slice(0, 10)
      : String(run[key]);
    notes.push(`${root}.${key} (${shown}) is not a date between 2020 and today; it is set to now.`);
    run[key] = now;
  }
  return { run, problems: [], notes };
}

export type ValidatedStoredRun =
  { ok: true; run: StoredRun; notes: string[] } | { ok: false; errors: string[] };

/** checkStoredRun, with its problems as at most MAX_PROBLEMS readable lines. */
export function validateStoredRun(value: unknown, now = Date.now()): ValidatedStoredRun {
  const { run, problems, notes } = checkStoredRun(value, 'run', now);
  return run ? { ok: true, run, notes } : { ok: false, errors: formatProblems(problems) };
}

/** The worker's check of a snapshot from outside (IndexedDB, a file, the page): its structure, paths "snapshot.…". */
export function snapshotIssues(snapshot: unknown): ConfigIssue[] {
  const parsed = snapshotEnvelopeSchema.safeParse(snapshot);
  return parsed.success ? [] : problemsOf(parsed.error.issues, 'snapshot');
}

/** RunStore.put's check: the record's own fields ("" when fine). */
export function storedRunIssues(run: unknown): Problem[] {
  const parsed = storedRunEnvelopeSchema.safeParse(run);
  return parsed.success ? [] : problemsOf(parsed.error.issues, '');
}

// Compile-time: the schema's records and events are the engine's (a change to either fails the type check).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const recordsAgree: Same<z.output<typeof metricRecordSchema>, MetricRecord> = true;
const eventsAgree: Same<z.output<typeof configEventSchema>, ConfigEvent> = true;
void recordsAgree;
void eventsAgree;
