import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { deepMerge, patchFromPath } from '../src/engine/config';
import { PRESETS } from '../src/engine/presets';
import { expandSweep, SweepError, type ExpandedSweep } from '../src/lib/sweep/cells';
import { isSweepName, SWEEPS } from '../src/lib/sweep/registry';
import { ALL, parseShard, ShardError, shardFromEnv, type Shard } from '../src/lib/sweep/shard';
import {
  notDecimal,
  parseAxis,
  parseDecimal,
  parseSweepSpec,
  SweepSpecError,
  type SweepSpec,
  type SweepSpecInput,
} from '../src/lib/sweep/spec';
import { cliSweepRefusal } from '../src/lib/sweep/size';
import { parseValue, UsageError } from './cliArgs';

export interface SweepArgs {
  /** null with --merge and no axes given: the spec is read from OUT/sweep.json. */
  sweep: ExpandedSweep | null;
  out: string;
  shard: Shard;
  merge: boolean;
  list: boolean;
  workers: number;
  /** Keep at most this many evaluations of each cell's history in its file (0 = all). */
  historyPoints: number;
  quiet: boolean;
}

export const SWEEP_USAGE = `usage: npm run sweep -- [--sweep NAME | --preset NAME] [--config FILE.json] [--set key.path=value ...]
                       --x key.path=VALUES --y key.path=VALUES [--seeds N | --seeds 0,4,7] [--steps N]
                       [--stop-after-grok N] [--eval-every K] [--title TEXT] [--out DIR]
                       [--shard i/n | --shard-from-env INDEX_VAR/COUNT_VAR] [--workers K]
                       [--history-points N] [--merge] [--list] [--quiet]
VALUES: a list (0.03,0.1,0.3,1) or a range (1e-4..1e-2:5:log, 0.3..0.7:5)
sweeps: ${Object.keys(SWEEPS).join(', ')}
presets: ${Object.keys(PRESETS).join(', ')}`;

/**
 * Expands a spec into its cells after sizing it: a plan above the CLI's limit is refused with its numbers before a
 * single cell is built (409 600 cells took minutes and hundreds of MB just to plan). Throws UsageError.
 */
export function planSweep(spec: SweepSpec, workers: number): ExpandedSweep {
  const refusal = cliSweepRefusal(spec, workers);
  if (refusal !== null) throw new UsageError(refusal);
  try {
    return expandSweep(spec);
  } catch (error) {
    if (error instanceof SweepError) throw new UsageError(error.message);
    throw error;
  }
}

function wholeNumber(flag: string, text: string, min = 0): number {
  const value = parseDecimal(text);
  if (value === null || !Number.isInteger(value) || value < min) {
    throw new UsageError(
      `${flag} needs a whole number${min > 0 ? ` ≥ ${min}` : ''}, got "${text}"${value === null ? ` (${notDecimal(text)})` : ''}`,
    );
  }
  return value;
}

/** "3" → seeds 0, 1, 2; "0,4,7" → those seeds. */
export function parseSeeds(text: string): number[] {
  if (text.includes(',')) return text.split(',').map((part) => wholeNumber('--seeds', part.trim()));
  return Array.from({ length: wholeNumber('--seeds', text, 1) }, (_, i) => i);
}

/**
 * Turns argv into a sweep; throws UsageError naming the bad flag, knob or config key. `env` is read only for
 * --shard-from-env (Kubernetes' JOB_COMPLETION_INDEX and the manifest's shard count).
 */
export function parseSweepArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): SweepArgs {
  let spec: Partial<SweepSpecInput> = {};
  let base: Record<string, unknown> = {};
  let out = 'sweep';
  let shard = ALL;
  let merge = false;
  let list = false;
  let workers = availableParallelism();
  let historyPoints = 0;
  let quiet = false;
  let axesGiven = false;
  try {
    for (let i = 0; i < argv.length; i++) {
      const flag = argv[i];
      const next = (): string => {
        const value = argv[++i];
        if (value === undefined) throw new UsageError(`${flag} needs a value`);
        return value;
      };
      switch (flag) {
        case '--sweep': {
          const name = next();
          if (!isSweepName(name)) {
            throw new UsageError(`unknown sweep "${name}"; choose one of: ${Object.keys(SWEEPS).join(', ')}`);
          }
          spec = { ...spec, ...structuredClone(SWEEPS[name].spec) } as Partial<SweepSpecInput>;
          axesGiven = true;
          break;
        }
        case '--preset':
          spec.preset = next();
          break;
        case '--config': {
          const file = next();
          try {
            base = deepMerge(base, JSON.parse(readFileSync(file, 'utf8')));
          } catch (error) {
            throw new UsageError(
              `cannot read config file ${file}: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
          break;
        }
        case '--set': {
          const assignment = next();
          const eq = assignment.indexOf('=');
          if (eq <= 0) throw new UsageError(`--set needs key.path=value, got "${assignment}"`);
          base = deepMerge(
            base,
            patchFromPath(assignment.slice(0, eq), parseValue(assignment.slice(eq + 1))),
          );
          break;
        }
        case '--x':
          spec.x = parseAxis(next());
          axesGiven = true;
          break;
        case '--y':
          spec.y = parseAxis(next());
          axesGiven = true;
          break;
        case '--seeds':
          spec.seeds = parseSeeds(next());
          break;
        case '--steps':
          spec.steps = wholeNumber(flag, next(), 1);
          break;
        case '--stop-after-grok':
          spec.stopAfterGrok = wholeNumber(flag, next());
          break;
        case '--eval-every':
          spec.evalEvery = wholeNumber(flag, next());
          break;
        case '--title':
          spec.title = next();
          break;
        case '--out':
          out = next();
          break;
        case '--shard':
          shard = parseShard(next());
          break;
        case '--shard-from-env':
          shard = shardFromEnv(next(), env);
          break;
        case '--workers':
          workers = wholeNumber(flag, next(), 1);
          break;
        case '--history-points':
          historyPoints = wholeNumber(flag, next());
          break;
        case '--merge':
          merge = true;
          break;
        case '--list':
          list = true;
          break;
        case '--quiet':
          quiet = true;
          break;
        case '--help':
        case '-h':
          throw new UsageError(SWEEP_USAGE);
        default:
          throw new UsageError(`unknown option "${flag}"\n${SWEEP_USAGE}`);
      }
    }
    const options = { out, shard, merge, list, workers, historyPoints, quiet };
    if (!axesGiven && merge) return { sweep: null, ...options };
    if (!spec.x || !spec.y)
      throw new UsageError(`a sweep needs --x and --y (or --sweep NAME)\n${SWEEP_USAGE}`);
    const full = {
      ...spec,
      config: deepMerge(spec.config ?? {}, base),
      seeds: spec.seeds ?? [0],
      steps: spec.steps ?? 10_000,
    };
    return { sweep: planSweep(parseSweepSpec(full), workers), ...options };
  } catch (error) {
    if (error instanceof SweepSpecError || error instanceof SweepError || error instanceof ShardError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}
