/**
 * The one walker over plain data (configs, patches, metric records): what counts as a nested object, and every leaf
 * with its dotted path. Arrays are leaves, not objects: a config's only array (an uploaded table's rows) is one
 * setting, and "task.table.rows.3" would name no key.
 */

/** An object with keys to walk into: not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every leaf under `value` as [dotted path, value], depth first in key order; an empty object has none. */
export function leafEntries(value: unknown, prefix = ''): [path: string, value: unknown][] {
  if (!isPlainObject(value)) return prefix ? [[prefix, value]] : [];
  return Object.entries(value).flatMap(([key, inner]) =>
    leafEntries(inner, prefix ? `${prefix}.${key}` : key),
  );
}

/** The dotted paths of every leaf under `value`, e.g. ["regularizers.radial.enabled", …]. */
export function leafPaths(value: unknown): string[] {
  return leafEntries(value).map(([path]) => path);
}
