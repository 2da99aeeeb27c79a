/** The session's parts share these: what it needs of a trainer, its options, and what it is built from. */
import type { Config, DeepPartial } from '../../engine/config';
import type { ParameterInfo, SiteInfo } from '../../engine/models/model';
import type { Dataset } from '../../engine/tasks/dataset';
import type { TrainerState } from '../../engine/snapshot';
import type { Evaluation } from '../../engine/trainer';
import {
  PROBE_LIMITS,
  type BackendHost,
  type Steppable,
  type TimingLimits,
} from '../../engine/backendChoice';
import type { SnapshotWriter } from '../../lib/keptSnapshots';
import type { Clock } from '../clock';
import type { ConfigEvent, MemoryReport, MetricRecord, UpdateResult } from '../protocol';

/** What the session needs of a trainer; the engine's Trainer has all of it, test fakes implement it. */
export interface SessionTrainer extends Steppable {
  readonly step: number;
  readonly config: Config;
  readonly history: MetricRecord[];
  readonly events: ConfigEvent[];
  readonly dataset: Pick<
    Dataset,
    'title' | 'isTrain' | 'grid' | 'targets' | 'tokenNames' | 'operandVocabulary'
  >;
  readonly model: { readonly sites: readonly SiteInfo[]; readonly parameterInfo: readonly ParameterInfo[] };
  evaluate(): Promise<Evaluation>;
  /** The whole table's logits at the latest evaluation with progress measures (engine Trainer); null or absent: none. */
  readonly lastProgressLogits?: { step: number; logits: Float32Array } | null;
  update(patch: DeepPartial<Config>): UpdateResult;
  getState(): Promise<TrainerState>;
  setState(state: TrainerState): void;
  readParameter(name: string): Promise<{ values: Float32Array; shape: number[] }>;
}

export interface SessionOptions {
  /** Target wall time of one chunk of training steps; messages are handled between chunks. */
  chunkMs: number;
  /** Minimum time between two MetricBatches. */
  batchIntervalMs: number;
  /**
   * An in-memory snapshot (the restart point after a fault) is taken between chunks once this much time has
   * passed since the last one; right away after a config change.
   */
  snapshotIntervalMs: number;
  /**
   * With a place to keep it (TrainingApi.keepIn), the run is written to IndexedDB between chunks once this much
   * time has passed since the last write while it changes, and when it stops: what a reload can lose.
   */
  keepIntervalMs: number;
  /** How long `auto` may time each backend. */
  probe: TimingLimits;
  /**
   * Rollback points: at an evaluation with finite loss and weights, a snapshot is kept when this much time has
   * passed since the last one or `rollbackEveryEvaluations` evaluations have (and always at the first).
   */
  rollbackIntervalMs: number;
  rollbackEveryEvaluations: number;
  /** At most this many rollback points, holding at most this many bytes of weights + moments. */
  rollbackPoints: number;
  rollbackMaxBytes: number;
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = {
  chunkMs: 80,
  batchIntervalMs: 100,
  snapshotIntervalMs: 3000,
  keepIntervalMs: 1000,
  probe: PROBE_LIMITS,
  rollbackIntervalMs: 2000,
  rollbackEveryEvaluations: 10,
  rollbackPoints: 8,
  rollbackMaxBytes: 64 * 1024 * 1024,
};

/** Default learning-rate factor of rollback(). */
export const ROLLBACK_LR_FACTOR = 0.5;

export interface SessionDependencies {
  /** Builds a trainer on the active backend. */
  createTrainer(config: Config): SessionTrainer;
  host: BackendHost;
  clock?: Clock;
  options?: Partial<SessionOptions>;
  /** Writes the run's snapshot where the page said (TrainingApi.keepIn); absent: keepIn keeps nothing. */
  keep?: SnapshotWriter;
  /** The backend's tensor bookkeeping (tf.memory()), for leak checks from the page. */
  memory?(): MemoryReport;
}

export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
