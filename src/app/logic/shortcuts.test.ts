// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { shortcutFor } from './shortcuts';

describe('shortcutFor', () => {
  const body = document.body;

  it('maps space, r and digits', () => {
    expect(shortcutFor({ key: ' ', target: body }, 3)).toEqual({ kind: 'togglePlay' });
    expect(shortcutFor({ key: 'r', target: body }, 3)).toEqual({ kind: 'reset' });
    expect(shortcutFor({ key: '2', target: body }, 3)).toEqual({ kind: 'toggleRegularizer', index: 1 });
    expect(shortcutFor({ key: '4', target: body }, 3)).toBeNull();
    expect(shortcutFor({ key: '0', target: body }, 3)).toBeNull();
  });

  it('stays off while typing or with modifiers', () => {
    const input = document.createElement('input');
    input.type = 'number';
    const checkbox = document.createElement('input');
    checkbox.type = 'checkbox';
    const select = document.createElement('select');
    expect(shortcutFor({ key: 'r', target: input }, 3)).toBeNull();
    expect(shortcutFor({ key: ' ', target: select }, 3)).toBeNull();
    expect(shortcutFor({ key: 'r', target: checkbox }, 3)).toEqual({ kind: 'reset' });
    expect(shortcutFor({ key: 'r', ctrlKey: true, target: body }, 3)).toBeNull();
    // Space on a focused button already presses it.
    expect(shortcutFor({ key: ' ', target: document.createElement('button') }, 3)).toBeNull();
  });
});
