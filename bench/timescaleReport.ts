/**
 * REPORT.md's weight-norm timescale section: steps to grok against the clamped weight norm ρ, ln(steps) fitted
 * linearly in ρ against the paper's slope (arXiv 2606.13753), and its plots.
 */
import { TIMESCALE_CLAIM } from './claims';
import { groupBy } from './lib/groupBy';
import type { RunResult } from './results';
import { accuracyCurve, accuracyPlot, boundedSteps, GROUP_TITLES, stepCell, summarize } from './runSummary';
import { formatSteps, logLinearFit, THRESHOLD_KEYS, type LinearFit, type ThresholdKey } from './stats';
import type { RunSpec } from './suites';
import { DARK, GREY, linePlot, PALETTE, type Series } from './svg';

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

/** The timescale suite's section: steps to grok against the clamped norm ρ, the fit, the plots. */
export function timescaleSection(
  runs: RunResult[],
  planned: RunSpec[],
  plots: Record<string, string>,
): string[] {
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
        .join('; ')}. t90 ${free.map((r) => stepCell(r, 't90')).join(', ')}.`,
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
      `| ${rho} | ${group.map((r) => r.seed).join(', ')} | ${group.map((r) => stepCell(r, 't90')).join(', ')} | ${boundedSteps(s.median.t90)} | ${boundedSteps(s.median.t95)} | ${boundedSteps(s.median.t99)} | ${targets.map((t) => t.toFixed(1)).join(', ')} |`,
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
      series.push({ label: `ρ ${rho}`, points: accuracyCurve(r), color: PALETTE[i], width: 1.2 });
  });
  for (const r of free)
    series.push({ label: 'free', points: accuracyCurve(r), color: DARK, dashed: true, width: 1 });
  const cap = planned[0]?.cap ?? 10_000;
  plots['timescale--curves.svg'] = accuracyPlot({
    title: 'Test accuracy vs step, per clamped norm ρ (all seeds)',
    series,
    cap,
    threshold: { y: 0.9, label: '90%' },
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
