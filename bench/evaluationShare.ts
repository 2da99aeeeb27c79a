/**
 * Evaluation's share of training time under the adaptive schedule (`training.evalEvery` 0), as the session trains:
 * a part of `npm run bench:throughput`'s report (bench/throughput.ts).
 */
import { resolveConfig } from '../src/engine/config';
import { PRESETS, type PresetName } from '../src/engine/presets';
import { nextEvaluationStep } from '../src/engine/schedule';
import { Trainer } from '../src/engine/trainer';
import { load1 } from './lib/machine';

export interface EvaluationShare {
  preset: PresetName;
  /** Steps trained (the session's adaptive schedule decides when to evaluate). */
  steps: number;
  evaluations: number;
  trainingMs: number;
  evaluationMs: number;
  /** Mean wall time of one evaluation and of one step in this run. */
  evaluationMsEach: number;
  stepMs: number;
  load: number;
  /** The schedule was replayed with measured costs instead of run (presets too slow to run that far). */
  simulated: boolean;
}

/**
 * Evaluation's share of training time at default settings (evalEvery 0 = adaptive): trains like the session does
 * — evaluate at the scheduled steps, cost estimates updated from the measured times — and sums both.
 */
export async function evaluationShare(
  preset: PresetName,
  steps: number,
  simulate: boolean,
): Promise<EvaluationShare> {
  const resolved = resolveConfig(PRESETS[preset].config);
  if (!resolved.ok) throw new Error(`preset ${preset} is invalid`);
  const trainer = new Trainer(resolved.config);
  const load = load1();
  try {
    trainer.trainStep(); // warm-up (allocation), as the session's first chunk
    await trainer.evaluate();
    let stepMs = 0;
    let evaluationMs = 0;
    let trainingTotal = 0;
    let evaluationTotal = 0;
    let evaluations = 0;
    let next = 0;
    let step = 0;
    if (simulate) {
      // Measure one evaluation and a few steps, then replay the schedule with those costs.
      let started = performance.now();
      await trainer.evaluate();
      evaluationMs = performance.now() - started;
      started = performance.now();
      for (let i = 0; i < 3; i++) trainer.trainStep();
      await trainer.settle();
      stepMs = (performance.now() - started) / 3;
      while (step < steps) {
        if (step >= next) {
          evaluations++;
          evaluationTotal += evaluationMs;
          next = nextEvaluationStep(step, 0, {
            stepMs,
            evaluationMs,
            spent: { trainingMs: trainingTotal, evaluationMs: evaluationTotal },
          });
        }
        const chunk = Math.min(next, steps) - step;
        trainingTotal += chunk * stepMs;
        step += chunk;
      }
    } else {
      while (step < steps) {
        if (step >= next) {
          const started = performance.now();
          await trainer.evaluate();
          evaluationMs = performance.now() - started;
          evaluationTotal += evaluationMs;
          evaluations++;
          next = nextEvaluationStep(step, 0, {
            stepMs,
            evaluationMs,
            spent: { trainingMs: trainingTotal, evaluationMs: evaluationTotal },
          });
        }
        const chunk = Math.min(next, steps) - step;
        const started = performance.now();
        for (let i = 0; i < chunk; i++) trainer.trainStep();
        await trainer.settle();
        const elapsed = performance.now() - started;
        trainingTotal += elapsed;
        const perStep = elapsed / chunk;
        stepMs = stepMs === 0 ? perStep : 0.6 * stepMs + 0.4 * perStep;
        step += chunk;
      }
    }
    return {
      preset,
      steps,
      evaluations,
      trainingMs: trainingTotal,
      evaluationMs: evaluationTotal,
      evaluationMsEach: evaluationTotal / evaluations,
      stepMs: trainingTotal / steps,
      load,
      simulated: simulate,
    };
  } finally {
    trainer.dispose();
  }
}
