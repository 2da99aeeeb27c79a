import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../engine/config';
import {
  changedPaths,
  draftIssues,
  draftProblem,
  fixedChanges,
  issueMap,
  livePatch,
  sameValue,
  withPath,
} from './configEdit';

describe('config editing', () => {
  it('sets one path without touching the original', () => {
    const next = withPath(DEFAULT_CONFIG, 'task.modulus', 31);
    expect(next.task.modulus).toBe(31);
    expect(DEFAULT_CONFIG.task.modulus).toBe(97);
    expect(changedPaths(DEFAULT_CONFIG, next)).toEqual(['task.modulus']);
  });

  it('reports issues next to their field', () => {
    const bad = withPath(withPath(DEFAULT_CONFIG, 'task.operation', 'a/b'), 'task.modulus', 96);
    expect(Object.keys(draftIssues(bad))).toEqual(['task.modulus']);
    expect(draftIssues(withPath(DEFAULT_CONFIG, 'optimizer.lr', 5))['optimizer.lr']).toBeTruthy();
    expect(draftIssues(DEFAULT_CONFIG)).toEqual({});
    expect(issueMap([{ path: 'a, b', message: 'unknown keys' }])).toEqual({
      a: 'unknown keys',
      b: 'unknown keys',
    });
  });

  it('says why a draft cannot run, by the fields’ own names', () => {
    expect(draftProblem(DEFAULT_CONFIG)).toBeNull();
    const zeroWidth = withPath(DEFAULT_CONFIG, 'task.operation', 'a\u200B+b');
    expect(draftProblem(zeroWidth)).toMatch(
      /^Operation: unexpected U\+200B at position 2 \(an invisible character\)/,
    );
    const both = withPath(withPath(DEFAULT_CONFIG, 'task.operation', 'a/b'), 'task.modulus', 96);
    expect(draftProblem(both)).toBe('Modulus p: division needs a prime modulus; 96 is not prime');
  });

  it('splits changes into live ones and ones that need a reset', () => {
    let draft = withPath(DEFAULT_CONFIG, 'seed', 3);
    draft = withPath(draft, 'model.dModel', 64);
    draft = withPath(draft, 'regularizers.radial.enabled', true);
    draft = withPath(draft, 'optimizer.lr', 0.003);
    expect(fixedChanges(DEFAULT_CONFIG, draft)).toEqual(['seed', 'model.dModel']);
    expect(livePatch(DEFAULT_CONFIG, draft)).toEqual({
      regularizers: { radial: { enabled: true } },
      optimizer: { lr: 0.003 },
    });
    expect(livePatch(DEFAULT_CONFIG, DEFAULT_CONFIG)).toBeNull();
  });
});

describe('pending changes compare by value, not identity', () => {
  // The worker hands back its config through structured clone, so an uploaded table's rows arrive as a new array
  // equal in every element: that is no change, or Start never runs (issue 17, item 1).
  const table = { name: 'sum7.csv', rows: [0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 2, 2, 2, 4] };
  const applied = withPath(
    withPath(withPath(DEFAULT_CONFIG, 'task.kind', 'table'), 'task.modulus', 7),
    'task.table',
    table,
  );

  it('sees no pending change when the applied config is a structured clone of the draft', () => {
    const cloned = structuredClone(applied);
    expect(cloned.task.table?.rows).not.toBe(applied.task.table?.rows);
    expect(changedPaths(cloned, applied)).toEqual([]);
    expect(fixedChanges(cloned, applied)).toEqual([]);
    expect(livePatch(cloned, applied)).toBeNull();
  });

  it('still sees a table whose rows differ in one element, or in length', () => {
    const edited = withPath(applied, 'task.table.rows', [...table.rows.slice(0, -1), 5]);
    expect(fixedChanges(applied, edited)).toEqual(['task.table.rows']);
    const shorter = withPath(applied, 'task.table.rows', table.rows.slice(0, 12));
    expect(fixedChanges(applied, shorter)).toEqual(['task.table.rows']);
    expect(fixedChanges(applied, withPath(applied, 'task.table', null))).toEqual(['task.table']);
  });
});

describe('sameValue', () => {
  it('compares arrays and objects by value, scalars by Object.is', () => {
    expect(sameValue([1, [2, { c: 3 }]], [1, [2, { c: 3 }]])).toBe(true);
    expect(sameValue([1, 2], [1, 2, 3])).toBe(false);
    expect(sameValue({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameValue({ a: 1 }, [1])).toBe(false);
    expect(sameValue(null, {})).toBe(false);
    expect(sameValue(Number.NaN, Number.NaN)).toBe(true);
    expect(sameValue(0, -0)).toBe(false);
  });
});
