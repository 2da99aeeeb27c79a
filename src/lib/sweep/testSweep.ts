import { expandSweep, type ExpandedSweep } from './cells';
import type { CellOutcome } from './cellResult';
import { parseSweepSpec } from './spec';

/** Test support: a small radial-map sweep and made-up outcomes for its cells (no training). */
export function smallSweep(seeds = [0]): ExpandedSweep {
  return expandSweep(
    parseSweepSpec({
      title: 'small',
      preset: 'mlp',
      x: { key: 'regularizers.weightDecay.coefficient', values: [0.1, 1] },
      y: { key: 'regularizers.radial.lambda', values: [0, 0.01] },
      seeds,
      steps: 1000,
    }),
  );
}

export function outcome(
  id: string,
  stepsToGrok: number | null,
  finalStep = stepsToGrok ?? 1000,
): CellOutcome {
  return {
    id,
    stepsToGrok,
    stoppedBecause: stepsToGrok === null ? 'budget' : 'grokked',
    finalStep,
    finalTestAccuracy: stepsToGrok === null ? 0.42 : 1,
    wallMs: 1000,
    cpuMs: 900,
    msPerStep: 10,
  };
}
