import { describe, expect, it } from 'vitest';
import { appendAll, maxOf, replaceContents } from './arrays';

// Past every engine's argument limit: the spread forms of these throw RangeError here.
const HUGE = 300_000;

describe('list operations for lists of any length', () => {
  it('appendAll appends 300 000 items in order', () => {
    const items = Array.from({ length: HUGE }, (_, i) => i);
    expect(() => [0].push(...items)).toThrow(RangeError);
    const target = appendAll([-1], items);
    expect(target).toHaveLength(HUGE + 1);
    expect([target[0], target[1], target.at(-1)]).toEqual([-1, 0, HUGE - 1]);
  });

  it('replaceContents keeps the array object, and is a no-op on itself', () => {
    const target = [7, 8, 9];
    const items = Array.from({ length: HUGE }, (_, i) => i);
    expect(replaceContents(target, items)).toBe(target);
    expect(target).toEqual(items);
    expect(replaceContents(target, target)).toHaveLength(HUGE);
  });

  it('maxOf: the largest value, `empty` for none, NaN like Math.max', () => {
    expect(maxOf(Array.from({ length: HUGE }, (_, i) => i % 1000))).toBe(999);
    expect(maxOf([], 0)).toBe(0);
    expect(maxOf([-3, -1, -2])).toBe(-1);
    expect(maxOf([1, Number.NaN, 2])).toBeNaN();
  });
});
