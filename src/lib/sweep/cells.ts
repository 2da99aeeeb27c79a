import { deepMerge, DEFAULT_CONFIG, formatIssues, validateConfig, type Config } from '../../engine/config';
import { isPresetName, PRESETS } from '../../engine/presets';
import { stableHash } from '../stableJson';
import { applyKnobs, knobIssue } from './knobs';
import { axisValues, type SweepSpec } from './spec';

/** One run of a sweep: a point (x, y) of the grid and a seed, with its fully resolved config. */
export interface SweepCell {
  /** Position in the sweep's deterministic order (seed, then y, then x). */
  index: number;
  /** Content hash of the resolved config (which holds the seed, budget and stop rule): same run, same id. */
  id: string;
  xIndex: number;
  yIndex: number;
  xValue: number;
  yValue: number;
  seed: number;
  config: Config;
}

export interface ExpandedSweep {
  spec: SweepSpec;
  xValues: number[];
  yValues: number[];
  cells: SweepCell[];
}

export class SweepError extends Error {}

/** The config every cell starts from: defaults, then the preset, then the spec's partial config. */
export function sweepBase(spec: SweepSpec): unknown {
  let base: unknown = DEFAULT_CONFIG;
  if (spec.preset !== null) {
    if (!isPresetName(spec.preset)) {
      throw new SweepError(
        `unknown preset "${spec.preset}"; choose one of: ${Object.keys(PRESETS).join(', ')}`,
      );
    }
    base = deepMerge(base, PRESETS[spec.preset].config);
  }
  return deepMerge(base, spec.config);
}

/** The knob problems of a spec, one line each naming the key ("x: "optimizer.foo" is not a config key"). */
export function knobIssues(spec: SweepSpec): string[] {
  return (['x', 'y'] as const).flatMap((axis) => {
    const issue = knobIssue(spec[axis].key);
    return issue === null ? [] : [`${axis}: ${issue}`];
  });
}

/** The stable id of a resolved config: what makes two cells, or a cell and a stored file, the same run. */
export function cellId(config: Config): string {
  return stableHash(config);
}

/**
 * Expands a spec into its cells, in a deterministic order (seed outermost, then y, then x: the first seed fills
 * the whole grid before the second starts). Throws SweepError naming the knob, or the cell and config key, that
 * is invalid.
 */
export function expandSweep(spec: SweepSpec): ExpandedSweep {
  const issues = knobIssues(spec);
  if (issues.length > 0) throw new SweepError(issues.join('\n'));
  const base = deepMerge(sweepBase(spec), {
    training: {
      maxSteps: spec.steps,
      stopAfterGrok: spec.stopAfterGrok,
      ...(spec.evalEvery !== undefined ? { evalEvery: spec.evalEvery } : {}),
    },
  });
  const xValues = axisValues(spec.x);
  const yValues = axisValues(spec.y);
  const cells: SweepCell[] = [];
  for (const seed of spec.seeds) {
    for (const [yIndex, yValue] of yValues.entries()) {
      for (const [xIndex, xValue] of xValues.entries()) {
        const merged = applyKnobs(deepMerge(base, { seed }), [
          [spec.x.key, xValue],
          [spec.y.key, yValue],
        ]);
        const result = validateConfig(merged);
        if (!result.ok) {
          throw new SweepError(
            `cell ${spec.x.key}=${xValue}, ${spec.y.key}=${yValue}, seed ${seed}: invalid config:\n` +
              formatIssues(result.issues),
          );
        }
        cells.push({
          index: cells.length,
          id: cellId(result.config),
          xIndex,
          yIndex,
          xValue,
          yValue,
          seed,
          config: result.config,
        });
      }
    }
  }
  return { spec, xValues, yValues, cells };
}
