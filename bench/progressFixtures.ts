/** Constructed runs for the progress-measure tests: histories whose rules' firing steps are known by hand. */
import type { HistoryPoint, RunResult } from './results';

export function point(
  step: number,
  trainAccuracy: number,
  testAccuracy: number,
  progress?: { restrictedLoss: number; excludedLoss: number; keyShare?: number; waveShare?: number },
): HistoryPoint {
  return {
    step,
    trainAccuracy,
    testAccuracy,
    trainLoss: 0,
    testLoss: 0,
    weightNorm: 1,
    radiusRatio: {},
    scalars: {},
    trainingMs: step,
    ...(progress ? { progress: { keyShare: 0.5, waveShare: 0.6, ...progress } } : {}),
  };
}

/** A run: memorizes at step 100, restricted loss falls by 0.5 per 100 steps from 3, excluded rises after 300. */
export function grokking(): HistoryPoint[] {
  return [0, 100, 200, 300, 400, 500, 600].map((step) =>
    point(step, step >= 100 ? 1 : 0.2, step >= 600 ? 0.995 : step >= 500 ? 0.6 : 0.02, {
      restrictedLoss: 3 - step / 200,
      excludedLoss: step <= 300 ? 0.4 - step / 1000 : 0.1 * 2 ** ((step - 300) / 100),
    }),
  );
}

export function result(
  id: string,
  method: string,
  seed: number,
  t99: number | null,
  history: HistoryPoint[],
): RunResult {
  return {
    id,
    group: 'mlp31-add',
    method,
    seed,
    cap: 1000,
    steps: { t90: null, t95: null, t99 },
    memorize: 100,
    stoppedBecause: t99 === null ? 'budget' : 'grokked',
    history,
  } as RunResult;
}
