import { cpus } from 'node:os';
import { ADDITION_CLAIM, PAPER_CLAIMS, PYTORCH_FIGURES, TIMESCALE_CLAIM, type Claim } from './claims';
import type { RunResult, StepCosts } from './results';
import {
  censoredMedian,
  censoredRange,
  formatBounded,
  formatRatio,
  formatSteps,
  logLinearFit,
  median,
  scaleBounded,
  speedup,
  THRESHOLD_KEYS,
  THRESHOLDS,
  type Bounded,
  type LinearFit,
  type Outcome,
  type ThresholdKey,
} from './stats';
import { progressTable } from './progressReport';
import { linePlot, PALETTE, type Series } from './svg';
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

const GROUP_TITLES: Record<string, string> = {
  'mlp31-add': '(a+b) mod 31, MLP 2×64 → 256 ReLU, 70% train, full-batch AdamW lr 3e-3',
  'mlp31-sub': '(a−b) mod 31, same MLP',
  'mlp31-sq': '(a²+b²) mod 31, same MLP',
  'classic-p97': '(a+b) mod 97, 1-layer transformer d 128, 4 heads, d_mlp 512, 30% train, AdamW lr 1e-3 wd 1',
  'mlp31-wd1': '(a+b) mod 31, MLP 2×64 → 256 ReLU, 70% train, full-batch AdamW lr 1e-3 wd 1',
  'tf31-sub':
    '(a−b) mod 31, 1-layer transformer d 64, 4 heads, d_mlp 256, 70% train, full-batch AdamW lr 0.01 (the Fast transformer preset’s model and task)',
  'add2-tf2': '2-digit addition, 3 000 problems (50% train), 2-layer transformer d 64 + LayerNorm, batch 64',
};

export function outcome(result: RunResult, key: ThresholdKey): Outcome {
  return { step: result.steps[key], cap: result.cap };
}

/** Training wall time to reach the threshold; censored runs: their ms/step × cap (a lower bound). */
export function wallOutcome(result: RunResult, key: ThresholdKey): Outcome {
  const at = result.trainingMsAt[key];
  return { step: at, cap: Math.max(result.trainingMs, result.msPerStep * result.cap) };
}

function steps(value: Bounded): string {
  return formatBounded(value, formatSteps);
}

function ratio(value: Bounded): string {
  return formatBounded(value, formatRatio, '×');
}

function seconds(ms: number): string {
  return ms >= 100_000 ? (ms / 1000).toFixed(0) : (ms / 1000).toFixed(1);
}

function cell(result: RunResult, key: ThresholdKey): string {
  const step = result.steps[key];
  return step === null ? `> ${formatSteps(result.cap)}` : formatSteps(step);
}

function stopText(result: RunResult): string {
  if (result.stoppedBecause === 'error') return `error: ${result.error ?? ''}`;
  return result.stoppedBecause;
}

interface MethodSummary {
  method: string;
  label: string;
  runs: RunResult[];
  median: Record<ThresholdKey, Bounded>;
  range: Record<ThresholdKey, { min: Bounded; max: Bounded }>;
  wall: Record<ThresholdKey, Bounded>;
}

export function summarize(method: string, runs: RunResult[]): MethodSummary {
  const medianValues = {} as Record<ThresholdKey, Bounded>;
  const ranges = {} as Record<ThresholdKey, { min: Bounded; max: Bounded }>;
  const wall = {} as Record<ThresholdKey, Bounded>;
  for (const key of THRESHOLD_KEYS) {
    medianValues[key] = censoredMedian(runs.map((r) => outcome(r, key)));
    ranges[key] = censoredRange(runs.map((r) => outcome(r, key)));
    wall[key] = censoredMedian(runs.map((r) => wallOutcome(r, key)));
  }
  return {
    method,
    label: runs[0]?.label ?? method,
    runs,
    median: medianValues,
    range: ranges,
    wall,
  };
}

function medianWithRange(summary: MethodSummary, key: ThresholdKey): string {
  const { min, max } = summary.range[key];
  if (summary.runs.length <= 1) return steps(summary.median[key]);
  return `${steps(summary.median[key])} [${steps(min)} – ${steps(max)}]`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

function curve(result: RunResult): [number, number][] {
  return result.history.filter((p) => p.step > 0).map((p) => [p.step, p.testAccuracy] as [number, number]);
}

const GREY = '#9a9a9a';
const DARK = '#333333';

function methodPlot(group: string, method: MethodSummary, byMethod: Map<string, RunResult[]>): string {
  const series: Series[] = [];
  for (const [baselineKey, color] of [
    ['baseline-wd0.1', GREY],
    ['baseline-wd1', DARK],
  ] as const) {
    if (method.method === baselineKey) continue;
    for (const run of byMethod.get(baselineKey) ?? []) {
      series.push({ label: `${baselineKey} (seeds)`, points: curve(run), color, dashed: true, width: 1 });
    }
  }
  for (const run of method.runs) {
    series.push({
      label: `${method.method} seed ${run.seed}`,
      points: curve(run),
      color: PALETTE[run.seed % 8],
    });
  }
  const cap = Math.max(...method.runs.map((r) => r.cap));
  return linePlot({
    title: `${group}: ${method.label}`,
    xLabel: 'step (log)',
    yLabel: 'test accuracy',
    series,
    xScale: 'log',
    xDomain: [10, cap],
    yDomain: [0, 1],
    hLines: [{ y: 0.99, label: '99%' }],
  });
}

function overviewPlot(title: string, runsByMethod: [string, RunResult[]][], cap: number): string {
  const series: Series[] = [];
  runsByMethod.forEach(([method, runs], i) => {
    for (const run of runs) {
      series.push({
        label: method,
        points: curve(run),
        color: PALETTE[i % PALETTE.length],
        width: 1.2,
        dashed: method.startsWith('baseline'),
      });
    }
  });
  return linePlot({
    title,
    xLabel: 'step (log)',
    yLabel: 'test accuracy',
    series,
    xScale: 'log',
    xDomain: [10, cap],
    yDomain: [0, 1],
    width: 760,
    height: 420,
    hLines: [{ y: 0.99, label: '99%' }],
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
  const lab = steps(summary.median[key]);
  const vsWeak = weak ? speedup(weak.median[key], summary.median[key]) : ({ kind: 'unknown' } as Bounded);
  const vsTuned = tuned ? speedup(tuned.median[key], summary.median[key]) : ({ kind: 'unknown' } as Bounded);
  let labText = `${weak ? steps(weak.median[key]) : '?'} → ${lab} (${ratio(vsWeak)} vs wd 0.1; ${ratio(vsTuned)} vs wd 1)`;
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
    judgement = `see gap; t99 ${lab} (${ratio(vsWeak)} vs wd 0.1)`;
  }
  if (method === 'stableMax') {
    const noWd = summaries.get('stableMax-wd0');
    labText = noWd
      ? `no weight decay: t99 ${steps(noWd.median.t99)} (${noWd.runs.length} seeds; ${noWd.runs.filter((r) => r.steps.t99 !== null).length} grokked). With wd 0.1: ${lab}`
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
      return `${ratio(inSteps)} / ${ratio(inTime)}`;
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
        `| ${s.label} | ${PYTORCH_FIGURES[method]![operation]} | ${s.runs.map((r) => cell(r, 't99')).join(', ')} |`,
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
        `| ${r.method} | ${r.seed} | ${cell(r, 't90')} | ${cell(r, 't95')} | ${cell(r, 't99')} | ${r.memorize === null ? 'never' : formatSteps(r.memorize)} | ${stopText(r)} at ${formatSteps(r.finalStep)} | ${r.finalTrainAccuracy.toFixed(3)} / ${r.finalTestAccuracy.toFixed(3)} | ${r.msPerStep.toFixed(1)} | ${seconds(r.trainingMs)} | ${seconds(r.wallMs)} | ${r.loadAverage.join(' → ')} |`,
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
          `seed ${r.seed}: t90 ${cell(r, 't90')}, t99 ${cell(r, 't99')}, test ${r.finalTestAccuracy.toFixed(2)} at ${formatSteps(r.finalStep)}`,
      )
      .join('; ');
  return [
    `**Grokfast in its paper’s regime (no weight decay)**, against AdamW without weight decay: t90 speed-up ${ratio(speedup(plain.median.t90, grokfast.median.t90))}, t99 ${ratio(speedup(plain.median.t99, grokfast.median.t99))}. Plain — ${perSeed(plain)}. Grokfast — ${perSeed(grokfast)}.`,
    '',
  ];
}

/** One run's absolute gradient entropy (AGE, nats) at the landmarks the NeuralGrok paper's claim is about. */
export interface AgeLandmarks {
  seed: number;
  /** First evaluation after step 0. */
  early: { step: number; age: number };
  peak: { step: number; age: number };
  /** At t90 when reached, else the last evaluation. */
  late: { step: number; age: number; reachedT90: boolean };
  final: { step: number; age: number };
}

/** AGE landmarks of a run, or null when its history has no AGE (results from before it was recorded). */
export function ageLandmarks(run: RunResult): AgeLandmarks | null {
  const points = run.history.filter(
    (p): p is typeof p & { gradientEntropy: number } =>
      p.step > 0 && typeof p.gradientEntropy === 'number' && Number.isFinite(p.gradientEntropy),
  );
  if (points.length === 0) return null;
  const at = (p: (typeof points)[number]): { step: number; age: number } => ({
    step: p.step,
    age: p.gradientEntropy,
  });
  const peak = points.reduce((best, p) => (p.gradientEntropy > best.gradientEntropy ? p : best));
  const t90 = run.steps.t90;
  const late = (t90 !== null ? points.find((p) => p.step >= t90) : undefined) ?? points.at(-1)!;
  return {
    seed: run.seed,
    early: at(points[0]!),
    peak: at(peak),
    late: { ...at(late), reachedT90: t90 !== null },
    final: at(points.at(-1)!),
  };
}

/** The NeuralGrok paper's AGE claim (it rises while memorizing, falls while generalizing) against the runs. */
function ageSection(runs: readonly RunResult[]): string[] {
  const rows = runs
    .map((r) => ({ run: r, age: ageLandmarks(r) }))
    .filter((row): row is { run: RunResult; age: AgeLandmarks } => row.age !== null);
  if (rows.length === 0) return [];
  const fmt = (x: { step: number; age: number }): string => `${x.age.toFixed(3)} @ ${formatSteps(x.step)}`;
  return [
    '**NeuralGrok’s absolute gradient entropy (AGE, nats) against the paper’s claim** (arXiv 2504.17243: AGE rises while the model memorizes and falls as it generalizes). AGE is −Σ pᵢ ln pᵢ with pᵢ = |gᵢ| / Σ|g| over the model’s training gradient, recorded at every evaluation; “late” is t90 when reached, else the last evaluation.',
    '',
    '| seed | early | peak | late (t90 or last) | final | test acc at end | falls after its peak? |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      ({ run, age }) =>
        `| ${age.seed} | ${fmt(age.early)} | ${fmt(age.peak)} | ${fmt(age.late)}${age.late.reachedT90 ? ' (t90)' : ''} | ${fmt(age.final)} | ${run.finalTestAccuracy.toFixed(3)} | ${age.final.age < age.peak.age ? `yes, by ${(age.peak.age - age.final.age).toFixed(3)}` : 'no'} |`,
    ),
    '',
  ];
}

export interface TimescaleFit {
  fit: LinearFit | null;
  /** Points used (ρ, steps) and runs left out (censored). */
  points: [number, number][];
  censored: number;
}

export function timescaleFit(runs: readonly RunResult[], key: ThresholdKey = 't90'): TimescaleFit {
  const clamped = runs.filter((r) => r.params.rho !== undefined);
  const points = clamped
    .filter((r) => r.steps[key] !== null && (r.steps[key] ?? 0) > 0)
    .map((r) => [r.params.rho, r.steps[key]!] as [number, number]);
  const distinct = new Set(points.map((p) => p[0]));
  // A line through two ρ values always fits perfectly (R² = 1): at least three distinct ρ before reporting one.
  const fit =
    distinct.size >= 3
      ? logLinearFit(
          points.map((p) => p[0]),
          points.map((p) => p[1]),
        )
      : null;
  return { fit, points, censored: clamped.length - points.length };
}

function timescaleSection(runs: RunResult[], planned: RunSpec[], plots: Record<string, string>): string[] {
  const lines: string[] = [];
  const group = 'mlp31-wd1';
  lines.push(`### ${group}: ${GROUP_TITLES[group]}`, '');
  lines.push(
    `What differs from the paper (arXiv 2606.13753: (a+b) mod 59, MLP 128/256 GELU, 40% train, AdamW wd 1): p 31 at 70% train, embeddings 64, ReLU (GELU costs ≈ 3× per step in tfjs-wasm), lr 1e-3. The clamp rescales the weight matrices and embeddings (not biases) jointly after every step from step 500 (the paper's t_int) to ρ × their norm at step 500 — the paper uses ρ × the norm a free run settles to. The free run's norm at step 500 and at its end are given below, so ρ can be converted. Step cap ${formatSteps(planned[0]?.cap ?? 0)}; ${runs.length}/${planned.length} planned runs present.`,
    '',
  );
  const free = runs.filter((r) => r.method === 'free');
  if (free.length) {
    const normAt = (r: RunResult, step: number): number | undefined =>
      r.history.find((p) => p.step >= step)?.weightNorm;
    lines.push(
      `Free (unclamped) runs: weight norm (all parameters) at init / step 500 / end: ${free
        .map(
          (r) =>
            `seed ${r.seed}: ${r.history[0]?.weightNorm.toFixed(1)} / ${normAt(r, 500)?.toFixed(1) ?? '?'} / ${r.finalWeightNorm.toFixed(1)} (step ${formatSteps(r.finalStep)})`,
        )
        .join('; ')}. t90 ${free.map((r) => cell(r, 't90')).join(', ')}.`,
      '',
    );
  }
  const byRho = groupBy(
    runs.filter((r) => r.params.rho !== undefined),
    (r) => r.params.rho.toFixed(2),
  );
  const rhos = [...byRho.keys()].sort((a, b) => Number(a) - Number(b));
  lines.push(
    '| ρ (× norm at step 500) | seeds | t90 per seed | t90 median | t95 median | t99 median | clamp target (weight norm) |',
    '|---|---|---|---|---|---|---|',
  );
  for (const rho of rhos) {
    const group = byRho.get(rho)!;
    const s = summarize(rho, group);
    const targets = group
      .map(
        (r) =>
          r.history.find((p) => p.scalars['normClamp.target'] !== undefined)?.scalars['normClamp.target'],
      )
      .filter((t): t is number => t !== undefined);
    lines.push(
      `| ${rho} | ${group.map((r) => r.seed).join(', ')} | ${group.map((r) => cell(r, 't90')).join(', ')} | ${steps(s.median.t90)} | ${steps(s.median.t95)} | ${steps(s.median.t99)} | ${targets.map((t) => t.toFixed(1)).join(', ')} |`,
    );
  }
  lines.push('');
  const fits = THRESHOLD_KEYS.map((key) => ({ key, result: timescaleFit(runs, key) }));
  lines.push(
    '**Fit ln(steps) = a + α·ρ by least squares over every grokked run** (censored runs left out and counted):',
    '',
    '| threshold | α (lab) | R² (lab) | runs fitted / censored | paper α (R²) | DESIGN PyTorch α (R²) |',
    '|---|---|---|---|---|---|',
  );
  for (const { key, result } of fits) {
    const paper =
      key === 't90' ? `${TIMESCALE_CLAIM.paper.alpha} (${TIMESCALE_CLAIM.paper.r2})` : '— (t90 only)';
    const pytorch =
      key === 't90' ? `${TIMESCALE_CLAIM.pytorch.alpha} (${TIMESCALE_CLAIM.pytorch.r2})` : '— (t90 only)';
    lines.push(
      `| ${key} | ${result.fit ? result.fit.slope.toFixed(2) : 'n/a'} | ${result.fit ? result.fit.r2.toFixed(3) : 'n/a'} | ${result.points.length} / ${result.censored} | ${paper} | ${pytorch} |`,
    );
  }
  lines.push(
    '',
    `Paper: ${TIMESCALE_CLAIM.paper.text} (α ≈ ${TIMESCALE_CLAIM.paper.alpha}; ${TIMESCALE_CLAIM.refit.text}: ${TIMESCALE_CLAIM.refit.alpha}). ${TIMESCALE_CLAIM.pytorch.text}.`,
    '',
  );
  const t90 = fits[0].result;
  if (t90.fit) {
    const medians = rhos.map((rho) => ({
      rho: Number(rho),
      median: summarize(rho, byRho.get(rho)!).median.t90,
    }));
    const exact = medians.filter((m) => m.median.kind === 'exact').map((m) => m.median as { value: number });
    const monotone = exact.every((m, i) => i === 0 || m.value >= exact[i - 1].value);
    lines.push(
      `Reading: α = ${t90.fit.slope.toFixed(2)} per unit ρ (R² ${t90.fit.r2.toFixed(2)}) against the paper's ${TIMESCALE_CLAIM.paper.alpha}; the medians ${monotone ? 'rise monotonically with ρ' : 'are not monotone in ρ (not a clean exponential)'}.` +
        (t90.censored
          ? ` ${t90.censored} run(s) did not reach 90% within the cap and are not in the fit (which therefore understates α if they sit at large ρ).`
          : ''),
      '',
    );
  }
  // Plots: curves per ρ, and ln steps vs ρ with the fit.
  const series: Series[] = [];
  rhos.forEach((rho, i) => {
    for (const r of byRho.get(rho)!)
      series.push({ label: `ρ ${rho}`, points: curve(r), color: PALETTE[i], width: 1.2 });
  });
  for (const r of free) series.push({ label: 'free', points: curve(r), color: DARK, dashed: true, width: 1 });
  const cap = planned[0]?.cap ?? 10_000;
  plots['timescale--curves.svg'] = linePlot({
    title: 'Test accuracy vs step, per clamped norm ρ (all seeds)',
    xLabel: 'step (log)',
    yLabel: 'test accuracy',
    series,
    xScale: 'log',
    xDomain: [10, cap],
    yDomain: [0, 1],
    hLines: [{ y: 0.9, label: '90%' }],
  });
  const fitSeries: Series[] = [
    { label: 'runs (t90)', points: t90.points, line: false, markers: true, color: PALETTE[0] },
  ];
  if (t90.fit) {
    const xs = t90.points.map((p) => p[0]);
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    const { slope, intercept } = t90.fit;
    fitSeries.push({
      label: `fit α ${slope.toFixed(2)}`,
      points: [
        [lo, Math.exp(intercept + slope * lo)],
        [hi, Math.exp(intercept + slope * hi)],
      ],
      color: PALETTE[1],
    });
    const paperAnchor = Math.exp(intercept + slope * lo);
    fitSeries.push({
      label: `paper slope ${TIMESCALE_CLAIM.paper.alpha}`,
      points: [
        [lo, paperAnchor],
        [hi, paperAnchor * Math.exp(TIMESCALE_CLAIM.paper.alpha * (hi - lo))],
      ],
      color: GREY,
      dashed: true,
    });
  }
  plots['timescale--fit.svg'] = linePlot({
    title: 'Steps to 90% test accuracy vs ρ (log y)',
    xLabel: 'ρ (× weight norm at step 500)',
    yLabel: 'steps to 90%',
    series: fitSeries,
    yScale: 'log',
  });
  lines.push(
    '![timescale curves](plots/timescale--curves.svg)',
    '',
    '![timescale fit](plots/timescale--fit.svg)',
    '',
  );
  return lines;
}

function additionSection(runs: RunResult[], planned: RunSpec[], plots: Record<string, string>): string[] {
  const lines: string[] = [];
  const group = 'add2-tf2';
  lines.push(`### ${group}: ${GROUP_TITLES[group]}`, '');
  lines.push(
    `Paper: ${ADDITION_CLAIM.text}. Here, scaled to CPU: 2-digit operands (3 answer digits, teacher-forced; test accuracy is exact match of all answer digits on held-out sums), AdamW lr 1e-3 wd 1e-3, batch 64 instead of 256, a 2-layer d 64 transformer instead of a 10M nanoGPT. Step cap ${formatSteps(planned[0]?.cap ?? 0)}; ${runs.length}/${planned.length} planned runs present.`,
    '',
  );
  const byMethod = groupBy(runs, (r) => r.method);
  const base = byMethod.get('baseline');
  const radial = byMethod.get('radial');
  lines.push(
    '| variant | seeds | t90 per seed | t95 per seed | t99 (exact match ≥ 99%) per seed | t99 median | final test acc | ms/step |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const [method, group] of byMethod) {
    const s = summarize(method, group);
    lines.push(
      `| ${s.label} | ${group.map((r) => r.seed).join(', ')} | ${group.map((r) => cell(r, 't90')).join(', ')} | ${group.map((r) => cell(r, 't95')).join(', ')} | ${group.map((r) => cell(r, 't99')).join(', ')} | ${steps(s.median.t99)} | ${group.map((r) => r.finalTestAccuracy.toFixed(3)).join(', ')} | ${median(group.map((r) => r.msPerStep)).toFixed(1)} |`,
    );
  }
  lines.push('');
  if (base && radial) {
    const sb = summarize('baseline', base);
    const sr = summarize('radial', radial);
    const parts = THRESHOLD_KEYS.map((key) => `${key}: ${ratio(speedup(sb.median[key], sr.median[key]))}`);
    lines.push(
      `Speed-up of the radial penalty (baseline / radial, medians): ${parts.join(', ')} — paper ≈ ${ADDITION_CLAIM.ratio}×.` +
        (sb.median.t99.kind !== 'exact' && sr.median.t99.kind !== 'exact'
          ? ' Neither variant reached 99% exact match within the cap, so the t99 claim is untested here.'
          : ''),
      '',
    );
  }
  const series: Series[] = [];
  [...byMethod.entries()].forEach(([method, group], i) => {
    for (const r of group) series.push({ label: method, points: curve(r), color: PALETTE[i], width: 1.2 });
  });
  plots['addition--curves.svg'] = linePlot({
    title: '2-digit addition: held-out exact match vs step',
    xLabel: 'step (log)',
    yLabel: 'test exact match',
    series,
    xScale: 'log',
    xDomain: [10, planned[0]?.cap ?? 1000],
    yDomain: [0, 1],
    hLines: [{ y: 0.99, label: '99%' }],
  });
  lines.push('![addition curves](plots/addition--curves.svg)', '');
  return lines;
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
