import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../engine/config';
import { changedPaths, draftIssues, fixedChanges, issueMap, livePatch, withPath } from './configEdit';

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
