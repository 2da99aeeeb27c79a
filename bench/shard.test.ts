import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardOf } from './shard';
import { planRuns } from './suites';

describe('shards', () => {
  it('parses i/n', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(() => parseShard('0/3')).toThrow();
    expect(() => parseShard('4/3')).toThrow();
    expect(() => parseShard('1-3')).toThrow();
  });

  it.each([1, 2, 3, 5])('splits the full plan into %i disjoint shards that cover it', (count) => {
    const ids = planRuns('full').map((run) => run.id);
    const shards = Array.from({ length: count }, (_, i) =>
      ids.filter((id) => inShard(id, { index: i + 1, count })),
    );
    const union = shards.flat();
    expect(union.length).toBe(ids.length);
    expect(new Set(union)).toEqual(new Set(ids));
    if (count > 1) for (const shard of shards) expect(shard.length).toBeGreaterThan(0);
  });

  it('is deterministic and depends only on the run id', () => {
    expect(shardOf('methods.mlp31-add.radial.s0', 4)).toBe(shardOf('methods.mlp31-add.radial.s0', 4));
    const before = ['a', 'b', 'c'].map((id) => shardOf(id, 3));
    const after = ['a', 'b', 'c', 'd', 'e'].map((id) => shardOf(id, 3)).slice(0, 3);
    expect(after).toEqual(before);
  });
});
