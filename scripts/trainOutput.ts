import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { Config } from '../src/engine/config';
import { progressSupport } from '../src/engine/metrics/progressMeasures';
import { withPhase } from '../src/engine/metrics/progressPhase';
import { runTraining, type RunOptions } from '../src/engine/run';
import { Trainer } from '../src/engine/trainer';

/**
 * One headless run and the JSON it is stored as: what `npm run train -- --out` writes and what each cell of
 * `npm run sweep` writes (the backend must already be initialized: initNodeBackend).
 */
export async function trainToOutput(
  config: Config,
  backend: string,
  options: {
    untilStep?: number;
    /** Called once the trainer is built (its dataset is known), before the first step. */
    onStart?: (trainer: Trainer) => void;
    onEvaluation?: RunOptions['onEvaluation'];
    /** A trainer built elsewhere (a data-parallel run's leader): used as it is, and left to its owner to free. */
    trainer?: Trainer;
  } = {},
) {
  const trainer = options.trainer ?? new Trainer(config);
  try {
    options.onStart?.(trainer);
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const loadStart = loadavg()[0];
    const summary = await runTraining(trainer, {
      untilStep: options.untilStep ?? config.training.maxSteps,
      onEvaluation: options.onEvaluation,
    });
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuStarted);
    // Each record carries the hidden-progress readout's words (the classroom's) as progress.phase.
    const support = progressSupport(config.task);
    const history = trainer.history.map((record) => withPhase(record, support, config.task.modulus));
    const final = history.at(-1)!;
    return {
      config,
      backend,
      history,
      events: trainer.events,
      stepsToGrok: summary.stepsToGrok,
      stoppedBecause: summary.stoppedBecause,
      final,
      msPerStep: final.trainingMs / Math.max(1, final.step),
      wallMs,
      /** User + system CPU time of this process during the run, ms (less sensitive to load than wall time). */
      cpuMs: (cpu.user + cpu.system) / 1000,
      /** 1-minute load average at the start and end of the run: how busy the machine was. */
      loadAverage: [loadStart, loadavg()[0]],
    };
  } finally {
    if (!options.trainer) trainer.dispose();
  }
}

export type TrainOutput = Awaited<ReturnType<typeof trainToOutput>>;

/** The one-line summary both CLIs print after a run. */
export function outputSummary(output: TrainOutput): string {
  return (
    `${output.stoppedBecause}: steps-to-grok ${output.stepsToGrok ?? 'not reached'} · ` +
    `${(output.wallMs / 1000).toFixed(1)} s wall · ${output.msPerStep.toFixed(1)} ms/step · tensors ${tf.memory().numTensors}`
  );
}
