/**
 * REPORT.md's paragraph on NeuralGrok's absolute gradient entropy (AGE): the landmarks of each run's AGE curve
 * against the paper's claim that it rises while memorizing and falls while generalizing.
 */
import type { RunResult } from './results';
import { formatSteps } from './stats';

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
export function ageSection(runs: readonly RunResult[]): string[] {
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
