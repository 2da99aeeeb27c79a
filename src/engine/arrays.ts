/**
 * List operations for lists of any length. `push(...items)`, `splice(0, n, ...items)` and `Math.max(...values)`
 * pass every element as an argument, and engines cap a call's arguments (a browser worker failed at 98 606, Node
 * at about 125 000): a long run's history must never be spread into a call.
 */

/** Appends `items` to `target` in order; returns `target`. */
export function appendAll<T>(target: T[], items: readonly T[]): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** Makes `target` hold exactly `items` (the same array object, so holders of it see the change). */
export function replaceContents<T>(target: T[], items: readonly T[]): T[] {
  if (target === items) return target;
  target.length = 0;
  return appendAll(target, items);
}

/** The largest of `values`, or `empty` when there are none. */
export function maxOf(values: Iterable<number>, empty = Number.NEGATIVE_INFINITY): number {
  let max = empty;
  let any = false;
  for (const value of values) {
    max = any ? Math.max(max, value) : value;
    any = true;
  }
  return max;
}
