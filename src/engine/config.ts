import { configSchema, type Config, type RegularizerConfigs } from './configSchema';
import { REGULARIZERS } from './regularizers/registry';
import { isPlainObject } from './plainObjects';
import { runCostIssue, sizeFields } from './runCost';

export * from './configSchema';

function regularizerDefaults(): RegularizerConfigs {
  const result: Record<string, unknown> = {};
  for (const definition of Object.values(REGULARIZERS)) {
    const params: Record<string, unknown> = { enabled: false };
    for (const [key, spec] of Object.entries(definition.params)) params[key] = spec.default;
    result[definition.id] = params;
  }
  return result as RegularizerConfigs;
}

/** The classic grokking setup (Power et al. 2022; Nanda et al. 2023). */
export const DEFAULT_CONFIG: Config = Object.freeze({
  seed: 0,
  task: {
    kind: 'modular',
    operation: 'a+b',
    modulus: 97,
    trainFraction: 0.3,
    digits: 3,
    samples: 4000,
    parityBits: 30,
    parityRelevant: 3,
    table: null,
  },
  model: {
    kind: 'transformer',
    embedDim: 128,
    hiddenWidth: 512,
    hiddenLayers: 1,
    activation: 'relu',
    combine: 'concat',
    layers: 1,
    dModel: 128,
    heads: 4,
    dMlp: 512,
    layerNorm: false,
  },
  optimizer: { lr: 1e-3, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, warmupSteps: 10, batchSize: 0 },
  regularizers: (() => {
    const defaults = regularizerDefaults();
    defaults.weightDecay.enabled = true;
    return defaults;
  })(),
  training: { evalEvery: 0, grokThreshold: 0.99, maxSteps: 20_000, stopAfterGrok: 0 },
}) as Config;

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export interface ConfigIssue {
  /** Dotted key, e.g. "task.modulus". */
  path: string;
  message: string;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; issues: ConfigIssue[] };

/** Overlays `patch` on `base` key by key (arrays and scalars replace). Neither input is modified. */
export function deepMerge<T>(base: T, patch: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(patch)) return (patch === undefined ? base : patch) as T;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    result[key] = key in base ? deepMerge((base as Record<string, unknown>)[key], value) : value;
  }
  return result as T;
}

export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => `${issue.path || '(config)'}: ${issue.message}`).join('\n');
}

/** Validates a complete config. */
export function validateConfig(input: unknown): ConfigResult {
  const parsed = configSchema.safeParse(input);
  if (parsed.success) {
    const config = parsed.data as Config;
    // A run whose tensors cannot fit in the wasm heap is refused here, with the numbers, beside every field that
    // sets its size (runCost.ts; a "warn" is asked at Start instead). The path names several keys: issueMap files
    // the message under each. Only for an otherwise valid config: an estimate of an impossible one is noise.
    const costIssue = runCostIssue(config);
    if (costIssue)
      return { ok: false, issues: [{ path: sizeFields(config).join(', '), message: costIssue }] };
    return { ok: true, config };
  }
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((key) => (path ? `${path}.${key}` : key));
        return { path: keys.join(', '), message: `unknown key${keys.length > 1 ? 's' : ''}` };
      }
      return { path, message: issue.message };
    }),
  };
}

/** Overlays a partial config on a base (the defaults unless given) and validates the result. */
export function resolveConfig(partial: unknown, base: Config = DEFAULT_CONFIG): ConfigResult {
  if (partial !== undefined && !isPlainObject(partial)) {
    return { ok: false, issues: [{ path: '', message: 'a config must be a JSON object' }] };
  }
  return validateConfig(deepMerge(base, partial));
}

/** Reads a dotted key such as "task.modulus". */
export function getPath(config: unknown, path: string): unknown {
  let node: unknown = config;
  for (const key of path.split('.')) {
    if (!isPlainObject(node) || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

/** A nested patch that sets one dotted key. */
export function patchFromPath(path: string, value: unknown): Record<string, unknown> {
  const keys = path.split('.');
  let patch: unknown = value;
  for (let i = keys.length - 1; i >= 0; i--) patch = { [keys[i]]: patch };
  return patch as Record<string, unknown>;
}
