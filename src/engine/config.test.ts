import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  deepMerge,
  formatIssues,
  patchFromPath,
  resolveConfig,
  validateConfig,
} from './config';
import { PRESETS } from './presets';

const issuesOf = (patch: unknown): string => {
  const result = resolveConfig(patch);
  if (result.ok) throw new Error('expected invalid config');
  return formatIssues(result.issues);
};

describe('config', () => {
  it('the defaults and every preset are valid', () => {
    expect(validateConfig(DEFAULT_CONFIG).ok).toBe(true);
    for (const preset of Object.values(PRESETS)) expect(resolveConfig(preset.config).ok).toBe(true);
  });

  it('names the key and the allowed values for impossible configs', () => {
    expect(issuesOf({ task: { modulus: 1 } })).toMatch(/^task\.modulus: .*>=2/);
    expect(issuesOf({ task: { trainFraction: 1 } })).toMatch(/task\.trainFraction/);
    expect(issuesOf({ task: { trainFraction: 0 } })).toMatch(/task\.trainFraction/);
    expect(issuesOf({ model: { heads: 3 } })).toMatch(/model\.heads: must divide model\.dModel \(128\)/);
    expect(issuesOf({ model: { kind: 'rnn' } })).toMatch(/model\.kind: .*"mlp"\|"transformer"/);
    expect(issuesOf({ task: { modulus: 'abc' } })).toMatch(/task\.modulus: .*number/);
    expect(issuesOf({ task: { operation: 'a/b', modulus: 96 } })).toMatch(/prime/);
    expect(issuesOf({ task: { operation: 'a + c' } })).toMatch(/task\.operation: unexpected 'c'/);
    expect(issuesOf({ task: { kind: 'addition' }, model: { kind: 'mlp' } })).toMatch(/model\.kind/);
    expect(issuesOf({ task: { colour: 'red' } })).toMatch(/task\.colour: unknown key/);
    expect(issuesOf({ regularizers: { radial: { lambda: -1 } } })).toMatch(/regularizers\.radial\.lambda/);
    expect(issuesOf([1, 2])).toMatch(/JSON object/);
  });

  it('merges dotted patches without touching the base', () => {
    const merged = deepMerge(DEFAULT_CONFIG, patchFromPath('task.modulus', 59));
    expect(merged.task.modulus).toBe(59);
    expect(DEFAULT_CONFIG.task.modulus).toBe(97);
    expect(deepMerge({ a: 1 }, JSON.parse('{"__proto__": {"polluted": true}}'))).toEqual({ a: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('table task validation', () => {
  it('rejects missing, ragged, out-of-range and duplicate tables', () => {
    const table = (rows: number[]) => ({ task: { kind: 'table', modulus: 5, table: { name: 't', rows } } });
    expect(issuesOf({ task: { kind: 'table' } })).toMatch(
      /task\.table: kind "table" needs an uploaded table/,
    );
    expect(issuesOf(table([0, 0, 1, 0]))).toMatch(/triples/);
    expect(issuesOf(table([0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 9]))).toMatch(/≥ task\.modulus/);
    expect(issuesOf(table([0, 0, 1, 0, 1, 1, 1, 0, 1, 0, 0, 2]))).toMatch(/appears twice/);
    expect(resolveConfig(table([0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 2])).ok).toBe(true);
  });
});
