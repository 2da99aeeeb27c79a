import { deepMerge, validateConfig } from '../../engine/config';
import { estimateRunCost, formatDuration } from '../../engine/runCost';
import { formatSteps } from '../censored';
import { sweepBase } from './cells';
import { applyKnobs } from './knobs';
import { axisValues, type SweepSpec } from './spec';

/**
 * What a sweep will take, from its spec alone, before any cell is built: cells × budget × the engine's estimate of
 * one step (src/engine/runCost.ts, the estimate a single run is asked about). Expanding a spec resolves and
 * hashes one config per cell, so a valid but huge spec (64 × 64 values × 100 seeds = 409 600 cells) took minutes
 * and hundreds of MB on the page's main thread; this is arithmetic on a handful of configs.
 */

/**
 * The most cells the lab builds (a 64 × 64 map with one seed). Its plan lives on the page's main thread and its
 * map draws one rectangle per point; beyond this the CLI's shards are the tool.
 */
export const LAB_MAX_CELLS = 4096;
/** The most cells the CLI plans in one folder (16 × the lab's; shards split the training, not the plan). */
export const CLI_MAX_CELLS = 65_536;
/** Above this much training on the lab's cores (worst case: every cell runs its whole budget) the lab asks first. */
export const LAB_ASK_MS = 60 * 60_000;

export interface SweepSize {
  xCount: number;
  yCount: number;
  seeds: number;
  cells: number;
  /** Step budget of every cell. */
  steps: number;
  /**
   * Estimated ms per training step, evaluations included, of the costliest corner of the grid (the knobs that
   * change a run's cost, such as width or modulus, grow towards one end); null when no corner is a valid run.
   */
  msPerStep: number | null;
  /** Estimated training time if every cell runs to its budget (a cell that groks stops sooner), ms; null as above. */
  worstMs: number | null;
}

/** The size of a spec, without expanding it. Never throws (a spec that cannot expand gets msPerStep null). */
export function sweepSize(spec: SweepSpec): SweepSize {
  const xValues = axisValues(spec.x);
  const yValues = axisValues(spec.y);
  const cells = xValues.length * yValues.length * spec.seeds.length;
  let msPerStep: number | null = null;
  try {
    const base = deepMerge(sweepBase(spec), {
      seed: spec.seeds[0],
      training: {
        maxSteps: spec.steps,
        stopAfterGrok: spec.stopAfterGrok,
        ...(spec.evalEvery !== undefined ? { evalEvery: spec.evalEvery } : {}),
      },
    });
    for (const x of new Set([xValues[0], xValues.at(-1)!])) {
      for (const y of new Set([yValues[0], yValues.at(-1)!])) {
        const checked = validateConfig(
          applyKnobs(base, [
            [spec.x.key, x],
            [spec.y.key, y],
          ]),
        );
        if (!checked.ok) continue;
        const cost = estimateRunCost(checked.config);
        const evalEvery = checked.config.training.evalEvery;
        // The adaptive schedule (0) evaluates rarely late in a run; a fixed one every evalEvery steps.
        const perStep = cost.msPerStep + (evalEvery > 0 ? cost.msPerEvaluation / evalEvery : 0);
        msPerStep = Math.max(msPerStep ?? 0, perStep);
      }
    }
  } catch (_error) {
    // An unknown preset or knob: expandSweep names it; the size is then the cell count alone.
  }
  return {
    xCount: xValues.length,
    yCount: yValues.length,
    seeds: spec.seeds.length,
    cells,
    steps: spec.steps,
    msPerStep,
    worstMs: msPerStep === null ? null : cells * spec.steps * msPerStep,
  };
}

/** "409 600 cells (64 × 64 values × 100 seeds), each up to 10 000 steps at ≈ 12 ms a step: up to 1 365 h of training". */
export function describeSweepSize(size: SweepSize, cores?: number): string {
  const grid = `${formatSteps(size.cells)} cells (${size.xCount} × ${size.yCount} values × ${size.seeds} seed${size.seeds === 1 ? '' : 's'})`;
  const budget = `each up to ${formatSteps(size.steps)} steps`;
  if (size.msPerStep === null || size.worstMs === null) return `${grid}, ${budget}`;
  const perCore =
    cores !== undefined && cores > 1 ? `, ≈ ${formatDuration(size.worstMs / cores)} on ${cores} cores` : '';
  return `${grid}, ${budget} at ≈ ${formatDuration(size.msPerStep)} a step: up to ${formatDuration(size.worstMs)} of training${perCore}`;
}

export type SweepSizeCheck = { level: 'ok' } | { level: 'ask' | 'refuse'; size: SweepSize; message: string };

/**
 * Whether the lab builds this sweep: refused above LAB_MAX_CELLS (with the numbers and what to do instead), asked
 * first when its worst case on `cores` workers is above LAB_ASK_MS, else ok.
 */
export function labSweepCheck(spec: SweepSpec, cores: number): SweepSizeCheck {
  const size = sweepSize(spec);
  if (size.cells > LAB_MAX_CELLS) {
    return {
      level: 'refuse',
      size,
      message:
        `this sweep is ${describeSweepSize(size, cores)}; the lab builds at most ${formatSteps(LAB_MAX_CELLS)} cells ` +
        `(e.g. 64 × 64 values with one seed). Use fewer values or seeds, or run it headless in shards ` +
        `(npm run sweep -- … --shard i/n)`,
    };
  }
  if (size.worstMs !== null && size.worstMs / Math.max(1, cores) > LAB_ASK_MS) {
    return {
      level: 'ask',
      size,
      message: `This sweep is ${describeSweepSize(size, cores)} (cells that grok stop sooner).`,
    };
  }
  return { level: 'ok' };
}

/** The CLI's limit: a plan it refuses to build, with the numbers (null: it builds it). */
export function cliSweepRefusal(spec: SweepSpec, cores: number): string | null {
  const size = sweepSize(spec);
  if (size.cells <= CLI_MAX_CELLS) return null;
  return (
    `this sweep is ${describeSweepSize(size, cores)}; the CLI plans at most ${formatSteps(CLI_MAX_CELLS)} cells ` +
    `in one folder. Use fewer values or seeds (a range's count, --seeds), or split it into several sweeps`
  );
}
