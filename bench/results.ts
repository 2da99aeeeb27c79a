import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../src/engine/config';
import type { MetricRecord } from '../src/engine/records';
import type { ThresholdKey } from './stats';
import { runHash, type RunSpec, type SuiteId } from './suites';

/**
 * One evaluation, compact (numbers rounded to 5 significant digits): the record's fields a report reads, with the
 * regularizers' live scalars flattened to "id.scalar" (e.g. normClamp.target). Results written before the
 * gradient entropy was recorded lack it; `progress` is a plain map because each result holds the measures its
 * version recorded.
 */
export type HistoryPoint = Pick<
  MetricRecord,
  | 'step'
  | 'trainAccuracy'
  | 'testAccuracy'
  | 'trainLoss'
  | 'testLoss'
  | 'weightNorm'
  | 'radiusRatio'
  | 'trainingMs'
> &
  Partial<Pick<MetricRecord, 'gradientEntropy'>> & {
    scalars: Record<string, number>;
    progress?: Record<string, number>;
  };

export type StopReason = 'budget' | 'grokked' | 'diverged' | 'collapsed' | 'error';

/** What one run leaves in bench/results/<id>.json. */
export interface RunResult {
  schema: 1;
  id: string;
  suite: SuiteId;
  group: string;
  method: string;
  label: string;
  seed: number;
  params: Record<string, number>;
  hash: string;
  config: Config;
  cap: number;
  evalEvery: number;
  backend: string;
  startedAt: string;
  /** 1-minute load average when the run started and ended (wall times on a shared machine are noisy). */
  loadAverage: [number, number];
  /** First evaluated step with test accuracy ≥ 90 / 95 / 99% (null: not within the run). */
  steps: Record<ThresholdKey, number | null>;
  /** Training wall time (ms, evaluations excluded) at those steps. */
  trainingMsAt: Record<ThresholdKey, number | null>;
  /** First evaluated step with train accuracy ≥ 99%. */
  memorize: number | null;
  stoppedBecause: StopReason;
  error?: string;
  finalStep: number;
  finalTrainAccuracy: number;
  finalTestAccuracy: number;
  finalWeightNorm: number;
  /** The whole run, evaluations included, ms. */
  wallMs: number;
  /** Training time only, ms. */
  trainingMs: number;
  msPerStep: number;
  /** ≤ 200 evaluations, always including the first, the last and the threshold crossings. */
  history: HistoryPoint[];
}

export function resultPath(dir: string, id: string): string {
  return join(dir, `${id}.json`);
}

export function readResult(path: string): RunResult | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as RunResult;
    return parsed.schema === 1 && parsed.config ? rehash(parsed) : null;
  } catch {
    return null;
  }
}

/** Every readable result in a directory (not recursive). */
export function readResults(dir: string): RunResult[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => readResult(join(dir, name)))
    .filter((result): result is RunResult => result !== null);
}

/** Whether any evaluation of the run carries progress measures (results before 2026-11-29 have none). */
export const hasProgress = (result: RunResult): boolean =>
  result.history.some((point) => point.progress !== undefined);

/**
 * Results stored before the progress measures existed take their history from a rerun of the same run (same hash,
 * so the same config, cap and evaluation interval, and the same seed: the run is deterministic, so the rerun's
 * evaluations are this run's, now with the measures). The two downsampled histories may keep different steps,
 * so the rerun's is taken whole rather than merged point by point.
 */
export function withProgressFrom(results: readonly RunResult[], reruns: readonly RunResult[]): RunResult[] {
  const byRun = new Map(reruns.filter(hasProgress).map((rerun) => [`${rerun.hash}/${rerun.seed}`, rerun]));
  return results.map((result) => {
    if (hasProgress(result)) return result;
    const rerun = byRun.get(`${result.hash}/${result.seed}`);
    return rerun ? { ...result, history: rerun.history } : result;
  });
}

/** Every readable result in `dir`, with progress measures from the reruns in `dir/progress` (withProgressFrom). */
export function readResultsWithProgress(dir: string): RunResult[] {
  return withProgressFrom(readResults(dir), readResults(join(dir, 'progress')));
}

/** The stored result with its hash recomputed from its own config, cap and evaluation interval. */
export function rehash(result: RunResult): RunResult {
  return { ...result, hash: runHash(result.config, result.cap, result.evalEvery) };
}

/**
 * Resume rule: a run is done when its result exists, has the planned hash and did not end in an error. Stored
 * hashes are recomputed on reading (rehash), so a change in how hashes are formed never orphans a result whose
 * effective config is unchanged.
 */
export function isDone(
  run: Pick<RunSpec, 'hash'>,
  existing: Pick<RunResult, 'hash' | 'stoppedBecause'> | null,
) {
  return existing !== null && existing.hash === run.hash && existing.stoppedBecause !== 'error';
}

/** Runs still to do, given what `lookup` finds stored. */
export function pendingRuns<R extends Pick<RunSpec, 'id' | 'hash'>>(
  runs: readonly R[],
  lookup: (id: string) => Pick<RunResult, 'hash' | 'stoppedBecause'> | null,
): R[] {
  return runs.filter((run) => !isDone(run, lookup(run.id)));
}

/** Writes atomically (temp file + rename), so an interrupted sweep never leaves a half-written result. */
export function writeResult(dir: string, result: RunResult): void {
  mkdirSync(dir, { recursive: true });
  const path = resultPath(dir, result.id);
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, `${JSON.stringify(result)}\n`);
  renameSync(temp, path);
}

/** The fields of a result that restate its planned run (what it was), as every result writer fills them. */
export function plannedFields(
  run: RunSpec,
): Pick<
  RunResult,
  | 'schema'
  | 'id'
  | 'suite'
  | 'group'
  | 'method'
  | 'label'
  | 'seed'
  | 'params'
  | 'hash'
  | 'config'
  | 'cap'
  | 'evalEvery'
> {
  const { id, suite, group, method, label, seed, params, hash, config, cap, evalEvery } = run;
  return { schema: 1, id, suite, group, method, label, seed, params, hash, config, cap, evalEvery };
}

/** What `npm run bench:stepcost` measures: one step of each method, back to back in one process. */
export interface StepCosts {
  measuredAt: string;
  /** The group whose seed-0 configs were timed; every MLP group shares the model, so its costs stand for all. */
  group: string;
  steps: number;
  rounds: number;
  load: [number, number];
  /** Method key → median CPU ms per step over the rounds. */
  cpuMsPerStep: Record<string, number>;
}

/** The measurement stored in a results directory, when it exists and parses. */
export function readStepCosts(resultsDir: string): StepCosts | null {
  try {
    const parsed = JSON.parse(readFileSync(join(resultsDir, 'step-cost.json'), 'utf8')) as StepCosts;
    return parsed && typeof parsed.cpuMsPerStep === 'object' ? parsed : null;
  } catch (_error) {
    return null;
  }
}
