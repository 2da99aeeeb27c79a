/**
 * A lesson is data: a sequence of steps, each saying what to tell the class, what the lab should be, what to do
 * and what to ask. One JSON file per lesson, checked here with zod before anything of it is opened. A problem is
 * named by the step (number and title) and the field, e.g. `step 3 “The jump”: setup.preset: …`.
 */
import { z } from 'zod';
import { deepMerge, patchFromPath, resolveConfig } from '../engine/config';
import { isPresetName, PRESETS } from '../engine/presets';
import { presetConfig } from '../lib/urlState';
import { isSweepName, SWEEPS } from '../lib/sweep/registry';

export const LESSON_FORMAT = 'grok-lab-lesson';
export const LESSON_VERSION = 1;

const text = (what: string, max: number) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .min(1, { error: `${what} is empty` })
    .max(max, { error: `${what} is longer than ${max} characters` });

const presetName = z.string().refine(isPresetName, {
  error: (issue) =>
    `unknown preset “${String(issue.input).slice(0, 40)}” (one of ${Object.keys(PRESETS).join(', ')})`,
});

/** Dotted config keys and their values, e.g. {"regularizers.radial.enabled": true}. */
const settings = z.record(z.string(), z.union([z.number(), z.boolean(), z.string()]));

export const conditionSchema = z.discriminatedUnion('kind', [
  /** Every lane has reached the training threshold. */
  z.strictObject({ kind: z.literal('memorized') }),
  /** A lane has reached the threshold on the test pairs. */
  z.strictObject({ kind: z.literal('grokked') }),
  /** Every lane has trained this many steps. */
  z.strictObject({ kind: z.literal('step'), step: z.number().int().positive() }),
  /** A lane's latest test accuracy is at least this fraction. */
  z.strictObject({ kind: z.literal('testAccuracy'), atLeast: z.number().gt(0).max(1) }),
]);

export const setupSchema = z.discriminatedUnion('kind', [
  /** A single run of a preset, with settings changed. */
  z.strictObject({ kind: z.literal('preset'), preset: presetName, set: settings.optional() }),
  /** A single run of a whole config (a saved setup), overlaid on the defaults. */
  z.strictObject({
    kind: z.literal('config'),
    preset: presetName.optional(),
    config: z.record(z.string(), z.unknown()),
  }),
  /** The preset's own race. */
  z.strictObject({ kind: z.literal('race'), preset: presetName }),
  /** A race of named lanes, each a preset with settings changed (or a whole config). */
  z.strictObject({
    kind: z.literal('lanes'),
    title: text('the race title', 80),
    lanes: z
      .array(
        z.strictObject({
          name: text('the lane name', 40),
          preset: presetName,
          set: settings.optional(),
        }),
      )
      .min(2, { error: 'a race needs at least 2 lanes' })
      .max(6, { error: 'at most 6 lanes' }),
  }),
  /** What is on screen goes on, with settings changed live (e.g. switch a penalty on mid-run). */
  z.strictObject({ kind: z.literal('continue'), set: settings.optional() }),
  /** A named sweep's map, opened ready to start. */
  z.strictObject({
    kind: z.literal('sweep'),
    sweep: z.string().refine(isSweepName, {
      error: (issue) =>
        `unknown sweep “${String(issue.input).slice(0, 40)}” (one of ${Object.keys(SWEEPS).join(', ')})`,
    }),
  }),
]);

export const actionSchema = z.discriminatedUnion('kind', [
  /** Train until the condition holds, then pause. */
  z.strictObject({ kind: z.literal('run'), until: conditionSchema }),
  /** Nothing trains by itself; the teacher moves on. */
  z.strictObject({ kind: z.literal('click') }),
]);

export const stepSchema = z.strictObject({
  title: text('the title', 80),
  /** Two or three sentences to say or show. */
  text: text('the text', 600),
  setup: setupSchema,
  /** classroom (default) or the full lab. */
  view: z.enum(['classroom', 'lab']).optional(),
  do: actionSchema,
  question: z.strictObject({ ask: text('the question', 300), answer: text('the answer', 600) }).optional(),
  /** What the class should see, in numbers (for the teacher's sheet). */
  expect: text('the expected numbers', 300).optional(),
  /** How long the step takes in class, minutes. */
  minutes: z.number().positive().max(60),
});

export const lessonSchema = z.strictObject({
  format: z.literal(LESSON_FORMAT, { error: `must be "${LESSON_FORMAT}"` }),
  version: z.literal(LESSON_VERSION, { error: `must be ${LESSON_VERSION}` }),
  id: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'must be lower-case words joined by "-", e.g. my-lesson' }),
  title: text('the lesson title', 80),
  summary: text('the summary', 400),
  steps: z.array(stepSchema).min(1, { error: 'a lesson needs at least one step' }).max(40),
});

export type Condition = z.infer<typeof conditionSchema>;
export type Setup = z.infer<typeof setupSchema>;
export type Action = z.infer<typeof actionSchema>;
export type LessonStep = z.infer<typeof stepSchema>;
export type Lesson = z.infer<typeof lessonSchema>;

export type LessonResult = { ok: true; lesson: Lesson } | { ok: false; problems: string[] };

/** At most this many problems are listed. */
const MAX_PROBLEMS = 20;

/** Where a problem is: `step 3 “The jump”: setup.preset` or `title` for the lesson's own fields. */
function place(path: readonly PropertyKey[], input: unknown): string {
  if (path[0] !== 'steps' || typeof path[1] !== 'number') return path.map(String).join('.') || 'the file';
  const steps = (input as { steps?: unknown[] }).steps;
  const title = (steps?.[path[1]] as { title?: unknown } | undefined)?.title;
  const named = typeof title === 'string' && title.trim() ? ` “${title.trim().slice(0, 40)}”` : '';
  const field = path.slice(2).map(String).join('.');
  return `step ${path[1] + 1}${named}${field ? `: ${field}` : ''}`;
}

/** The settings a step changes, checked against the config schema (unknown keys, values out of range). */
function settingsProblems(step: LessonStep): { path: string; message: string }[] {
  const setup = step.setup;
  const check = (path: string, base: unknown, patch: unknown) => {
    const result = resolveConfig(
      patch,
      presetConfig(typeof base === 'string' && isPresetName(base) ? base : null),
    );
    return result.ok
      ? []
      : result.issues.map((issue) => ({ path, message: `${issue.path}: ${issue.message}` }));
  };
  switch (setup.kind) {
    case 'preset':
      return check('setup.set', setup.preset, settingsPatch(setup.set));
    case 'config':
      return check('setup.config', setup.preset, setup.config);
    case 'lanes':
      return setup.lanes.flatMap((lane, index) =>
        check(`setup.lanes.${index}.set`, lane.preset, settingsPatch(lane.set)),
      );
    case 'continue':
      return check('setup.set', undefined, settingsPatch(setup.set));
    default:
      return [];
  }
}

/** The settings a step's `set` names, as one nested patch. */
export function settingsPatch(set: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.entries(set ?? {}).reduce<Record<string, unknown>>(
    (patch, [key, value]) => deepMerge(patch, patchFromPath(key, value)),
    {},
  );
}

/** Checks a lesson file (already JSON-parsed): the lesson, or every problem (at most 20) with step and field. */
export function parseLesson(input: unknown): LessonResult {
  const shape = lessonSchema.safeParse(input);
  if (!shape.success) {
    const problems = shape.error.issues.map((issue) => `${place(issue.path, input)}: ${issue.message}`);
    return { ok: false, problems: problems.slice(0, MAX_PROBLEMS) };
  }
  const lesson = shape.data;
  const problems = lesson.steps.flatMap((step, index) =>
    settingsProblems(step).map(
      (problem) => `${place(['steps', index, ...problem.path.split('.')], lesson)}: ${problem.message}`,
    ),
  );
  return problems.length > 0
    ? { ok: false, problems: problems.slice(0, MAX_PROBLEMS) }
    : { ok: true, lesson };
}

/** Checks a lesson file's text: not JSON, or not a lesson, is said in one message naming step and field. */
export function parseLessonText(textInput: string): LessonResult {
  let json: unknown;
  try {
    json = JSON.parse(textInput);
  } catch (error) {
    return { ok: false, problems: [`the file is not JSON (${(error as Error).message})`] };
  }
  return parseLesson(json);
}

/** The lesson as the file a teacher exports (and imports back unchanged). */
export function lessonFileText(lesson: Lesson): string {
  return `${JSON.stringify(lesson, null, 2)}\n`;
}
