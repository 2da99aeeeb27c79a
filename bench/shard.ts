import { fnv1a32 } from './hash';

/** Shard `index` (1-based) of `count`, as in `--shard 2/3`. */
export interface Shard {
  index: number;
  count: number;
}

export const ALL: Shard = { index: 1, count: 1 };

/** Parses "i/n" with 1 ≤ i ≤ n. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`--shard needs i/n (e.g. 1/2), got "${text}"`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) throw new Error(`--shard ${text}: need 1 ≤ i ≤ n`);
  return { index, count };
}

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
