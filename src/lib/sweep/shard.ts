/**
 * Shards: n machines (or Kubernetes pods, or CI jobs) split one sweep without talking to each other. Shard i of n
 * takes every n-th cell of the sweep's deterministic order starting at the i-th, so every cell is in exactly one
 * shard, shard sizes differ by at most one, and the slow cells of a row spread over the shards.
 */

/** Shard `index` (1-based) of `count`, as in `--shard 2/3`. */
export interface Shard {
  index: number;
  count: number;
}

export const ALL: Shard = { index: 1, count: 1 };

export class ShardError extends Error {}

/** Parses "i/n" with 1 ≤ i ≤ n. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new ShardError(`--shard needs i/n (e.g. 1/2), got "${text}"`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) throw new ShardError(`--shard ${text}: need 1 ≤ i ≤ n`);
  return { index, count };
}

/**
 * The shard named by two environment variables, "INDEX_VAR/COUNT_VAR", the index 0-based as Kubernetes sets
 * JOB_COMPLETION_INDEX (the count must be set by the manifest: Kubernetes does not export it). Throws
 * ShardError naming a variable that is missing or not a whole number.
 */
export function shardFromEnv(names: string, env: Readonly<Record<string, string | undefined>>): Shard {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)\/([A-Za-z_][A-Za-z0-9_]*)$/.exec(names.trim());
  if (!match) throw new ShardError(`--shard-from-env needs INDEX_VAR/COUNT_VAR, got "${names}"`);
  const read = (name: string): number => {
    const text = env[name];
    if (text === undefined || text.trim() === '')
      throw new ShardError(`environment variable ${name} is not set`);
    if (!/^\d+$/.test(text.trim()))
      throw new ShardError(`environment variable ${name}="${text}" is not a whole number`);
    return Number(text);
  };
  const zeroBased = read(match[1]);
  const count = read(match[2]);
  if (count < 1 || zeroBased >= count) {
    throw new ShardError(`${match[1]}=${zeroBased} is not an index below ${match[2]}=${count}`);
  }
  return { index: zeroBased + 1, count };
}

/** The items of one shard (round-robin over their order). */
export function selectShard<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, i) => i % shard.count === shard.index - 1);
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
