import { deepMerge, DEFAULT_CONFIG, getPath, patchFromPath } from '../../engine/config';
import { leafEntries } from '../../engine/plainObjects';
import { REGULARIZERS, type RegularizerId } from '../../engine/regularizers/registry';

/**
 * Knobs: the numeric config keys a sweep may vary, checked against the config itself (DEFAULT_CONFIG holds every
 * key of the schema), and how a knob's value is written into a config.
 */

/** Why `key` cannot be a sweep axis, or null when it can. */
export function knobIssue(key: string): string | null {
  if (key === 'seed') return '"seed" is not a knob: give the seeds with --seeds';
  const value = getPath(DEFAULT_CONFIG, key);
  if (value === undefined) return `"${key}" is not a config key`;
  if (typeof value !== 'number') {
    const kind =
      value === null
        ? 'null'
        : Array.isArray(value)
          ? 'a list'
          : typeof value === 'object'
            ? 'a section'
            : `a ${typeof value}`;
    return `"${key}" is not numeric (it is ${kind})`;
  }
  return null;
}

/** Every numeric key of the config, dotted: what a sweep can vary (the lab's knob picker lists these). */
export function numericKeys(node: unknown = DEFAULT_CONFIG): string[] {
  return leafEntries(node)
    .filter(([path, value]) => typeof value === 'number' && path !== 'seed')
    .map(([path]) => path);
}

function regularizerParam(key: string): { id: RegularizerId; min: number } | null {
  const match = /^regularizers\.([^.]+)\.([^.]+)$/.exec(key);
  if (!match || !(match[1] in REGULARIZERS)) return null;
  const id = match[1] as RegularizerId;
  const spec = (REGULARIZERS[id].params as Record<string, { kind: string; min?: number }>)[match[2]];
  if (!spec || spec.kind !== 'number' || spec.min === undefined) return null;
  return { id, min: spec.min };
}

/**
 * Writes knob values into a (partial) config. Sweeping a regularizer's parameter switches that regularizer on —
 * a swept λ on a disabled regularizer would change nothing — except that 0, when it lies below the parameter's
 * range (radial λ, weight decay, …), means "off": the regularizer is disabled and the parameter keeps its base
 * value. "Off" wins when two knobs of one regularizer disagree.
 */
export function applyKnobs<T>(config: T, knobs: readonly (readonly [key: string, value: number])[]): T {
  let result = config;
  const off: RegularizerId[] = [];
  for (const [key, value] of knobs) {
    const param = regularizerParam(key);
    if (param && value === 0 && param.min > 0) {
      off.push(param.id);
      continue;
    }
    result = deepMerge(result, patchFromPath(key, value));
    if (param) result = deepMerge(result, { regularizers: { [param.id]: { enabled: true } } });
  }
  for (const id of off) result = deepMerge(result, { regularizers: { [id]: { enabled: false } } });
  return result;
}
