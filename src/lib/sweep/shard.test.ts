import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatShard, parseShard, selectShard, shardFromEnv, ShardError } from './shard';

describe('shards', () => {
  it('parses i/n, 1-based', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(formatShard(parseShard(' 3/3 '))).toBe('3/3');
    for (const bad of ['0/3', '4/3', '1-3', '1/0', 'a/b'])
      expect(() => parseShard(bad), bad).toThrow(ShardError);
  });

  it('reads a 0-based index and a count from the environment (Kubernetes Indexed Job)', () => {
    const env = { JOB_COMPLETION_INDEX: '0', SHARDS: '16' };
    expect(shardFromEnv('JOB_COMPLETION_INDEX/SHARDS', env)).toEqual({ index: 1, count: 16 });
    expect(shardFromEnv('JOB_COMPLETION_INDEX/SHARDS', { ...env, JOB_COMPLETION_INDEX: '15' })).toEqual({
      index: 16,
      count: 16,
    });
    expect(() => shardFromEnv('JOB_COMPLETION_INDEX/SHARDS', { ...env, JOB_COMPLETION_INDEX: '16' })).toThrow(
      'JOB_COMPLETION_INDEX=16 is not an index below SHARDS=16',
    );
    expect(() => shardFromEnv('JOB_COMPLETION_INDEX/SHARDS', { SHARDS: '2' })).toThrow(
      'environment variable JOB_COMPLETION_INDEX is not set',
    );
    expect(() => shardFromEnv('JOB_COMPLETION_INDEX/SHARDS', { ...env, SHARDS: 'x' })).toThrow(
      /not a whole number/,
    );
    expect(() => shardFromEnv('JOB_COMPLETION_INDEX', env)).toThrow(/INDEX_VAR\/COUNT_VAR/);
  });

  it('puts every item in exactly one shard, in order, shard sizes within one of each other', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 40 }), (length, count) => {
        const items = Array.from({ length }, (_, i) => i);
        const shards = Array.from({ length: count }, (_, i) => selectShard(items, { index: i + 1, count }));
        const union = shards.flat().sort((a, b) => a - b);
        expect(union).toEqual(items);
        for (const shard of shards) expect(shard).toEqual([...shard].sort((a, b) => a - b));
        const sizes = shards.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('is deterministic: the same shard of the same list is the same slice', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.integer({ min: 1, max: 9 }), (items, count) => {
        for (let index = 1; index <= count; index++) {
          expect(selectShard(items, { index, count })).toEqual(selectShard([...items], { index, count }));
        }
      }),
    );
  });
});
