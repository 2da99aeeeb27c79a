/**
 * REPORT.md's addition section: a small causal transformer on 2-digit addition, with and without the radial
 * penalty, against the paper's 3-digit nanoGPT figure.
 */
import { ADDITION_CLAIM } from './claims';
import { groupBy } from './lib/groupBy';
import type { RunResult } from './results';
import {
  accuracyCurve,
  accuracyPlot,
  boundedRatio,
  boundedSteps,
  GROUP_TITLES,
  stepCell,
  summarize,
} from './runSummary';
import { formatSteps, median, speedup, THRESHOLD_KEYS } from './stats';
import type { RunSpec } from './suites';
import { PALETTE, type Series } from './svg';

/** The addition suite's section: the radial penalty on 2-digit addition against the paper's nanoGPT claim. */
export function additionSection(
  runs: RunResult[],
  planned: RunSpec[],
  plots: Record<string, string>,
): string[] {
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
      `| ${s.label} | ${group.map((r) => r.seed).join(', ')} | ${group.map((r) => stepCell(r, 't90')).join(', ')} | ${group.map((r) => stepCell(r, 't95')).join(', ')} | ${group.map((r) => stepCell(r, 't99')).join(', ')} | ${boundedSteps(s.median.t99)} | ${group.map((r) => r.finalTestAccuracy.toFixed(3)).join(', ')} | ${median(group.map((r) => r.msPerStep)).toFixed(1)} |`,
    );
  }
  lines.push('');
  if (base && radial) {
    const sb = summarize('baseline', base);
    const sr = summarize('radial', radial);
    const parts = THRESHOLD_KEYS.map(
      (key) => `${key}: ${boundedRatio(speedup(sb.median[key], sr.median[key]))}`,
    );
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
    for (const r of group)
      series.push({ label: method, points: accuracyCurve(r), color: PALETTE[i], width: 1.2 });
  });
  plots['addition--curves.svg'] = accuracyPlot({
    title: '2-digit addition: held-out exact match vs step',
    yLabel: 'test exact match',
    series,
    cap: planned[0]?.cap ?? 1000,
    threshold: { y: 0.99, label: '99%' },
  });
  lines.push('![addition curves](plots/addition--curves.svg)', '');
  return lines;
}
