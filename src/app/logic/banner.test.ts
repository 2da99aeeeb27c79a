import { describe, expect, it } from 'vitest';
import { milestoneMessage } from './banner';
import { GROUP } from './format';

describe('milestoneMessage', () => {
  it('announces grokking with the memorization step', () => {
    expect(milestoneMessage({ memorized: 410, grokked: 7340, collapsed: null })).toBe(
      `Grokked at step 7${GROUP}340 — memorized at step 410`,
    );
  });

  it('warns of a collapse', () => {
    expect(milestoneMessage({ memorized: 50, grokked: null, collapsed: 300 })).toMatch(
      /^Collapsed at step 300/,
    );
  });

  it('reports memorization while waiting, nothing before', () => {
    expect(milestoneMessage({ memorized: 410, grokked: null, collapsed: null })).toBe(
      'Memorized at step 410 — waiting for the test set to follow…',
    );
    expect(milestoneMessage({ memorized: null, grokked: null, collapsed: null })).toBeNull();
  });
});
