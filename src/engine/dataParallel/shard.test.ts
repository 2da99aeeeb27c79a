import { describe, expect, it } from 'vitest';
import { shardRange } from './shard';

describe('shardRange', () => {
  it('splits a batch into contiguous parts that cover it once, in worker order', () => {
    for (const total of [2, 3, 7, 480, 673]) {
      for (const count of [1, 2, 3]) {
        if (total < count) continue;
        const parts = Array.from({ length: count }, (_, index) => shardRange(total, { index, count }));
        expect(parts[0].start).toBe(0);
        expect(parts.at(-1)!.end).toBe(total);
        parts.slice(1).forEach((part, i) => expect(part.start).toBe(parts[i].end));
        const sizes = parts.map((part) => part.end - part.start);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('gives an odd row to the first worker', () => {
    expect(shardRange(673, { index: 0, count: 2 })).toEqual({ start: 0, end: 337 });
    expect(shardRange(673, { index: 1, count: 2 })).toEqual({ start: 337, end: 673 });
  });

  it('refuses a split that leaves a worker without rows, or a worker that does not exist', () => {
    expect(() => shardRange(1, { index: 0, count: 2 })).toThrow(/1 row cannot be split across 2 workers/);
    expect(() => shardRange(10, { index: 2, count: 2 })).toThrow(/outside 0…1/);
    expect(() => shardRange(10, { index: 0, count: 0 })).toThrow(/≥ 1 worker/);
  });
});
