import type { SweepGrid } from './grid';

/**
 * The sweep as CSV, one row per run (cell × seed), for a spreadsheet or pandas: the two knob values, the seed and
 * the outcome; a run not finished yet has empty outcome fields. Numbers are written as JavaScript prints them.
 */
export function sweepCsv(grid: SweepGrid): string {
  const quote = (text: string): string => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const header = [
    grid.xKey,
    grid.yKey,
    'seed',
    'stepsToGrok',
    'stoppedBecause',
    'finalStep',
    'finalTestAccuracy',
  ];
  const rows = grid.rows
    .flat()
    .flatMap((point) =>
      point.seeds.map(({ seed, outcome }) =>
        [
          point.xValue,
          point.yValue,
          seed,
          outcome?.stepsToGrok ?? '',
          outcome?.stoppedBecause ?? '',
          outcome?.finalStep ?? '',
          outcome?.finalTestAccuracy ?? '',
        ].join(','),
      ),
    );
  return `${[header.map(quote).join(','), ...rows].join('\n')}\n`;
}
