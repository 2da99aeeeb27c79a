import { describe, expect, it } from 'vitest';
import { ageLandmarks } from './ageReport';
import { buildReport, suiteStatus } from './report';
import { timescaleFit } from './timescaleReport';
import { plannedFields, type RunResult } from './results';
import { planRuns, type RunSpec } from './suites';

/** A synthetic result for a planned run: test accuracy jumps to 1 at `grok` (null: never, censored at the cap). */
function fake(run: RunSpec, grok: number | null, memorize = 50): RunResult {
  const steps = [0, 50, 100, 200, 400, 800, 1600, 3200, 6400, 12_800, run.cap].filter((s) => s <= run.cap);
  const history = steps.map((step) => ({
    step,
    trainAccuracy: step >= memorize ? 1 : 0.1,
    testAccuracy: grok !== null && step >= grok ? 1 : 0.01,
    trainLoss: 0.1,
    testLoss: 1,
    weightNorm: 45,
    radiusRatio: {},
    scalars: {},
    trainingMs: step * 10,
  }));
  if (grok !== null && !steps.includes(grok)) throw new Error('grok must be an evaluated step');
  return {
    ...plannedFields(run),
    backend: 'wasm',
    startedAt: '2026-01-01T00:00:00Z',
    loadAverage: [1, 1],
    steps: { t90: grok, t95: grok, t99: grok },
    trainingMsAt: { t90: grok && grok * 10, t95: grok && grok * 10, t99: grok && grok * 10 },
    memorize,
    stoppedBecause: grok === null ? 'budget' : 'grokked',
    finalStep: run.cap,
    finalTrainAccuracy: 1,
    finalTestAccuracy: grok === null ? 0.01 : 1,
    finalWeightNorm: 45,
    wallMs: run.cap * 11,
    trainingMs: run.cap * 10,
    msPerStep: 10,
    history,
  };
}

describe('report', () => {
  const plan = planRuns('full');
  const pick = (id: string): RunSpec => plan.find((r) => r.id === id)!;
  const results = [
    fake(pick('methods.mlp31-add.baseline-wd0.1.s0'), null),
    fake(pick('methods.mlp31-add.baseline-wd1.s0'), 800),
    fake(pick('methods.mlp31-add.radial.s0'), 3200),
  ];

  it('marks suites complete, partial or not run', () => {
    const status = suiteStatus(plan, results);
    expect(status.find((s) => s.suite === 'methods')?.state).toBe('partial');
    expect(status.find((s) => s.suite === 'classic')?.state).toBe('not run');
  });

  it('reports censored runs as "> cap" and censored speed-ups as bounds', () => {
    const { markdown, plots } = buildReport('full', plan, results, { generatedAt: 'now', command: 'test' });
    expect(markdown).toContain('> 20 000');
    expect(markdown).toContain('> 6.3×'); // 20 000 / 3 200, a lower bound
    expect(markdown).toMatch(/\*\*Not run\*\*/);
    expect(Object.keys(plots)).toContain('mlp31-add--overview.svg');
    expect(Object.keys(plots)).toContain('mlp31-add--radial.svg');
  });

  it('turns steps into time with back-to-back step costs when they are measured', () => {
    const costs = {
      measuredAt: 'now',
      group: 'mlp31-add',
      steps: 150,
      rounds: 3,
      load: [1, 1] as [number, number],
      cpuMsPerStep: { 'baseline-wd0.1': 5, 'baseline-wd1': 5, radial: 10 },
    };
    const { markdown } = buildReport('full', plan, results, { generatedAt: 'now', command: 'test' }, costs);
    // Radial vs wd 1: 800 / 3 200 = 0.25× in steps, and each radial step costs twice as much: 0.13× in time.
    const radialRow = markdown.split('\n').find((line) => line.startsWith('| radial'))!;
    expect(radialRow).toContain('| 10.0 |');
    expect(radialRow).toContain('0.25× / 0.13×');
    expect(markdown).toContain('back to back');
  });

  it('ignores results whose hash does not match the plan', () => {
    const stale = { ...results[2], hash: 'stale' };
    const { markdown } = buildReport('full', plan, [stale], { generatedAt: 'now', command: 'test' });
    expect(markdown).toContain('1 stale/failed ignored');
  });

  it('finds the AGE landmarks of a run and renders the NeuralGrok AGE table beside the transformer suite', () => {
    const run = fake(pick('transformer.tf31-sub.neuralGrok.s0'), 800);
    // AGE rises to 9.5 at step 200 while memorizing, then falls to 8.0 by t90 (step 800) and stays.
    const ages: Record<number, number> = {
      50: 9,
      100: 9.2,
      200: 9.5,
      400: 9.1,
      800: 8,
      1600: 7.9,
      3200: 7.9,
    };
    run.history = run.history.map((p) => ({ ...p, gradientEntropy: ages[p.step] ?? 7.9 }));
    const age = ageLandmarks(run)!;
    expect(age.early).toEqual({ step: 50, age: 9 });
    expect(age.peak).toEqual({ step: 200, age: 9.5 });
    expect(age.late).toEqual({ step: 800, age: 8, reachedT90: true });
    expect(
      ageLandmarks({ ...run, history: run.history.map(({ gradientEntropy: _, ...p }) => p) }),
    ).toBeNull();
    const { markdown } = buildReport('full', plan, [run], { generatedAt: 'now', command: 'test' });
    expect(markdown).toContain('### tf31-sub');
    expect(markdown).toContain('| 0 | 9.000 @ 50 | 9.500 @ 200 | 8.000 @ 800 (t90) |');
  });

  it('retracts the former hidden-progress forecast where runs carry the retired measures, and plots none', () => {
    const run = fake(pick('transformer.tf31-sub.radial.s0'), 800);
    run.history = run.history.map((p) => ({
      ...p,
      progress: { restrictedLoss: p.step >= 200 ? 0.5 : 3, excludedLoss: 0.3 },
    }));
    const { markdown, plots } = buildReport('full', plan, [run], { generatedAt: 'now', command: 'test' });
    expect(markdown).toContain('**Hidden progress: retracted (2026-12-04).**');
    expect(markdown).not.toMatch(/lead to t99/);
    expect(Object.keys(plots).some((name) => name.endsWith('--progress.svg'))).toBe(false);
  });

  it('fits the timescale runs and leaves censored ones out', () => {
    const runs = [0.85, 1, 1.15, 1.3].map((rho, i) =>
      fake(pick(`timescale.mlp31-wd1.rho${rho.toFixed(2)}.s0`), [400, 800, 1600, null][i]),
    );
    const { fit, censored, points } = timescaleFit(runs);
    expect(censored).toBe(1);
    expect(points).toHaveLength(3);
    expect(fit?.slope).toBeCloseTo(Math.log(2) / 0.15, 6);
    expect(fit?.r2).toBeCloseTo(1, 9);
  });
});
