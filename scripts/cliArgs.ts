import { notDecimal, parseDecimal } from '../src/lib/sweep/spec';
import { readFileSync } from 'node:fs';
import {
  deepMerge,
  DEFAULT_CONFIG,
  formatIssues,
  patchFromPath,
  validateConfig,
  type Config,
} from '../src/engine/config';
import { isPresetName, PRESETS } from '../src/engine/presets';
import { isNodeBackendChoice, NODE_BACKEND_CHOICES, type NodeBackendChoice } from '../src/engine/backend';
import { WEBGPU_ADAPTER_CHOICES, type WebGpuAdapterChoice } from '../src/engine/nodeWebgpu';

export interface TrainArgs {
  config: Config;
  steps: number;
  out: string | null;
  quiet: boolean;
  backend: NodeBackendChoice;
  /** wasm: XNNPACK threads (1 = the single-threaded build). */
  threads: number;
  /** Data-parallel workers (1 = none): each takes a share of every batch (src/engine/dataParallel/). */
  workers: number;
  /** null: GROK_WEBGPU_ADAPTER, else the system's Vulkan driver. */
  webgpuAdapter: WebGpuAdapterChoice | null;
}

export class UsageError extends Error {}

export const USAGE = `usage: npm run train -- [--preset NAME] [--config FILE.json] [--set key.path=value ...]
                       [--steps N] [--eval-every K] [--out FILE.json] [--quiet]
                       [--backend ${NODE_BACKEND_CHOICES.join('|')}] [--webgpu-adapter ${WEBGPU_ADAPTER_CHOICES.join('|')}] [--threads N] [--workers N]
presets: ${Object.keys(PRESETS).join(', ')}
--backend: wasm (default); webgpu = WebGPU through Dawn (optional package "webgpu"); auto = time each backend
           that starts on this model and use the fastest (a software GPU adapter only if nothing else starts).
--webgpu-adapter swiftshader: Chromium's software Vulkan driver (/usr/lib/chromium), for machines without a GPU.
--threads N: wasm runs XNNPACK on N threads (tfjs's threaded build; default 1).
--workers N: data-parallel: N worker threads (one core each, wasm or cpu) split every batch and average their
           gradients; the same run as 1 worker within float tolerance (default 1).`;

/** "1e-3" → 0.001, "true" → true, "mlp" → "mlp": JSON where it parses, a string otherwise. */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function positiveInteger(flag: string, text: string | undefined): number {
  // Decimal only: Number() would read "0x10" as 16 without a word.
  const value = parseDecimal(text ?? '');
  if (value === null && text !== undefined && /^\s*[+-]?0[xbo]/i.test(text))
    throw new UsageError(`${flag}: ${notDecimal(text)}`);
  if (value === null || !Number.isInteger(value) || value < 0)
    throw new UsageError(`${flag} needs a whole number, got "${text ?? ''}"`);
  return value;
}

/** Turns argv into a validated config; throws UsageError with a message naming the bad key or flag. */
export function parseTrainArgs(argv: readonly string[]): TrainArgs {
  let preset: string | null = null;
  let file: string | null = null;
  const sets: [string, unknown][] = [];
  let steps: number | null = null;
  let evalEvery: number | null = null;
  let out: string | null = null;
  let quiet = false;
  let backend: NodeBackendChoice = 'wasm';
  let webgpuAdapter: WebGpuAdapterChoice | null = null;
  let threads = 1;
  let workers = 1;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = (): string => {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      return value;
    };
    switch (flag) {
      case '--preset':
        preset = next();
        break;
      case '--config':
        file = next();
        break;
      case '--set': {
        const assignment = next();
        const eq = assignment.indexOf('=');
        if (eq <= 0) throw new UsageError(`--set needs key.path=value, got "${assignment}"`);
        sets.push([assignment.slice(0, eq), parseValue(assignment.slice(eq + 1))]);
        break;
      }
      case '--steps':
        steps = positiveInteger(flag, next());
        break;
      case '--eval-every':
        evalEvery = positiveInteger(flag, next());
        break;
      case '--out':
        out = next();
        break;
      case '--quiet':
        quiet = true;
        break;
      case '--backend': {
        const value = next();
        if (!isNodeBackendChoice(value))
          throw new UsageError(`--backend must be one of ${NODE_BACKEND_CHOICES.join(', ')}, got "${value}"`);
        backend = value;
        break;
      }
      case '--threads':
        threads = positiveInteger(flag, next());
        if (threads < 1) throw new UsageError('--threads needs at least 1');
        break;
      case '--workers':
        workers = positiveInteger(flag, next());
        if (workers < 1) throw new UsageError('--workers needs at least 1');
        break;
      case '--webgpu-adapter': {
        const value = next();
        if (!(WEBGPU_ADAPTER_CHOICES as readonly string[]).includes(value))
          throw new UsageError(
            `--webgpu-adapter must be one of ${WEBGPU_ADAPTER_CHOICES.join(', ')}, got "${value}"`,
          );
        webgpuAdapter = value as WebGpuAdapterChoice;
        break;
      }
      case '--help':
      case '-h':
        throw new UsageError(USAGE);
      default:
        throw new UsageError(`unknown option "${flag}"\n${USAGE}`);
    }
  }
  let merged: unknown = DEFAULT_CONFIG;
  if (preset !== null) {
    if (!isPresetName(preset)) {
      throw new UsageError(`unknown preset "${preset}"; choose one of: ${Object.keys(PRESETS).join(', ')}`);
    }
    merged = deepMerge(merged, PRESETS[preset].config);
  }
  if (file !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(
        `cannot read config file ${file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    merged = deepMerge(merged, parsed);
  }
  for (const [path, value] of sets) merged = deepMerge(merged, patchFromPath(path, value));
  if (steps !== null) merged = deepMerge(merged, { training: { maxSteps: steps } });
  if (evalEvery !== null) merged = deepMerge(merged, { training: { evalEvery } });
  const result = validateConfig(merged);
  if (!result.ok) throw new UsageError(`invalid config:\n${formatIssues(result.issues)}`);
  if (workers > 1 && (backend === 'webgpu' || backend === 'auto'))
    throw new UsageError(
      `--workers ${workers} needs --backend wasm or cpu (each worker computes on its own core)`,
    );
  if (workers > 1 && threads > 1)
    throw new UsageError(
      `--workers and --threads do not combine: each data-parallel worker runs 1 wasm thread`,
    );
  return {
    config: result.config,
    steps: result.config.training.maxSteps,
    out,
    quiet,
    backend,
    threads,
    workers,
    webgpuAdapter,
  };
}
