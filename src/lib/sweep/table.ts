import { formatSteps } from '../censored';
import type { GridPoint, SweepGrid } from './grid';
import { knobLabels } from './heatmap';

/**
 * The grid as a markdown table: one row per y value (largest first, as the heatmap draws it), one column per x
 * value; each entry the median steps-to-grok, "> budget" when not grokked, "…" while pending, with the seeds'
 * own values in parentheses when there are several.
 */

function seedValue(point: GridPoint['seeds'][number]): string {
  const { outcome } = point;
  if (outcome === null) return '…';
  if (outcome.stepsToGrok !== null) return formatSteps(outcome.stepsToGrok);
  return outcome.stoppedBecause === 'diverged' ? 'diverged' : `> ${formatSteps(outcome.finalStep)}`;
}

export function pointEntry(point: GridPoint): string {
  const value =
    point.value.kind === 'grokked'
      ? formatSteps(point.value.steps)
      : point.value.kind === 'censored'
        ? `> ${formatSteps(point.value.above)}`
        : '…';
  return point.seeds.length > 1 ? `${value} (${point.seeds.map(seedValue).join(', ')})` : value;
}

export function sweepTable(grid: SweepGrid): string {
  const yLabels = knobLabels(grid.yValues);
  const header = `| ${grid.yKey} ↓ · ${grid.xKey} → | ${knobLabels(grid.xValues).join(' | ')} |`;
  const rule = `|---|${grid.xValues.map(() => '---|').join('')}`;
  const rows = [...grid.rows]
    .reverse()
    .map((row, i) => `| ${yLabels[grid.yValues.length - 1 - i]} | ${row.map(pointEntry).join(' | ')} |`);
  const seeds = grid.rows[0]?.[0]?.seeds.length ?? 0;
  const note =
    `Steps to grok (test accuracy ≥ the config's grokThreshold), median over ${seeds} seed${seeds === 1 ? '' : 's'}` +
    `${seeds > 1 ? ' (each seed in parentheses)' : ''}; "> ${formatSteps(grid.budget)}" = not grokked within the budget; ` +
    `${grid.done}/${grid.total} runs finished.`;
  return [`**${grid.title}**`, '', header, rule, ...rows, '', note, ''].join('\n');
}
