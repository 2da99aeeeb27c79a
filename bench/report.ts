import { cpus } from 'node:os';
import { additionSection } from './additionReport';
import { ageSection } from './ageReport';
import { PAPER_CLAIMS, PYTORCH_FIGURES, type Claim } from './claims';
import { groupBy } from './lib/groupBy';
import { progressTable } from './progressReport';
import type { RunResult, StepCosts } from './results';
import {
  accuracyCurve,
  accuracyPlot,
  boundedRatio,
  boundedSteps,
  GROUP_TITLES,
  stepCell,
  summarize,
  type MethodSummary,
} from './runSummary';
import {
  formatRatio,
  formatSteps,
  median,
  scaleBounded,
  speedup,
  THRESHOLDS,
  type Bounded,
  type ThresholdKey,
} from './stats';
import {
  ALL_METHOD_DEFS,
  capFor,
  METHODS,
  MODES,
  SUITE_IDS,
  SUITE_TITLES,
  type Mode,
  type RunSpec,
  type SuiteId,
} from './suites';
import { DARK, GREY, PALETTE, type Series } from './svg';
import { timescaleSection } from './timescaleReport';

/** Builds REPORT.md and its SVG plots from the plan and whatever results exist (pure: the caller writes files). */

export interface Report {
  markdown: string;
  /** File name (relative to the plots directory) → SVG text. */
  plots: Record<string, string>;
}

const OPERATION_OF: Record<string, 'add' | 'sub' | 'sq'> = {
  'mlp31-add': 'add',
  'mlp31-sub': 'sub',
  'mlp31-sq': 'sq',
  'classic-p97': 'add',
  'tf31-sub': 'sub',
};

function seconds(ms: number): string {
  return ms >= 100_000 ? (ms / 1000).toFixed(0) : (ms / 1000).toFixed(1);
}

function stopText(result: RunResult): string {
  if (result.stoppedBecause === 'error') return `error: ${result.error ?? ''}`;
  return result.stoppedBecause;
}

function medianWithRange(summary: MethodSummary, key: ThresholdKey): string {
  const { min, max } = summary.range[key];
  if (summary.runs.length <= 1) return boundedSteps(summary.median[key]);
  return `${boundedSteps(summary.median[key])} [${boundedSteps(min)} – ${boundedSteps(max)}]`;
}

function methodPlot(group: string, method: MethodSummary, byMethod: Map<string, RunResult[]>): string {
  const series: Series[] = [];
  for (const [baselineKey, color] of [
    ['baseline-wd0.1', GREY],
    ['baseline-wd1', DARK],
  ] as const) {
    if (method.method === baselineKey) continue;
    for (const run of byMethod.get(baselineKey) ?? []) {
      series.push({
        label: `${baselineKey} (seeds)`,
        points: accuracyCurve(run),
        color,
        dashed: true,
        width: 1,
      });
    }
  }
  for (const run of method.runs) {
    series.push({
      label: `${method.method} seed ${run.seed}`,
      points: accuracyCurve(run),
      color: PALETTE[run.seed % 8],
    });
  }
  const cap = Math.max(...method.runs.map((r) => r.cap));
  return accuracyPlot({
    title: `${group}: ${method.label}`,
    series,
    cap,
    threshold: { y: 0.99, label: '99%' },
  });
}

function overviewPlot(title: string, runsByMethod: [string, RunResult[]][], cap: number): string {
  const series: Series[] = [];
  runsByMethod.forEach(([method, runs], i) => {
    for (const run of runs) {
      series.push({
        label: method,
        points: accuracyCurve(run),
        color: PALETTE[i % PALETTE.length],
        width: 1.2,
        dashed: method.startsWith('baseline'),
      });
    }
  });
  return accuracyPlot({
    title,
    series,
    cap,
    threshold: { y: 0.99, label: '99%' },
    size: { width: 760, height: 420 },
  });
}

/** "faster ×r" / "slower" / "no clear effect" for a lab ratio (method vs baseline, >1 = faster). */
export function verdict(lab: Bounded): string {
  switch (lab.kind) {
    case 'unknown':
      return 'undetermined (both censored or missing)';
    case 'above':
      return lab.value >= 1.2 ? `faster here (≥ ${formatRatio(lab.value)}×)` : 'undetermined (censored)';
    case 'below':
      return lab.value <= 0.83 ? `slower here (≤ ${formatRatio(lab.value)}×)` : 'undetermined (censored)';
    case 'exact':
      if (lab.value >= 1.2) return `faster here (${formatRatio(lab.value)}×)`;
      if (lab.value <= 0.83) return `slower here (${formatRatio(lab.value)}×)`;
      return `no clear effect (${formatRatio(lab.value)}×)`;
  }
}

function claimRow(
  method: string,
  claim: Claim,
  summaries: Map<string, MethodSummary>,
  weak: MethodSummary | undefined,
  tuned: MethodSummary | undefined,
): string {
  const summary = summaries.get(method);
  const key: ThresholdKey = claim.threshold === 'onset' ? 't99' : claim.threshold;
  const paperRatio =
    claim.baseline !== null && claim.method !== null ? `${formatRatio(claim.baseline / claim.method)}×` : '—';
  const thresholdText = claim.threshold === 'onset' ? 'onset (unstated; lab: t99)' : key;
  if (!summary) {
    return `| ${method} | ${claim.text} · ${claim.setup} (${claim.source}) | ${thresholdText} | ${paperRatio} | not run | — | — |`;
  }
  const lab = boundedSteps(summary.median[key]);
  const vsWeak = weak ? speedup(weak.median[key], summary.median[key]) : ({ kind: 'unknown' } as Bounded);
  const vsTuned = tuned ? speedup(tuned.median[key], summary.median[key]) : ({ kind: 'unknown' } as Bounded);
  let labText = `${weak ? boundedSteps(weak.median[key]) : '?'} → ${lab} (${boundedRatio(vsWeak)} vs wd 0.1; ${boundedRatio(vsTuned)} vs wd 1)`;
  let judgement = `${verdict(vsWeak)} vs wd 0.1; ${verdict(vsTuned)} vs wd 1`;
  const collapsedRuns = summary.runs.filter((r) => r.stoppedBecause === 'collapsed');
  if (collapsedRuns.length > 0) {
    judgement += `; **collapsed** in ${collapsedRuns.length}/${summary.runs.length} runs (train acc → ${collapsedRuns.map((r) => r.finalTrainAccuracy.toFixed(2)).join(', ')}, weight norm → ${collapsedRuns.map((r) => r.finalWeightNorm.toFixed(1)).join(', ')})`;
  }
  if (method === 'orthoGrad') {
    const gap = (runs: RunResult[]): string => {
      const gaps = runs
        .filter((r) => r.memorize !== null && r.steps.t99 !== null)
        .map((r) => (r.steps.t99 ?? 0) - (r.memorize ?? 0));
      return gaps.length
        ? `${formatSteps(median(gaps))} (${gaps.length}/${runs.length} grokked)`
        : 'none grokked';
    };
    labText = `memorize → t99 gap: ${gap(summary.runs)}; wd 0.1 baseline ${weak ? gap(weak.runs) : '?'}`;
    judgement = `see gap; t99 ${lab} (${boundedRatio(vsWeak)} vs wd 0.1)`;
  }
  if (method === 'stableMax') {
    const noWd = summaries.get('stableMax-wd0');
    labText = noWd
      ? `no weight decay: t99 ${boundedSteps(noWd.median.t99)} (${noWd.runs.length} seeds; ${noWd.runs.filter((r) => r.steps.t99 !== null).length} grokked). With wd 0.1: ${lab}`
      : `with wd 0.1: ${lab}; the no-wd variant not run`;
    judgement = noWd
      ? noWd.runs.some((r) => r.steps.t99 !== null)
        ? 'groks without weight decay here (see seeds)'
        : 'did not grok without weight decay within the cap'
      : 'not tested';
  }
  return `| ${method} | ${claim.text} · ${claim.setup} (${claim.source}) | ${thresholdText} | ${paperRatio} | ${labText} | ${judgement} |`;
}

export interface SuiteStatus {
  suite: SuiteId;
  planned: number;
  done: number;
  state: 'complete' | 'partial' | 'not run';
}

export function suiteStatus(plan: readonly RunSpec[], results: readonly RunResult[]): SuiteStatus[] {
  const doneIds = new Set(results.map((r) => r.id));
  return SUITE_IDS.map((suite) => {
    const planned = plan.filter((r) => r.suite === suite);
    const done = planned.filter((r) => doneIds.has(r.id)).length;
    const state = done === 0 ? 'not run' : done === planned.length ? 'complete' : 'partial';
    return { suite, planned: planned.length, done, state };
  });
}

/** Only results that belong to the plan with the planned hash (stale or foreign files are ignored). */
export function matchingResults(plan: readonly RunSpec[], results: readonly RunResult[]): RunResult[] {
  const hashes = new Map(plan.map((r) => [r.id, r.hash]));
  return results.filter((r) => hashes.get(r.id) === r.hash && r.stoppedBecause !== 'error');
}

function methodOrder(method: string): number {
  const index = ALL_METHOD_DEFS.findIndex((m) => m.key === method);
  return index < 0 ? 1000 : index;
}

function methodsSection(
  group: string,
  runs: RunResult[],
  planned: RunSpec[],
  plots: Record<string, string>,
  stepCosts: StepCosts | null,
): string[] {
  const lines: string[] = [];
  const byMethod = groupBy(runs, (r) => r.method);
  const ordered = [...byMethod.keys()].sort((a, b) => methodOrder(a) - methodOrder(b));
  const summaries = new Map(ordered.map((m) => [m, summarize(m, byMethod.get(m)!)]));
  const weak = summaries.get('baseline-wd0.1');
  const tuned = summaries.get('baseline-wd1');
  const plannedMethods = [...new Set(planned.map((r) => r.method))];
  const cap = Math.max(0, ...planned.map((r) => r.cap));
  const suite = planned[0]?.suite ?? 'methods';
  const lowerCaps = ALL_METHOD_DEFS.filter(
    (m) => plannedMethods.includes(m.key) && capFor(m, cap, suite) < cap,
  ).map(
    (m) => ` ${m.label} is capped at ${formatSteps(capFor(m, cap, suite))} steps: ${m.maxCap?.reason ?? ''}.`,
  );
  lines.push(`### ${group}: ${GROUP_TITLES[group] ?? group}`, '');
  lines.push(
    `Step cap ${formatSteps(cap)}, evaluation every ${planned[0]?.evalEvery ?? '?'} steps; ${runs.length}/${planned.length} planned runs present.` +
      (group.startsWith('mlp') || group.startsWith('tf31')
        ? ' Every method is stacked on the weak-wd base (AdamW wd 0.1) unless its name says otherwise; "wd 1" is the tuned baseline.'
        : ' Every method is stacked on the classic base (AdamW wd 1).') +
      lowerCaps.join(''),
    '',
  );
  const missing = plannedMethods.filter((m) => !byMethod.has(m));
  if (missing.length) lines.push(`Not run yet: ${missing.join(', ')}.`, '');
  // Summary table.
  lines.push(
    `| method | seeds | t90 median [min – max] | t95 median [min – max] | t99 median [min – max] | memorized at (median) | ${stepCosts ? 'CPU ms/step (back to back)' : 'ms/step (in the sweep)'} | t99 speed-up vs wd 0.1: steps / time | vs wd 1: steps / time |`,
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const method of ordered) {
    const s = summaries.get(method)!;
    const memorized = s.runs.map((r) => r.memorize).filter((m): m is number => m !== null);
    const cost = (key: string): number | undefined => stepCosts?.cpuMsPerStep[key];
    const speed = (base: MethodSummary | undefined): string => {
      if (!base || base === s) return '—';
      const inSteps = speedup(base.median.t99, s.median.t99);
      const [baseCost, methodCost] = [cost(base.method), cost(s.method)];
      // Time = steps × the back-to-back step cost when measured; otherwise the sweep's own (noisy) wall time.
      const inTime =
        baseCost && methodCost
          ? scaleBounded(inSteps, baseCost / methodCost)
          : speedup(base.wall.t99, s.wall.t99);
      return `${boundedRatio(inSteps)} / ${boundedRatio(inTime)}`;
    };
    lines.push(
      `| ${s.label} | ${s.runs.map((r) => r.seed).join(', ')} | ${medianWithRange(s, 't90')} | ${medianWithRange(s, 't95')} | ${medianWithRange(s, 't99')} | ${memorized.length ? formatSteps(median(memorized)) : 'never'} | ${(cost(method) ?? median(s.runs.map((r) => r.msPerStep))).toFixed(1)} | ${speed(weak)} | ${speed(tuned)} |`,
    );
  }
  lines.push(
    '',
    stepCosts
      ? `Time speed-ups = steps speed-up × (baseline step cost ÷ method step cost), with CPU ms per step measured back to back for every method in one process (\`npm run bench:stepcost\`, ${stepCosts.measuredAt}, ${stepCosts.rounds} rounds of ${stepCosts.steps} steps after step 500 on ${stepCosts.group}, load ${stepCosts.load.join(' → ')}); the sweep's own wall times (per run, below) were taken hours apart under varying load.`
      : 'Time speed-ups use the sweep’s own training wall time (noisy on a shared machine); run `npm run bench:stepcost` for back-to-back step costs.',
    '',
  );
  lines.push(...progressTable(ordered.map((method) => ({ runs: byMethod.get(method)! }))));
  // Paper vs lab.
  const operation = OPERATION_OF[group];
  const claimRows = [...new Set([...ordered, ...plannedMethods])]
    .sort((a, b) => methodOrder(a) - methodOrder(b))
    .map((method) => ({ method, claim: PAPER_CLAIMS[method]?.[operation] }))
    .filter((row): row is { method: string; claim: Claim } => row.claim !== undefined);
  if (claimRows.length > 0) {
    lines.push(
      '**Paper vs lab, at the paper’s threshold.** Setups differ (see the setup column): the ratio is what to compare.',
      '',
      '| method | paper claim · setup | threshold | paper ratio | lab: baseline → method (ratios) | verdict here |',
      '|---|---|---|---|---|---|',
    );
    for (const { method, claim } of claimRows) lines.push(claimRow(method, claim, summaries, weak, tuned));
    lines.push('');
  }
  const pytorch = group.startsWith('mlp') ? ordered.filter((m) => PYTORCH_FIGURES[m]?.[operation]) : [];
  if (pytorch.length > 0) {
    lines.push(
      '**Beside DESIGN §4b’s PyTorch measurements of the same MLP regime** (steps to 99%, seeds 0–2):',
      '',
      '| method | PyTorch (DESIGN §4b) | lab t99 per seed |',
      '|---|---|---|',
    );
    for (const method of pytorch) {
      const s = summaries.get(method)!;
      lines.push(
        `| ${s.label} | ${PYTORCH_FIGURES[method]![operation]} | ${s.runs.map((r) => stepCell(r, 't99')).join(', ')} |`,
      );
    }
    lines.push('');
  }
  const noDecay = summaries.get('baseline-wd0');
  const grokfastNoDecay = summaries.get('grokfast-wd0');
  if (noDecay && grokfastNoDecay) lines.push(...grokfastRegimeSection(noDecay, grokfastNoDecay));
  const neuralGrok = byMethod.get('neuralGrok');
  if (neuralGrok) lines.push(...ageSection(neuralGrok));
  // All runs.
  lines.push(
    '<details><summary>All runs</summary>',
    '',
    '| method | seed | t90 | t95 | t99 | memorized | stopped | final train / test acc | ms/step | training s | wall s | load avg |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const method of ordered) {
    for (const r of summaries.get(method)!.runs) {
      lines.push(
        `| ${r.method} | ${r.seed} | ${stepCell(r, 't90')} | ${stepCell(r, 't95')} | ${stepCell(r, 't99')} | ${r.memorize === null ? 'never' : formatSteps(r.memorize)} | ${stopText(r)} at ${formatSteps(r.finalStep)} | ${r.finalTrainAccuracy.toFixed(3)} / ${r.finalTestAccuracy.toFixed(3)} | ${r.msPerStep.toFixed(1)} | ${seconds(r.trainingMs)} | ${seconds(r.wallMs)} | ${r.loadAverage.join(' → ')} |`,
      );
    }
  }
  lines.push('', '</details>', '');
  // Plots.
  const overviewName = `${group}--overview.svg`;
  plots[overviewName] = overviewPlot(
    `${group}: test accuracy, all methods and seeds`,
    ordered.map((m) => [m, byMethod.get(m)!]),
    cap,
  );
  lines.push(`![${group} overview](plots/${overviewName})`, '');
  const images: string[] = [];
  for (const method of ordered) {
    const name = `${group}--${method}.svg`;
    plots[name] = methodPlot(group, summaries.get(method)!, byMethod);
    images.push(`<img src="plots/${name}" width="420" alt="${group} ${method}">`);
  }
  lines.push(
    '<details><summary>Per-method plots (grey dashed: wd 0.1 baseline seeds; dark dashed: wd 1 baseline seeds), </summary>',
    '',
    ...images,
    '',
    '</details>',
    '',
  );
  return lines;
}

/** Grokfast against the plain run of its own regime (no weight decay), threshold by threshold, per seed. */
function grokfastRegimeSection(plain: MethodSummary, grokfast: MethodSummary): string[] {
  const perSeed = (summary: MethodSummary): string =>
    summary.runs
      .map(
        (r) =>
          `seed ${r.seed}: t90 ${stepCell(r, 't90')}, t99 ${stepCell(r, 't99')}, test ${r.finalTestAccuracy.toFixed(2)} at ${formatSteps(r.finalStep)}`,
      )
      .join('; ');
  return [
    `**Grokfast in its paper’s regime (no weight decay)**, against AdamW without weight decay: t90 speed-up ${boundedRatio(speedup(plain.median.t90, grokfast.median.t90))}, t99 ${boundedRatio(speedup(plain.median.t99, grokfast.median.t99))}. Plain — ${perSeed(plain)}. Grokfast — ${perSeed(grokfast)}.`,
    '',
  ];
}

export function buildReport(
  mode: Mode,
  plan: readonly RunSpec[],
  allResults: readonly RunResult[],
  meta: { generatedAt: string; command: string },
  stepCosts: StepCosts | null = null,
): Report {
  const results = matchingResults(plan, allResults);
  const plots: Record<string, string> = {};
  const status = suiteStatus(plan, results);
  const settings = MODES[mode];
  const backends = [...new Set(results.map((r) => r.backend))].join(', ') || 'n/a';
  const neuralGrok = METHODS.find((m) => m.key === 'neuralGrok')!;
  const lines: string[] = [
    `# Grok Lab science bench — ${mode} mode`,
    '',
    `Generated ${meta.generatedAt} by \`${meta.command}\` from ${results.length} result file(s) (${allResults.length - results.length} stale/failed ignored). Engine: tfjs ${backends} backend in Node, one thread per worker; machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}.`,
    '',
    '**How to read.** t90/t95/t99 = first evaluated step with test accuracy ≥ 90/95/99% (papers differ: the weight-norm paper uses 90%, Grokfast and NeuralGrok 95%, Power et al. 99%). A run that never reaches a threshold within its step cap is shown as "> cap" and enters medians as right-censored (larger than every observed value); a median that lands on a censored run is a lower bound ("> x"), and a speed-up involving one is a bound ("> x×" / "< x×"). Time speed-ups are steps speed-ups × the ratio of back-to-back step costs when `npm run bench:stepcost` has measured them (each table says which); otherwise they use each run’s training wall time (evaluations excluded), which is noisy on this shared machine — the load average at start → end is listed per run.',
    '',
    '## Status',
    '',
    '| suite | runs present / planned | state |',
    '|---|---|---|',
    ...status.map((s) => `| ${SUITE_TITLES[s.suite]} | ${s.done} / ${s.planned} | ${s.state} |`),
    '',
    `Mode settings: seeds ${settings.seeds.join(', ')}; step caps: methods ${formatSteps(settings.methods.cap)}, operations ${formatSteps(settings.operations.cap)} (NeuralGrok ${formatSteps(
      capFor(neuralGrok, settings.operations.cap, 'operations'),
    )} there), timescale ${formatSteps(settings.timescale.cap)}, addition ${formatSteps(settings.addition.cap)}, classic transformer ${formatSteps(settings.classic.cap)}, fast transformer ${formatSteps(settings.transformer.cap)} (evaluation every ${settings.transformer.evalEvery} steps). The classic transformer's step costs ≈ 280 ms on an idle core here (bench:throughput), so one 10 000-step run takes ≈ 47 min and the suite's ${settings.classic.methods.length * settings.classic.seeds.length} runs ≈ 21 core-hours: it runs last, and is meant for \`--shard i/n\` on other machines.`,
    '',
  ];
  for (const suite of SUITE_IDS) {
    const planned = plan.filter((r) => r.suite === suite);
    const done = results.filter((r) => r.suite === suite);
    const state = status.find((s) => s.suite === suite)!;
    lines.push(`## ${SUITE_TITLES[suite]}`, '');
    if (planned.length === 0) {
      lines.push('Not part of this invocation’s plan.', '');
      continue;
    }
    if (done.length === 0) {
      lines.push(`**Not run** (${planned.length} runs planned).`, '');
      continue;
    }
    if (state.state === 'partial') {
      lines.push(
        `**Partial:** ${state.done} of ${state.planned} planned runs present; medians use what exists.`,
        '',
      );
    }
    const groups = [...new Set(planned.map((r) => r.group))];
    for (const group of groups) {
      const groupRuns = done.filter((r) => r.group === group);
      const groupPlan = planned.filter((r) => r.group === group);
      if (groupRuns.length === 0) {
        lines.push(`### ${group}: ${GROUP_TITLES[group] ?? group}`, '', '**Not run.**', '');
        continue;
      }
      if (suite === 'timescale') lines.push(...timescaleSection(groupRuns, groupPlan, plots));
      else if (suite === 'addition') lines.push(...additionSection(groupRuns, groupPlan, plots));
      // The back-to-back step costs were measured on the MLP: they do not stand for the transformer's steps.
      else
        lines.push(
          ...methodsSection(group, groupRuns, groupPlan, plots, group.startsWith('mlp') ? stepCosts : null),
        );
    }
  }
  lines.push(
    '## Thresholds used by the papers',
    '',
    ...Object.entries(THRESHOLDS).map(([key, value]) => `- ${key}: test accuracy ≥ ${value * 100}%`),
    '',
  );
  return { markdown: lines.join('\n'), plots };
}
