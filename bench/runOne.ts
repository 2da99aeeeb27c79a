import { loadavg } from 'node:os';
import { runTraining } from '../src/engine/run';
import { leafEntries } from '../src/engine/plainObjects';
import type { MetricRecord } from '../src/engine/records';
import { Trainer } from '../src/engine/trainer';
import { plannedFields, type HistoryPoint, type RunResult, type StopReason } from './results';
import { downsample, memorizeStep, THRESHOLD_KEYS, thresholdSteps, type ThresholdKey } from './stats';
import type { RunSpec } from './suites';

export const MAX_HISTORY_POINTS = 200;
/** A run "collapses" when, after memorizing, train accuracy stays below this for COLLAPSE_EVALS evaluations. */
export const COLLAPSE_ACCURACY = 0.5;
export const COLLAPSE_EVALS = 10;

/** Thrown from the evaluation callback to end runTraining early (the engine's loop has no abort hook). */
class EarlyStop extends Error {
  constructor(readonly reason: StopReason) {
    super(reason);
  }
}

function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(5)) : x;
}

function roundRecord(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, round(v)]));
}

function compact(record: MetricRecord): HistoryPoint {
  const scalars = Object.fromEntries(
    leafEntries(record.regularizers).map(([path, value]) => [path, round(value as number)]),
  );
  return {
    step: record.step,
    trainAccuracy: round(record.trainAccuracy),
    testAccuracy: round(record.testAccuracy),
    trainLoss: round(record.trainLoss),
    testLoss: round(record.testLoss),
    weightNorm: round(record.weightNorm),
    radiusRatio: roundRecord(record.radiusRatio),
    scalars,
    gradientEntropy: round(record.gradientEntropy),
    trainingMs: Math.round(record.trainingMs),
    ...(record.progress ? { progress: roundRecord({ ...record.progress }) } : {}),
  };
}

/**
 * Detects the collapse DESIGN §4b describes (delayed Frobenius λ 0.01 under Adam: weights → 0, train accuracy
 * 0.04): memorized once, then train accuracy below COLLAPSE_ACCURACY for COLLAPSE_EVALS evaluations in a row.
 */
export function collapsed(history: readonly Pick<MetricRecord, 'trainAccuracy'>[]): boolean {
  const memorized = history.findIndex((r) => r.trainAccuracy >= 0.99);
  if (memorized < 0 || history.length - memorized <= COLLAPSE_EVALS) return false;
  return history.slice(-COLLAPSE_EVALS).every((r) => r.trainAccuracy < COLLAPSE_ACCURACY);
}

/** Trains one planned run with the engine (the backend must already be initialized) and summarizes it. */
export async function runOne(
  run: RunSpec,
  backend: string,
  onProgress?: (record: MetricRecord) => void,
): Promise<RunResult> {
  const startedAt = new Date().toISOString();
  const loadStart = loadavg()[0];
  const started = performance.now();
  const trainer = new Trainer(run.config);
  let stoppedBecause: StopReason;
  let error: string | undefined;
  try {
    const summary = await runTraining(trainer, {
      untilStep: run.cap,
      onEvaluation({ record }) {
        onProgress?.(record);
        if (collapsed(trainer.history)) throw new EarlyStop('collapsed');
      },
    });
    stoppedBecause = summary.stoppedBecause;
  } catch (caught) {
    if (caught instanceof EarlyStop) {
      stoppedBecause = caught.reason;
    } else {
      stoppedBecause = 'error';
      error = caught instanceof Error ? caught.message : String(caught);
    }
  }
  const wallMs = performance.now() - started;
  const history = trainer.history;
  const steps = thresholdSteps(history);
  const indexOf = (step: number | null): number =>
    step === null ? -1 : history.findIndex((r) => r.step === step);
  const trainingMsAt = {} as Record<ThresholdKey, number | null>;
  for (const key of THRESHOLD_KEYS) {
    const index = indexOf(steps[key]);
    trainingMsAt[key] = index < 0 ? null : Math.round(history[index].trainingMs);
  }
  const final = history.at(-1);
  const memorize = memorizeStep(history);
  const keep = [...THRESHOLD_KEYS.map((key) => indexOf(steps[key])), indexOf(memorize)];
  const result: RunResult = {
    ...plannedFields(run),
    backend,
    startedAt,
    loadAverage: [round(loadStart), round(loadavg()[0])],
    steps,
    trainingMsAt,
    memorize,
    stoppedBecause,
    ...(error !== undefined ? { error } : {}),
    finalStep: trainer.step,
    finalTrainAccuracy: round(final?.trainAccuracy ?? Number.NaN),
    finalTestAccuracy: round(final?.testAccuracy ?? Number.NaN),
    finalWeightNorm: round(final?.weightNorm ?? Number.NaN),
    wallMs: Math.round(wallMs),
    trainingMs: Math.round(final?.trainingMs ?? 0),
    msPerStep: round((final?.trainingMs ?? 0) / Math.max(1, final?.step ?? 1)),
    history: downsample(history, MAX_HISTORY_POINTS, keep).map(compact),
  };
  trainer.dispose();
  return result;
}
