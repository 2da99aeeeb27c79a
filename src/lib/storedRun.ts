/**
 * A run or race as this lab keeps it (IndexedDB) and exports it (a file): the schema is the type (StoredRun,
 * StoredComparison, StoredComparisonLane). The records and snapshots inside are the engine's (src/engine/records.ts,
 * snapshot.ts). Two depths of check:
 *  - `validateStoredRun` (a file or record about to replace what is on screen): everything, including every
 *    snapshot's weights against the model its config builds and the optimizer moments against the weights;
 *  - `storedRunIssues` (RunStore.put, on every autosave): the record's envelope, cheap.
 * Problems read as "path: what is wrong", at most MAX_PROBLEMS of them, for a teacher.
 */
import { z } from 'zod';
import { isPlainObject } from '../engine/plainObjects';
import { formatProblems, problemsOf, type Problem } from '../engine/problems';
import { eventsSchema, historySchema, wholeNumber } from '../engine/records';
import {
  checkedConfig,
  runSnapshotSchema,
  snapshotFitProblems,
  snapshotOwnerProblems,
} from '../engine/snapshot';
import { RUN_STATUSES } from '../worker/protocol';

/** Dates a saved run may carry: from the lab's prehistory to a day ahead of this clock (skew between machines). */
export const EARLIEST_TIME = Date.UTC(2020, 0, 1);
export const CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

const nonNegative = z.custom<number>(
  (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0,
  'must be a number ≥ 0',
);
const text = z.string({ error: 'must be text' });
const status = z.enum(RUN_STATUSES, { error: `must be one of ${RUN_STATUSES.join(', ')}` });

/** One lane of a saved race. */
export const storedComparisonLaneSchema = z.object(
  {
    name: text,
    /** The settings that set the lane apart, e.g. ["Radial penalty off"]. */
    difference: z.array(text, { error: 'must be a list of texts' }),
    /** The lane's starting config. */
    config: checkedConfig,
    history: historySchema,
    events: eventsSchema,
    status,
    wallTimeMs: nonNegative,
    backend: text.nullable(),
    /** Steps-to-grok, null if it never grokked. */
    grokStep: wholeNumber.nullable(),
    /**
     * The lane's weights, to resume it (lane 0's are the record's own `snapshot`). On put and get as the record's
     * `snapshot`: stored apart from the record (key `laneSnapshotKey`), absent in races saved before lanes kept theirs.
     */
    snapshot: runSnapshotSchema.nullable().optional(),
  },
  { error: 'must be an object' },
);
export type StoredComparisonLane = z.output<typeof storedComparisonLaneSchema>;

/** A race saved as one record: its lanes, in order, and the winner. */
export const storedComparisonSchema = z
  .object(
    {
      kind: z.literal('race', { error: 'must be "race"' }),
      /** The race's title, e.g. "Radial rescue: radial vs plain" (absent in races saved before it was kept). */
      title: text.optional(),
      /** The preset the race came from, if any. */
      preset: text.nullable(),
      /** The fixed evaluation schedule every lane used. */
      evalEvery: wholeNumber,
      /** Index of the lane that grokked first, or null. */
      winner: wholeNumber.nullable(),
      /** The banner's sentence when the race was saved. */
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
export type StoredComparison = z.output<typeof storedComparisonSchema>;

export const storedRunSchema = z.object(
  {
    id: z.string({ error: 'must be non-empty text' }).min(1, { error: 'must be non-empty text' }),
    name: text,
    /** ms since the epoch. */
    createdAt: nonNegative,
    updatedAt: nonNegative,
    config: checkedConfig,
    history: historySchema,
    events: eventsSchema,
    status,
    /** Wall time spent training, ms. */
    wallTimeMs: nonNegative,
    /**
     * On put: a snapshot to store, null to delete the stored one, absent to leave it as it is (so saving new
     * history does not rewrite megabytes of weights). On get: the stored snapshot, or absent.
     */
    snapshot: runSnapshotSchema.nullable().optional(),
    /**
     * Set when this record is a race (several lanes trained side by side): every lane, the first one also being
     * the record's own config/history/events. Additive and optional, so records without it need no migration
     * (RUN_RECORD_VERSION stays 1) and a lab that does not know races still lists the first lane as a run.
     */
    comparison: storedComparisonSchema.optional(),
  },
  { error: 'must be an object' },
);
export type StoredRun = z.output<typeof storedRunSchema>;

/** A record about to be saved: its fields, not its bulk (histories and weights are the app's own). */
const storedRunEnvelopeSchema = storedRunSchema.extend({
  config: z.record(z.string(), z.unknown(), { error: 'must be an object' }),
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

/**
 * Every snapshot a stored value carries (its own and its race lanes'), with their paths and the config of what
 * owns them (the run's, or the lane's).
 */
function snapshotsOf(value: unknown, root: string): { snapshot: unknown; path: string; owner: unknown }[] {
  if (!isPlainObject(value)) return [];
  const found = [{ snapshot: value.snapshot, path: `${root}.snapshot`, owner: value.config }];
  const lanes = isPlainObject(value.comparison) ? value.comparison.lanes : undefined;
  if (Array.isArray(lanes))
    lanes.forEach((lane, index) => {
      if (isPlainObject(lane))
        found.push({
          snapshot: lane.snapshot,
          path: `${root}.comparison.lanes[${index}].snapshot`,
          owner: lane.config,
        });
    });
  return found;
}

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

/** RunStore.put's check: the record's own fields ("" when fine). */
export function storedRunIssues(run: unknown): Problem[] {
  const parsed = storedRunEnvelopeSchema.safeParse(run);
  return parsed.success ? [] : problemsOf(parsed.error.issues, '');
}
