import { z } from 'zod';

/**
 * A sweep: two numeric config knobs (x and y), each with a list of values or a range, a set of seeds, a step
 * budget and a base (a preset and/or a partial config). Every (x, y, seed) is one run, a "cell". The spec is the
 * one description shared by the CLI (`npm run sweep`), its child processes, the lab and saved files.
 */

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** Knob values equal to this many significant digits are one value (and print as one label). */
const SIGNIFICANT_DIGITS = 12;

/** 12 significant digits: 0.1 + 0.2 steps print as 0.3, and equal values from two machines compare equal. */
function tidy(value: number): number {
  return Number(value.toPrecision(SIGNIFICANT_DIGITS));
}

/**
 * The first two values that are one value to 12 significant digits, as written, or null: 0.3 and
 * 0.30000000000000004, or a range 1..1:5, would give two columns of one value under one label.
 */
function repeatedValues(values: readonly number[]): [number, number] | null {
  const seen = new Map<number, number>();
  for (const value of values) {
    const first = seen.get(tidy(value));
    if (first !== undefined) return [first, value];
    seen.set(tidy(value), value);
  }
  return null;
}

function describeRepeat([first, second]: [number, number]): string {
  return first === second
    ? `${first} comes more than once`
    : `${first} and ${second} are one value (equal to ${SIGNIFICANT_DIGITS} significant digits)`;
}

/** A range of `count` values from `from` to `to` (both included), evenly spaced on a linear or log scale. */
export const rangeSchema = z
  .strictObject({
    from: finite,
    to: finite,
    count: z.number().int().min(2).max(64),
    scale: z.enum(['linear', 'log']),
  })
  .refine((range) => range.scale === 'linear' || (range.from > 0 && range.to > 0), {
    message: 'a log range needs from > 0 and to > 0',
  })
  .superRefine((range, context) => {
    if (range.scale === 'log' && !(range.from > 0 && range.to > 0)) return;
    const repeated = repeatedValues(rangeValues(range));
    if (repeated !== null)
      context.addIssue({
        code: 'custom',
        message: `the range ${range.from}..${range.to}:${range.count} repeats values (${describeRepeat(repeated)}): each column or row needs its own value, so widen the range or use fewer values`,
      });
  });

/** One axis: a dotted config key ("regularizers.weightDecay.coefficient") and its values: a list or a range. */
export const axisSchema = z
  .strictObject({
    key: z.string().min(1).max(200),
    values: z
      .array(finite)
      .min(1)
      .max(64)
      .superRefine((values, context) => {
        const repeated = repeatedValues(values);
        if (repeated !== null)
          context.addIssue({
            code: 'custom',
            message: `values must be distinct: ${describeRepeat(repeated)}`,
          });
      })
      .optional(),
    range: rangeSchema.optional(),
  })
  .refine((axis) => (axis.values === undefined) !== (axis.range === undefined), {
    message: 'an axis has either values or a range',
  });

export const sweepSpecSchema = z
  .strictObject({
    /** Shown above the heatmap and the table. */
    title: z.string().max(200).optional(),
    /** A preset of src/engine/presets.ts, overlaid on the defaults; checked by validateSweep. */
    preset: z.string().max(100).nullable().default(null),
    /** A partial config overlaid on the preset (checked with the cells' resolved configs). */
    config: z.record(z.string(), z.unknown()).default({}),
    x: axisSchema,
    y: axisSchema,
    seeds: z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1),
      )
      .min(1)
      .max(100),
    /** Step budget of every cell (training.maxSteps). */
    steps: z.number().int().min(1).max(10_000_000),
    /** A cell stops this many steps after it groks (training.stopAfterGrok); 0 = run to the budget. */
    stopAfterGrok: z.number().int().min(0).max(10_000_000).default(100),
    /**
     * Evaluate every this many steps (training.evalEvery); absent = the base config's schedule. A fixed interval
     * makes steps-to-grok a function of the config alone: the adaptive schedule (0) places evaluations by measured
     * timings, so on a busier machine a run can be found grokked at another evaluation step.
     */
    evalEvery: z.number().int().min(0).max(100_000).optional(),
  })
  .refine((spec) => spec.x.key !== spec.y.key, { message: 'x and y must be different keys', path: ['y'] })
  .refine((spec) => new Set(spec.seeds).size === spec.seeds.length, {
    message: 'seeds must be distinct',
    path: ['seeds'],
  });

export type SweepRange = z.infer<typeof rangeSchema>;
export type SweepAxis = z.infer<typeof axisSchema>;
/** A parsed spec (defaults filled in). */
export type SweepSpec = z.output<typeof sweepSpecSchema>;
/** What a caller may write (defaults optional). */
export type SweepSpecInput = z.input<typeof sweepSpecSchema>;

export class SweepSpecError extends Error {}

/** Parses anything (a saved file, a URL, a worker message) into a spec; throws SweepSpecError naming the field. */
export function parseSweepSpec(input: unknown): SweepSpec {
  const parsed = sweepSpecSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new SweepSpecError(
    parsed.error.issues
      .map((issue) => `${issue.path.map(String).join('.') || '(sweep)'}: ${issue.message}`)
      .join('\n'),
  );
}

/** The values of a range, endpoints exact. */
export function rangeValues(range: SweepRange): number[] {
  const { from, to, count, scale } = range;
  return Array.from({ length: count }, (_, i) => {
    if (i === 0) return from;
    if (i === count - 1) return to;
    const t = i / (count - 1);
    return tidy(scale === 'log' ? from * (to / from) ** t : from + (to - from) * t);
  });
}

export function axisValues(axis: SweepAxis): number[] {
  return axis.values ? [...axis.values] : rangeValues(axis.range!);
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A decimal number ("0.03", "-1", "1e-4", ".5") or null. Number() would also read "0x10" as 16, "0b11" as 3 and
 * "Infinity", none of which a user writing knob values, seeds or a budget means as such.
 */
export function parseDecimal(text: string): number | null {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/** Why `text` is not a decimal number, saying what a hexadecimal, binary or octal literal would have meant. */
export function notDecimal(text: string): string {
  const trimmed = text.trim();
  const literal = /^[+-]?0[xbo]/i.test(trimmed) ? Number(trimmed.replace(/^[+-]/, '')) : Number.NaN;
  if (Number.isFinite(literal))
    return `"${text}" is not a decimal number (write ${trimmed.startsWith('-') ? -literal : literal} if you mean ${trimmed})`;
  if (DECIMAL.test(trimmed)) return `"${text}" is too large`;
  return `"${text}" is not a number`;
}

/**
 * Reads the CLI's axis syntax: `key=v1,v2,…` (a list) or `key=from..to:count[:log]` (a range, linear unless
 * ":log"). Throws SweepSpecError naming what is wrong.
 */
export function parseAxis(text: string): SweepAxis {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new SweepSpecError(`an axis needs key=values, got "${text}"`);
  const key = text.slice(0, eq).trim();
  const body = text.slice(eq + 1).trim();
  const number = (part: string): number => {
    const value = parseDecimal(part);
    if (value === null) throw new SweepSpecError(`${key}: ${notDecimal(part)}`);
    return value;
  };
  if (body.includes('..')) {
    const [from, rest] = body.split('..', 2);
    const [to, count, scale = 'linear', ...extra] = rest.split(':');
    if (
      count === undefined ||
      !/^\d+$/.test(count) ||
      (scale !== 'linear' && scale !== 'log') ||
      extra.length
    ) {
      throw new SweepSpecError(`${key}: a range is from..to:count or from..to:count:log, got "${body}"`);
    }
    const parsed = axisSchema.safeParse({
      key,
      range: { from: number(from), to: number(to), count: Number(count), scale },
    });
    if (!parsed.success) {
      throw new SweepSpecError(`${key}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
    }
    return parsed.data;
  }
  if (body === '') throw new SweepSpecError(`${key}: no values`);
  const parsed = axisSchema.safeParse({ key, values: body.split(',').map(number) });
  if (!parsed.success) {
    throw new SweepSpecError(`${key}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  return parsed.data;
}

/** The CLI's axis syntax for an axis (inverse of parseAxis). */
export function formatAxis(axis: SweepAxis): string {
  if (axis.values) return `${axis.key}=${axis.values.join(',')}`;
  const { from, to, count, scale } = axis.range!;
  return `${axis.key}=${from}..${to}:${count}${scale === 'log' ? ':log' : ''}`;
}
