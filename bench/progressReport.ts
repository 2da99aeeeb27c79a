/**
 * The progress measures (Nanda et al. 2023) in the science report: per method, when the restricted loss falls and
 * how far ahead of t99 that is, per seed; a plot of restricted/excluded loss for seed 0; and the README's one line.
 * Pure: the report and the README block call these on stored results.
 */
import { excludedRising, restrictedBelow, type Rule } from './progressForecast';
import { hasProgress, type RunResult } from './results';
import { formatSteps, median } from './stats';
import { linePlot, PALETTE } from './svg';

/** The rules the report shows: the early signal (restricted < 1 nat), a late one (< 0.2), and excluded rising. */
export const REPORT_RULES = {
  restricted1: restrictedBelow(1),
  restricted02: restrictedBelow(0.2),
  excluded15: excludedRising(1.5),
} as const satisfies Record<string, Rule>;

/** One seed: where each rule fired (null: never) and t99. */
export interface SeedProgress {
  seed: number;
  t99: number | null;
  fired: Record<keyof typeof REPORT_RULES, number | null>;
}

export function seedProgress(runs: readonly RunResult[]): SeedProgress[] {
  return runs
    .filter(hasProgress)
    .sort((a, b) => a.seed - b.seed)
    .map((run) => ({
      seed: run.seed,
      t99: run.steps.t99,
      fired: {
        restricted1: REPORT_RULES.restricted1.fires(run.history),
        restricted02: REPORT_RULES.restricted02.fires(run.history),
        excluded15: REPORT_RULES.excluded15.fires(run.history),
      },
    }));
}

/** Steps from the rule firing to t99, over the seeds that grokked with the rule firing before t99. */
export function leads(seeds: readonly SeedProgress[], rule: keyof typeof REPORT_RULES): number[] {
  return seeds.flatMap((seed) => {
    const fired = seed.fired[rule];
    return seed.t99 !== null && fired !== null && fired < seed.t99 ? [seed.t99 - fired] : [];
  });
}

function firedCell(seeds: readonly SeedProgress[], rule: keyof typeof REPORT_RULES): string {
  return seeds
    .map((seed) => (seed.fired[rule] === null ? 'never' : formatSteps(seed.fired[rule]!)))
    .join(', ');
}

function leadCell(seeds: readonly SeedProgress[], rule: keyof typeof REPORT_RULES): string {
  const grokked = seeds.filter((seed) => seed.t99 !== null).length;
  const ahead = leads(seeds, rule);
  if (grokked === 0) return 'no seed grokked';
  if (ahead.length === 0) return `0/${grokked} ahead`;
  return `${formatSteps(median(ahead))} (${ahead.length}/${grokked} ahead)`;
}

/** The report's table, one row per method with measures; empty when no run of the group has any. */
export function progressTable(methods: readonly { label: string; runs: readonly RunResult[] }[]): string[] {
  const rows = methods
    .map(({ label, runs }) => ({ label, seeds: seedProgress(runs) }))
    .filter((row) => row.seeds.length > 0);
  if (rows.length === 0) return [];
  const lines = [
    '**Hidden progress** (Nanda et al. 2023; `bench/progressForecast.ts` for every rule): the step at which the restricted loss first fell below 1 nat and below 0.2 nat, and the excluded loss first rose to 1.5× its post-memorization minimum, per seed; "lead" = median steps from there to t99 over the seeds that grokked after it fired.',
    '',
    '| method | seeds | restricted < 1 at | lead to t99 | restricted < 0.2 at | lead to t99 | excluded ×1.5 at | lead to t99 |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const { label, seeds } of rows) {
    lines.push(
      `| ${label} | ${seeds.map((seed) => seed.seed).join(', ')} | ${firedCell(seeds, 'restricted1')} | ${leadCell(seeds, 'restricted1')} | ${firedCell(seeds, 'restricted02')} | ${leadCell(seeds, 'restricted02')} | ${firedCell(seeds, 'excluded15')} | ${leadCell(seeds, 'excluded15')} |`,
    );
  }
  const missing = methods
    .filter(({ runs }) => runs.length > 0 && !runs.some(hasProgress))
    .map((m) => m.label);
  if (missing.length > 0) lines.push('', `No progress measures stored for: ${missing.join(', ')}.`);
  lines.push('');
  return lines;
}

/** Restricted and excluded loss (nats) of one run against its test accuracy's t99, for the per-method plots. */
export function progressPlot(title: string, run: RunResult): string | null {
  const points = run.history.filter((point) => point.step > 0 && point.progress !== undefined);
  if (points.length === 0) return null;
  const series = (key: string) =>
    points.flatMap((point) => {
      const value = point.progress?.[key];
      return value !== undefined && Number.isFinite(value) && value > 0
        ? [[point.step, value] as [number, number]]
        : [];
    });
  return linePlot({
    title,
    xLabel: 'step (log)',
    yLabel: 'loss, nats (log)',
    xScale: 'log',
    yScale: 'log',
    xDomain: [10, run.cap],
    series: [
      {
        label: 'restricted loss',
        points: series('restrictedLoss'),
        color: PALETTE[0],
      },
      {
        label: 'excluded loss (train)',
        points: series('excludedLoss'),
        color: PALETTE[1],
      },
      {
        label: 'test loss',
        points: points.map((point) => [point.step, Math.max(point.testLoss, 1e-6)] as [number, number]),
        color: '#9a9a9a',
        dashed: true,
        width: 1,
      },
    ],
    hLines: [{ y: 1, label: '1 nat' }],
    vLines: run.steps.t99 === null ? [] : [{ x: run.steps.t99, label: 't99' }],
  });
}

/** "150" or "150–400". */
function span(values: readonly number[]): string {
  const [low, high] = [Math.min(...values), Math.max(...values)];
  return low === high ? formatSteps(low) : `${formatSteps(low)}–${formatSteps(high)}`;
}

/** The README's line for a group: how far ahead of t99 the restricted loss fell below 1 nat, over every run. */
export function progressSentence(runs: readonly RunResult[]): string | null {
  const seeds = seedProgress(runs);
  if (seeds.length === 0) return null;
  const grokked = seeds.filter((seed) => seed.t99 !== null);
  const ahead = leads(seeds, 'restricted1');
  const never = seeds.filter((seed) => seed.t99 === null);
  const alarms = never.filter((seed) => seed.fired.restricted1 !== null).length;
  const firedAt = seeds.flatMap((seed) => (seed.fired.restricted1 === null ? [] : [seed.fired.restricted1]));
  const leadText =
    ahead.length > 0
      ? `a median ${formatSteps(median(ahead))} steps (${span(ahead)}) before t99 in ${ahead.length}/${grokked.length} grokking runs`
      : `never before t99 in ${grokked.length} grokking runs`;
  return (
    `Hidden progress over ${seeds.length} run${seeds.length === 1 ? '' : 's'} with measures: the restricted loss fell below 1 nat ${leadText}` +
    (firedAt.length > 0 ? ` (at step ${span(firedAt)})` : '') +
    (never.length > 0 ? `, and in ${alarms}/${never.length} runs that did not grok within their cap.` : '.')
  );
}
