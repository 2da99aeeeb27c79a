/**
 * Do the progress measures foretell grokking? For each stored run with progress measures in its history, when does
 * each rule first fire ("restricted loss below X", "excluded loss rising"), how many steps is that before t99 (the
 * first evaluation with test accuracy ≥ 99%), and how often does it fire in runs that never grok within their cap
 * (false alarms)?
 *
 *   npx tsx bench/progressForecast.ts [DIR …] [--group tf31-sub] [--out FILE.md]   (default DIR bench/results/tmp/progress)
 *
 * Histories are the bench's (≤ 200 evaluations, downsampled evenly with the threshold crossings kept), so a fire
 * step is known to the history's resolution: every 50 steps up to 10 000 steps, every 100 beyond.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HistoryPoint, RunResult } from './results';
import { hasProgress, readResults } from './results';
import { formatSteps, median } from './stats';

export interface Rule {
  id: string;
  label: string;
  /** The first step at which the rule fires in this history, or null. */
  fires(history: readonly HistoryPoint[]): number | null;
}

const progressOf = (point: HistoryPoint, key: string): number | undefined => point.progress?.[key];

/** Fires at the first evaluation whose restricted loss is below `threshold` (and, if set, whose key frequencies
 * hold at least `concentration` of the logits' wave energy: a confident memorizer's restricted loss falls too). */
export function restrictedBelow(threshold: number, concentration = 0): Rule {
  return {
    id: concentration > 0 ? `restricted<${threshold}&keys≥${concentration}` : `restricted<${threshold}`,
    label:
      concentration > 0
        ? `restricted < ${threshold} and keys ≥ ${concentration * 100}% of waves`
        : `restricted < ${threshold}`,
    fires(history) {
      for (const point of history) {
        const restricted = progressOf(point, 'restrictedLoss');
        const key = progressOf(point, 'keyShare');
        const waves = progressOf(point, 'waveShare');
        if (restricted === undefined || !(restricted < threshold)) continue;
        if (
          concentration > 0 &&
          !(waves !== undefined && key !== undefined && waves > 0 && key / waves >= concentration)
        )
          continue;
        return point.step;
      }
      return null;
    },
  };
}

/**
 * Fires once the excluded loss, after memorization (train accuracy ≥ 99%), has risen to `factor` × its lowest
 * value since memorization: "excluded loss rising" as Nanda et al. describe it (the memorizing solution is being
 * replaced, so removing the circuit hurts more and more).
 */
export function excludedRising(factor: number): Rule {
  return {
    id: `excluded×${factor}`,
    label: `excluded ≥ ${factor}× its post-memorization minimum`,
    fires(history) {
      let lowest = Number.POSITIVE_INFINITY;
      let memorized = false;
      for (const point of history) {
        if (point.trainAccuracy >= 0.99) memorized = true;
        const excluded = progressOf(point, 'excludedLoss');
        if (!memorized || excluded === undefined || !Number.isFinite(excluded)) continue;
        if (excluded >= factor * lowest) return point.step;
        lowest = Math.min(lowest, excluded);
      }
      return null;
    },
  };
}

/** The plain-sight baseline a progress measure must beat: test accuracy itself crossing `threshold`. */
export function testAccuracyAbove(threshold: number): Rule {
  return {
    id: `test≥${threshold}`,
    label: `test accuracy ≥ ${threshold * 100}% (baseline)`,
    fires: (history) => history.find((point) => point.testAccuracy >= threshold)?.step ?? null,
  };
}

export const DEFAULT_RULES: readonly Rule[] = [
  restrictedBelow(2),
  restrictedBelow(1),
  restrictedBelow(0.5),
  restrictedBelow(0.2),
  restrictedBelow(1.7, 0.5),
  excludedRising(1.5),
  excludedRising(3),
  testAccuracyAbove(0.1),
  testAccuracyAbove(0.5),
];

export interface RunForecast {
  id: string;
  /** The bench group, e.g. mlp31-add or mlp31-sub. */
  group: string;
  method: string;
  seed: number;
  t99: number | null;
  memorize: number | null;
  cap: number;
  stoppedBecause: string;
  /** Rule id → first step it fires (null: never within the run). */
  fired: Record<string, number | null>;
}

/** Only runs whose history carries progress measures; by group, method, seed. */
export function forecastRuns(results: readonly RunResult[], rules: readonly Rule[]): RunForecast[] {
  return results
    .filter(hasProgress)
    .sort((x, y) => x.group.localeCompare(y.group) || x.method.localeCompare(y.method) || x.seed - y.seed)
    .map((result) => ({
      id: result.id,
      group: result.group,
      method: result.method,
      seed: result.seed,
      t99: result.steps.t99,
      memorize: result.memorize,
      cap: result.cap,
      stoppedBecause: result.stoppedBecause,
      fired: Object.fromEntries(rules.map((rule) => [rule.id, rule.fires(result.history)])),
    }));
}

export interface RuleSummary {
  rule: Rule;
  grokked: number;
  /** Grokking runs in which the rule fired strictly before t99. */
  early: number;
  /** Steps from firing to t99 in those runs. */
  leads: number[];
  /** Lead ÷ t99, in those runs. */
  leadFractions: number[];
  /** Runs that never grokked within their cap (or collapsed), and how many of them the rule fired in. */
  neverGrokked: number;
  falseAlarms: number;
  /** Spearman rank correlation of fire step and t99 over the grokking runs where the rule fired (a rule that
   * tells *when* grokking comes should fire later in runs that grok later: ρ near 1). NaN under 3 runs. */
  rankCorrelation: number;
}

/** Ranks 1…n, ties sharing their mean rank. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((x, y) => x.value - y.value);
  const result = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1].value === order[i].value) j++;
    for (let k = i; k <= j; k++) result[order[k].index] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return result;
}

/** Spearman's ρ: Pearson correlation of the ranks (ties averaged). NaN for fewer than 3 pairs or a constant side. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length || x.length < 3) return Number.NaN;
  const [rx, ry] = [ranks(x), ranks(y)];
  const mean = (x.length + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) ** 2;
    syy += (ry[i] - mean) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

export function summarize(runs: readonly RunForecast[], rules: readonly Rule[]): RuleSummary[] {
  return rules.map((rule) => {
    const grokked = runs.filter((run) => run.t99 !== null);
    const early = grokked.filter((run) => {
      const step = run.fired[rule.id];
      return step !== null && step < run.t99!;
    });
    const never = runs.filter((run) => run.t99 === null);
    const firedGrokking = grokked.filter((run) => run.fired[rule.id] !== null);
    return {
      rule,
      grokked: grokked.length,
      early: early.length,
      leads: early.map((run) => run.t99! - run.fired[rule.id]!),
      leadFractions: early.map((run) => (run.t99! - run.fired[rule.id]!) / run.t99!),
      neverGrokked: never.length,
      falseAlarms: never.filter((run) => run.fired[rule.id] !== null).length,
      rankCorrelation: spearman(
        firedGrokking.map((run) => run.fired[rule.id]!),
        firedGrokking.map((run) => run.t99!),
      ),
    };
  });
}

/** "2 350 (−2 550)": the fire step and how many steps before t99 it was (− = before, + = after t99). */
export function formatFire(step: number | null, t99: number | null): string {
  if (step === null) return 'never';
  if (t99 === null) return formatSteps(step);
  const delta = step - t99;
  const sign = delta < 0 ? '−' : delta > 0 ? '+' : '±';
  return `${formatSteps(step)} (${sign}${formatSteps(Math.abs(delta))})`;
}

export function forecastMarkdown(runs: readonly RunForecast[], rules: readonly Rule[]): string {
  const lines: string[] = [];
  lines.push(
    '| run | t99 | memorized | ' + rules.map((rule) => rule.label).join(' | ') + ' |',
    '|---|---|---|' + rules.map(() => '---|').join(''),
  );
  for (const run of runs) {
    const t99 = run.t99 !== null ? formatSteps(run.t99) : `> ${formatSteps(run.cap)} (${run.stoppedBecause})`;
    lines.push(
      `| ${run.group} ${run.method} s${run.seed} | ${t99} | ${run.memorize === null ? '—' : formatSteps(run.memorize)} | ` +
        rules.map((rule) => formatFire(run.fired[rule.id], run.t99)).join(' | ') +
        ' |',
    );
  }
  lines.push(
    '',
    '| rule | fired before t99 | median lead, steps | median lead ÷ t99 | shortest lead | ρ(fire step, t99) | false alarms (never grokked) |',
    '|---|---|---|---|---|---|---|',
  );
  for (const summary of summarize(runs, rules)) {
    const med = summary.leads.length > 0 ? formatSteps(median(summary.leads)) : '—';
    const fraction =
      summary.leadFractions.length > 0 ? `${Math.round(100 * median(summary.leadFractions))}%` : '—';
    const shortest = summary.leads.length > 0 ? formatSteps(Math.min(...summary.leads)) : '—';
    lines.push(
      `| ${summary.rule.label} | ${summary.early}/${summary.grokked} | ${med} | ${fraction} | ${shortest} | ` +
        `${Number.isNaN(summary.rankCorrelation) ? '—' : summary.rankCorrelation.toFixed(2)} | ` +
        `${summary.falseAlarms}/${summary.neverGrokked} |`,
    );
  }
  return lines.join('\n') + '\n';
}

function main(): void {
  const dirs: string[] = [];
  let out: string | null = null;
  let group: string | null = null;
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') out = args[++i] ?? null;
    else if (args[i] === '--group') group = args[++i] ?? null;
    else dirs.push(args[i]);
  }
  const sources =
    dirs.length > 0 ? dirs : [fileURLToPath(new URL('./results/tmp/progress', import.meta.url))];
  // A run stored in several of the folders (a rerun with the measures beside the original) counts once.
  const byId = new Map(
    sources
      .flatMap((dir) => readResults(dir))
      .filter((result) => group === null || result.group === group)
      // Before the dedupe, so an original without measures never displaces its measured rerun.
      .filter(hasProgress)
      .map((result) => [result.id, result]),
  );
  const runs = forecastRuns([...byId.values()], DEFAULT_RULES);
  const table = forecastMarkdown(runs, DEFAULT_RULES);
  console.log(table);
  if (out) {
    const header =
      `# Progress measures as a forecast of grokking\n\nGenerated by \`npx tsx bench/progressForecast.ts ${dirs.join(' ')} ` +
      `${group ? `--group ${group} ` : ''}--out …\` from ${runs.length} bench result(s) with progress measures. Per run: the step at which each rule ` +
      'first fires and, in brackets, how many steps before (−) or after (+) t99 (first evaluation with test accuracy ' +
      '≥ 99%) that is. Restricted / excluded loss are in nats (ln 31 = 3.43 is a uniform guess); "keys ≥ 50% of ' +
      'waves": the five key frequencies hold at least half of the logits\' energy along cos/sin(w(a+b−c)). ' +
      'Summary: in how many grokking runs the rule fired before t99, the lead, and how many runs that never grokked ' +
      'within their cap (or collapsed) it fired in (false alarms); ρ: Spearman rank correlation between the step a rule ' +
      'fires and t99 over the grokking runs (near 1: it tells when grokking comes, not only that it will).\n\n';
    writeFileSync(out, header + table);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
