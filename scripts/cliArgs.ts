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

export interface TrainArgs {
  config: Config;
  steps: number;
  out: string | null;
  quiet: boolean;
}

export class UsageError extends Error {}

export const USAGE = `usage: npm run train -- [--preset NAME] [--config FILE.json] [--set key.path=value ...]
                       [--steps N] [--eval-every K] [--out FILE.json] [--quiet]
presets: ${Object.keys(PRESETS).join(', ')}`;

/** "1e-3" → 0.001, "true" → true, "mlp" → "mlp": JSON where it parses, a string otherwise. */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function positiveInteger(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
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
  return { config: result.config, steps: result.config.training.maxSteps, out, quiet };
}
