/**
 * Property-based fuzzing of every validator that sees input from outside: random and adversarial configs,
 * links, run files, CLI arguments, CSV tables and expressions. The properties: nothing throws (except the
 * documented error class), a rejection names at least one field, an acceptance is itself valid, and no
 * prototype is polluted. The case count per property is printed at the end.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError, parseTrainArgs } from '../../scripts/cliArgs';
import { DEFAULT_CONFIG, patchFromPath, resolveConfig, validateConfig, type Config } from '../engine/config';
import { leafPaths } from '../engine/plainObjects';
import { ExpressionError, parseExpression } from '../engine/tasks/expression';
import { parseCsvTask } from './csvTask';
import { exportRunJson, importRunJson } from './exportRun';
import { snapshot, storedRun } from './testRuns';
import { decodeUrlState, encodeBase64Url, encodeUrlState } from './urlState';

const counts: Record<string, number> = {};
function count(name: string): void {
  counts[name] = (counts[name] ?? 0) + 1;
}

afterAll(() => {
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  console.log(`fuzz cases: ${JSON.stringify(counts)} (total ${total})`);
});

const LEAVES = leafPaths(DEFAULT_CONFIG);
const SECTIONS = Object.keys(DEFAULT_CONFIG);

/** Values a hostile or broken source might put anywhere. */
const nasty = fc.oneof(
  fc.double(), // includes NaN, ±Infinity, -0
  fc.integer(),
  fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, Number.MAX_VALUE, Number.MIN_VALUE, 1e-300, 1e300),
  fc.string(),
  fc.constantFrom(
    '',
    'NaN',
    'Infinity',
    '__proto__',
    'constructor',
    '<script>alert(1)</script>',
    'a+b',
    'a/b',
  ),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer({ min: -5, max: 300 }), { maxLength: 40 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.constant(undefined),
);

/** A config-shaped patch: random leaves set to nasty values, plus the odd unknown or prototype key. */
const patchArbitrary = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...LEAVES), nasty), { maxLength: 5 }),
    fc.option(fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra', 'task.__proto__')),
    fc.option(fc.constantFrom(...SECTIONS)),
    nasty,
  )
  .map(([sets, weirdKey, wholeSection, value]) => {
    let patch: Record<string, unknown> = {};
    for (const [path, v] of sets) patch = mergePlain(patch, patchFromPath(path, v));
    if (weirdKey) patch = mergePlain(patch, JSON.parse(`{"${weirdKey}": {"polluted": true}}`) as object);
    if (wholeSection) patch[wholeSection] = value; // a whole section replaced by a scalar, array, null…
    return patch;
  });

function mergePlain(a: Record<string, unknown>, b: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] =
      typeof existing === 'object' && existing !== null && typeof value === 'object' && value !== null
        ? mergePlain(existing as Record<string, unknown>, value as object)
        : value;
  }
  return out;
}

function noPollution(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
}

const RUNS = { heavy: 400, normal: 500, light: 1000 };

describe('config validators (fuzz)', () => {
  it('validateConfig: any value → a result; rejections name fields; acceptances round-trip', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), patchArbitrary), (input) => {
        count('validateConfig.anything');
        const result = validateConfig(input);
        if (result.ok) expect(validateConfig(result.config).ok).toBe(true);
        else {
          expect(result.issues.length).toBeGreaterThan(0);
          for (const issue of result.issues) expect(typeof issue.message).toBe('string');
        }
      }),
      { numRuns: RUNS.normal },
    );
    noPollution();
  });

  it('resolveConfig: adversarial patches never throw; invalid ones name a field and leave the base alone', () => {
    const base = structuredClone(DEFAULT_CONFIG);
    fc.assert(
      fc.property(patchArbitrary, (patch) => {
        count('resolveConfig.patch');
        const result = resolveConfig(patch, base);
        if (result.ok) {
          expect(validateConfig(result.config).ok).toBe(true);
          expect(Object.prototype.hasOwnProperty.call(result.config, '__proto__')).toBe(false);
        } else {
          expect(result.issues.length).toBeGreaterThan(0);
          // The fallback, the last good config, is untouched by the failed attempt.
          expect(base).toEqual(DEFAULT_CONFIG);
        }
      }),
      { numRuns: RUNS.light },
    );
    noPollution();
  });

  it('resolveConfig: a single bad leaf is reported at that leaf (or its cross-field rule)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LEAVES), nasty, (path, value) => {
        count('resolveConfig.leaf');
        const result = resolveConfig(patchFromPath(path, value));
        if (result.ok) return;
        const paths = result.issues.flatMap((issue) => issue.path.split(', '));
        const [section] = path.split('.');
        expect(paths.some((p) => p === path || p.startsWith(`${section}`) || path.startsWith(p))).toBe(true);
      }),
      { numRuns: RUNS.normal },
    );
  });
});

describe('links (fuzz)', () => {
  it('decodeUrlState: random text, random base64 JSON and hostile patches always open a valid lab', () => {
    const link = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.jsonValue({ maxDepth: 4 }).map((json) => `#c=${encodeBase64Url(JSON.stringify(json) ?? 'null')}`),
      patchArbitrary.map((patch) => `#c=${encodeBase64Url(JSON.stringify(patch) ?? 'null')}`),
      fc
        .array(fc.tuple(fc.integer({ min: -10, max: 1e8 }), fc.constantFrom(...LEAVES, 'x.y'), nasty), {
          maxLength: 8,
        })
        .map((entries) => `#s=${encodeBase64Url(JSON.stringify(entries))}&classroom=${entries.length}`),
      fc.constantFrom('#c=%E0%A4%A', '#preset=__proto__', '#c=====', '?c=e30&c=bnVsbA', '#&&&=&'),
    );
    fc.assert(
      fc.property(link, (text) => {
        count('decodeUrlState');
        const decoded = decodeUrlState(text);
        expect(validateConfig(decoded.config).ok).toBe(true);
        expect(Array.isArray(decoded.notices)).toBe(true);
        // What it decoded encodes and decodes to the same lab, without notices.
        const again = decodeUrlState(encodeUrlState(decoded));
        expect(again.config).toEqual(decoded.config);
        expect(again.notices).toEqual([]);
      }),
      { numRuns: RUNS.normal },
    );
    noPollution();
  });
});

describe('run files (fuzz)', () => {
  const good = JSON.parse(
    exportRunJson(storedRun('fuzz', 1000, { snapshot: snapshot(500) }), new Date(0)).text,
  ) as Record<string, unknown>;

  /** The JSON tree's paths (objects and arrays), so mutations can land anywhere in a real file. */
  function treePaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    if (typeof value !== 'object' || value === null) return [prefix];
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    return [prefix, ...entries.flatMap(([key, inner]) => treePaths(inner, [...prefix, key]))];
  }
  const PATHS = treePaths(good).filter((p) => p.length > 0);

  function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
    const copy = structuredClone(root) as Record<string | number, unknown>;
    let node = copy;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      // An earlier mutation replaced a parent with a scalar: nothing left to mutate here.
      if (typeof next !== 'object' || next === null) return copy;
      node = next as Record<string | number, unknown>;
    }
    node[path[path.length - 1]] = value;
    return copy;
  }

  it('importRunJson: mutated real files, random JSON and random text never throw', () => {
    expect(importRunJson(JSON.stringify(good)).ok).toBe(true);
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 4 }).map((json) => JSON.stringify(json)),
      fc
        .array(fc.tuple(fc.constantFrom(...PATHS), fc.oneof(nasty, fc.jsonValue({ maxDepth: 2 }))), {
          minLength: 1,
          maxLength: 4,
        })
        .map((mutations) =>
          JSON.stringify(mutations.reduce<unknown>((file, [path, value]) => setAt(file, path, value), good)),
        ),
    );
    fc.assert(
      fc.property(text, (input) => {
        count('importRunJson');
        const result = importRunJson(input);
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          expect(result.errors.length).toBeLessThanOrEqual(21);
        } else {
          expect(validateConfig(result.run.config).ok).toBe(true);
          const parameters = result.run.snapshot?.parameters ?? {};
          for (const values of Object.values(parameters)) expect(values.every(Number.isFinite)).toBe(true);
        }
      }),
      { numRuns: RUNS.heavy },
    );
    noPollution();
  });
});

describe('CLI, CSV and expressions (fuzz)', () => {
  const argument = fc.oneof(
    fc.constantFrom('--preset', '--set', '--steps', '--eval-every', '--out', '--quiet', '--help', '--config'),
    fc.constantFrom('mlp', 'classic', '__proto__', '-1', '1e999', 'NaN', ''),
    fc
      .tuple(fc.constantFrom(...LEAVES, '__proto__.x', 'a..b', '.'), nasty)
      .map(([path, value]) => `${path}=${JSON.stringify(value) ?? ''}`),
    fc.string({ maxLength: 20 }),
  );

  it('parseTrainArgs: only ever throws UsageError, and a config it returns is valid', () => {
    fc.assert(
      fc.property(fc.array(argument, { maxLength: 8 }), (argv) => {
        count('parseTrainArgs');
        // --config reads a file: point it at one that does not exist rather than the disk.
        const safe = argv.map((arg, i) => (argv[i - 1] === '--config' ? '/nonexistent/config.json' : arg));
        let parsed: { config: Config };
        try {
          parsed = parseTrainArgs(safe);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          expect((error as Error).message.length).toBeGreaterThan(0);
          return;
        }
        expect(validateConfig(parsed.config).ok).toBe(true);
      }),
      { numRuns: RUNS.normal },
    );
    noPollution();
  });

  it('parseCsvTask: random and near-valid tables → a result, never a throw', () => {
    const cell = fc.oneof(fc.integer({ min: -3, max: 300 }).map(String), fc.string({ maxLength: 4 }));
    const table = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc
        .array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 40 })
        .map((rows) => ['a,b,c', ...rows.map((row) => row.join(','))].join('\n')),
    );
    fc.assert(
      fc.property(table, fc.option(fc.integer({ min: -5, max: 400 })), (text, modulus) => {
        count('parseCsvTask');
        const result = parseCsvTask(text, modulus === null ? {} : { modulus });
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: RUNS.normal },
    );
  });

  it('parseExpression: only ever throws ExpressionError', () => {
    const expression = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc
        .array(fc.constantFrom('a', 'b', 'p', '+', '-', '*', '/', '^', '(', ')', '2', '17', ' ', '%', '**'), {
          maxLength: 30,
        })
        .map((tokens) => tokens.join('')),
      fc.constantFrom('('.repeat(5000), 'a' + '+a'.repeat(5000), '-'.repeat(10000) + 'a'),
    );
    fc.assert(
      fc.property(expression, (source) => {
        count('parseExpression');
        try {
          parseExpression(source);
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionError);
        }
      }),
      { numRuns: RUNS.light },
    );
  });
});
