import type { Shard } from '../src/lib/sweep/shard';
import { fnv1a32 } from './hash';

// The shard type and its "i/n" syntax are the sweep's (src/lib/sweep/shard.ts); the bench assigns runs by hash.
export { ALL, parseShard, type Shard } from '../src/lib/sweep/shard';

/**
 * The shard (1-based) a run belongs to: a hash of its id, so the assignment depends on nothing but the id — every
 * machine computes the same split, and adding runs to a suite never moves existing ones between shards.
 */
export function shardOf(runId: string, count: number): number {
  return (fnv1a32(runId) % count) + 1;
}

export function inShard(runId: string, shard: Shard): boolean {
  return shard.count === 1 || shardOf(runId, shard.count) === shard.index;
}
