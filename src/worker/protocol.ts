/**
 * The typed contract between the page and the training worker. The page knows the engine only through these
 * types; everything crossing the boundary is plain data (structured-clone), predictions and embeddings as typed
 * arrays (transferred).
 */
import type { NandaAnalysis } from '../engine/metrics/nandaProgress';
import type { BackendChoice, BackendName, BackendReport } from '../engine/backend';
import type { Config } from '../engine/config';
import type { ConfigIssue } from '../engine/config';
import type { ConfigEvent, MetricRecord } from '../engine/records';
import type { RunSnapshot } from '../engine/snapshot';
import type { KeepTarget } from './keepTarget';

export type {
  BackendChoice,
  BackendName,
  BackendReport,
  Config,
  ConfigEvent,
  ConfigIssue,
  MetricRecord,
  RunSnapshot,
};

export const RUN_STATUSES = ['idle', 'running', 'paused', 'finished', 'diverged', 'error'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export type InitResult =
  | {
      ok: true;
      backend: BackendReport;
      /** The validated, complete config the run uses (defaults filled in). */
      config: Config;
      /** The run's current step (0 after init/reset, the snapshot's step after restore). */
      step: number;
      sites: SiteDescription[];
      datasetTitle: string;
      /** grid?.size, kept for convenience. */
      gridSize: number | null;
      /**
       * For p×p tables: the (a, b) cell of each example (example index = index into `predictions`). Not simply
       * a·p+b: operations such as a/b skip undefined cells.
       */
      grid: { size: number; a: Int32Array; b: Int32Array } | null;
      isTrain: Uint8Array;
      /** Token → text: the rows of `MetricBatch.embedding`. */
      tokenNames: string[];
      /** The first this-many tokens are operands (the rows the Fourier view reads). */
      operandVocabulary: number;
    }
  | { ok: false; issues: ConfigIssue[] };

export interface SiteDescription {
  name: string;
  label: string;
  role: 'embedding' | 'hidden' | 'residual';
  dim: number;
}

export type UpdateResult = { ok: true; events: ConfigEvent[] } | { ok: false; issues: ConfigIssue[] };

/** rollback(): the step the run went back to, its config (with the lowered lr) and the lr change's event. */
export type RollbackResult =
  { ok: true; step: number; config: Config; events: ConfigEvent[] } | { ok: false; issues: ConfigIssue[] };

/** tf.memory() of the worker's backend (leak checks). */
export interface MemoryReport {
  numTensors: number;
  numBytes: number;
}

/**
 * What the worker streams to the page, at most ~10 times a second. After init/reset/restore resolve, the page
 * starts from an empty history (restore: the snapshot's history); later batches only append, except `rewoundTo`.
 */
export interface MetricBatch {
  status: RunStatus;
  step: number;
  stepsPerSecond: number;
  backend: BackendName;
  /**
   * New evaluations since the previous batch, as plain objects: cloning a few records costs a tenth or less of
   * packing them into transferable columns and back (bench/recordTransfer.ts).
   */
  records: MetricRecord[];
  /**
   * Config changes applied since the previous batch. This is the authoritative stream of events: update()
   * also returns the events it applied, for the caller's feedback, but the same events arrive here.
   */
  events: ConfigEvent[];
  /** Latest predicted class per example (the prediction grid), if an evaluation happened. */
  predictions: Int32Array | null;
  /** Latest token-embedding table [vocab, dim] for the Fourier and PCA views. */
  embedding: { values: Float32Array; shape: [number, number] } | null;
  /** Human-readable notice (fault, fallback, divergence); several in one batch are joined by newlines. */
  message: string | null;
  /**
   * Set when a fault made the run resume from an earlier in-memory snapshot (e.g. WebGPU lost its device and the
   * run moved to the next backend): drop records and events with step > rewoundTo; they are recomputed. This
   * batch's own records/events already belong to the resumed run. -1: the run restarted from step 0, drop all.
   */
  rewoundTo: number | null;
}

/**
 * The worker's API. Bad input (an invalid config, patch or snapshot) never throws: it comes back as `issues`.
 * Calling start/step/update/snapshot before a successful init rejects (a programming error, not bad input).
 */
export interface TrainingApi {
  /** Validates `config` (a partial, overlaid on DEFAULT_CONFIG), picks the backend ('auto': by measurement). */
  init(config: unknown, backend?: BackendChoice): Promise<InitResult>;
  /** Trains until training.maxSteps (status 'finished'), divergence, grokking + stopAfterGrok, or pause(). */
  start(): Promise<void>;
  /** Resolves once training has stopped (within one chunk, ≤ ~100 ms or one step) and the final evaluation is in. */
  pause(): Promise<void>;
  /** Trains `count` more steps, then evaluates and pauses; resolves when done (or paused earlier). */
  step(count: number): Promise<void>;
  /** A new run (step 0). `config` is a partial overlaid on the current config; omitted: same config. */
  reset(config?: unknown): Promise<InitResult>;
  /** Changes regularizers/optimizer/training settings between two steps; the events also arrive in batches. */
  update(patch: unknown): Promise<UpdateResult>;
  snapshot(): Promise<RunSnapshot>;
  restore(snapshot: RunSnapshot): Promise<InitResult>;
  /** One listener (a Comlink.proxy); a new subscribe replaces the previous one. */
  subscribe(listener: (batch: MetricBatch) => void): Promise<void>;
  /**
   * Periodic snapshots (every ≤ snapshotIntervalMs while the run changes, and when it pauses), so the page can
   * resume the run in a new worker if this one dies. One listener; null unsubscribes.
   */
  subscribeSnapshots(listener: ((snapshot: RunSnapshot) => void) | null): Promise<void>;
  /**
   * After a divergence (or any time): back to the last good in-memory snapshot at or before `toStep` (default:
   * the latest), with optimizer.lr × lrFactor (default 0.5) recorded as a ConfigEvent; history kept up to then.
   */
  rollback(toStep?: number, lrFactor?: number): Promise<RollbackResult>;
  /** Steps the run can roll back to, oldest first (a bounded ring of snapshots taken at evaluations). */
  rollbackPoints(): Promise<number[]>;
  /**
   * After the run (or at a pause): Nanda et al.'s restricted/excluded loss at each evaluation since the run was
   * built, with the latest evaluation's key frequencies; null where the task has no wave structure.
   */
  progressAnalysis(): Promise<NandaAnalysis | null>;
  /** Debug: the backend's tensor count and bytes (null when the host does not say). */
  debugMemory(): Promise<MemoryReport | null>;
  /**
   * Where the worker keeps its run in IndexedDB (the run store's snapshots), written by the worker itself about
   * every second while training and when it stops; null stops keeping. The page never copies the weights for it.
   */
  keepIn(target: KeepTarget | null): Promise<void>;
}
