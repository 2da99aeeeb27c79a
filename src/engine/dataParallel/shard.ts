/**
 * Which rows of a batch each data-parallel worker takes: contiguous, near-equal parts in worker order (the first
 * `total mod count` parts one row longer), so the split depends on nothing but the batch, the worker's index and
 * the number of workers. Pure; the seed still fixes the data split, the initialization and the batch order.
 */
export interface Shard {
  /** This worker's place, 0 … count − 1 (0 leads: it evaluates). */
  index: number;
  count: number;
}

/** Rows [start, end) of a batch of `total` rows that shard `index` of `count` takes. */
export function shardRange(total: number, { index, count }: Shard): { start: number; end: number } {
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`a data-parallel run needs ≥ 1 worker, got ${count}`);
  if (!Number.isInteger(index) || index < 0 || index >= count)
    throw new Error(`worker index ${index} is outside 0…${count - 1}`);
  if (total < count)
    throw new Error(
      `a batch of ${total} row${total === 1 ? '' : 's'} cannot be split across ${count} workers (each needs ≥ 1)`,
    );
  const base = Math.floor(total / count);
  const extra = total % count;
  const start = index * base + Math.min(index, extra);
  return { start, end: start + base + (index < extra ? 1 : 0) };
}
