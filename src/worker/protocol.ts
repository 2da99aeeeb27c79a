/**
 * The typed contract between the page and the training worker. The page knows the engine only through these
 * types; everything crossing the boundary is plain data (structured-clone), metric batches as typed arrays.
 */
import type { BackendName } from '../engine/backend';
import type { Config } from '../engine/config';
import type { ConfigIssue } from '../engine/config';
import type { ConfigEvent, MetricRecord, TrainerState } from '../engine/trainer';

export type { BackendName, Config, ConfigEvent, ConfigIssue, MetricRecord };

export type BackendChoice = BackendName | 'auto';

export type RunStatus = 'idle' | 'running' | 'paused' | 'finished' | 'diverged' | 'error';

export interface BackendReport {
  backend: BackendName;
  /** Why each faster backend was not used, e.g. { backend: 'webgpu', reason: 'no adapter' }. */
  skipped: { backend: BackendName; reason: string }[];
  /** Measured ms/step of the backends that were timed (auto selection). */
  measuredMsPerStep: Partial<Record<BackendName, number>>;
}

export type InitResult =
  | {
      ok: true;
      backend: BackendReport;
      sites: SiteDescription[];
      datasetTitle: string;
      gridSize: number | null;
      isTrain: Uint8Array;
    }
  | { ok: false; issues: ConfigIssue[] };

export interface SiteDescription {
  name: string;
  label: string;
  role: 'embedding' | 'hidden' | 'residual';
  dim: number;
}

export type UpdateResult = { ok: true; events: ConfigEvent[] } | { ok: false; issues: ConfigIssue[] };

/** Everything needed to resume a run exactly: weights, optimizer moments, history, events. */
export type RunSnapshot = TrainerState & { version: 1 };

/** What the worker streams to the page, at most ~10 times a second. */
export interface MetricBatch {
  status: RunStatus;
  step: number;
  stepsPerSecond: number;
  backend: BackendName;
  /** New evaluations since the previous batch, packed column-wise (see packRecords). */
  records: PackedRecords | null;
  events: ConfigEvent[];
  /** Latest predicted class per example (the prediction grid), if an evaluation happened. */
  predictions: Int32Array | null;
  /** Latest token-embedding table [vocab, dim] for the Fourier and PCA views. */
  embedding: { values: Float32Array; shape: [number, number] } | null;
  /** Human-readable notice (fault, fallback, divergence). */
  message: string | null;
}

export interface TrainingApi {
  init(config: unknown, backend?: BackendChoice): Promise<InitResult>;
  start(): Promise<void>;
  pause(): Promise<void>;
  step(count: number): Promise<void>;
  reset(config?: unknown): Promise<InitResult>;
  update(patch: unknown): Promise<UpdateResult>;
  snapshot(): Promise<RunSnapshot>;
  restore(snapshot: RunSnapshot): Promise<InitResult>;
  subscribe(listener: (batch: MetricBatch) => void): Promise<void>;
}

/** Column-wise records: one Float64Array per scalar key (nested keys dotted, e.g. "radiusRatio.hidden0"). */
export interface PackedRecords {
  length: number;
  columns: Record<string, Float64Array>;
}

function flatten(record: object, prefix = '', into: Record<string, number> = {}): Record<string, number> {
  for (const [key, value] of Object.entries(record)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'number') into[path] = value;
    else if (value && typeof value === 'object') flatten(value, path, into);
  }
  return into;
}

export function packRecords(records: readonly MetricRecord[]): PackedRecords {
  const flat = records.map((record) => flatten(record));
  const keys = new Set(flat.flatMap((entry) => Object.keys(entry)));
  const columns: Record<string, Float64Array> = {};
  for (const key of keys) columns[key] = Float64Array.from(flat, (entry) => entry[key] ?? Number.NaN);
  return { length: records.length, columns };
}

/** The buffers to hand to Comlink.transfer. */
export function transferablesOf(packed: PackedRecords): ArrayBuffer[] {
  return Object.values(packed.columns).map((column) => column.buffer as ArrayBuffer);
}

const NESTED = ['activationRadius', 'radiusRatio', 'radialShare', 'regularizers'] as const;

export function unpackRecords(packed: PackedRecords): MetricRecord[] {
  const records: MetricRecord[] = [];
  for (let i = 0; i < packed.length; i++) {
    const record: Record<string, unknown> = {
      activationRadius: {},
      radiusRatio: {},
      radialShare: {},
      regularizers: {},
    };
    for (const [key, column] of Object.entries(packed.columns)) {
      const value = column[i];
      const parts = key.split('.');
      if (parts.length === 1) {
        record[key] = value;
        continue;
      }
      if (Number.isNaN(value) && (NESTED as readonly string[]).includes(parts[0])) continue;
      let node = record as Record<string, unknown>;
      for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
      node[parts[parts.length - 1]] = value;
    }
    records.push(record as unknown as MetricRecord);
  }
  return records;
}
