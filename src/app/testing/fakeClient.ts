import type { NandaAnalysis } from '../../engine/metrics/nandaProgress';
import { deepMerge, validateConfig, type Config } from '../../engine/config';
import { configEvents } from '../../engine/configEvents';
import type {
  BackendChoice,
  InitResult,
  MetricRecord,
  RollbackResult,
  RunSnapshot,
  SiteDescription,
  UpdateResult,
} from '../../worker/protocol';
import type { KeepTarget } from '../../lib/keptSnapshots';
import type { ClientBatch as IncomingBatch, WorkerClient } from '../../worker/client';
import { createSupervisedClient } from '../../worker/supervisor';
import {
  createLabStore,
  focusLane,
  type Lane,
  type LabActions,
  type LabState,
  type LaneClient,
  type LabStore,
  type LabStoreOptions,
} from '../store';

export const FAKE_SITES: SiteDescription[] = [
  { name: 'embedding', label: 'input embedding', role: 'embedding', dim: 128 },
  { name: 'hidden0', label: 'hidden layer 1', role: 'hidden', dim: 256 },
];

/** A metric record with plausible values; override what a test cares about. */
export function fakeRecord(step: number, overrides: Partial<MetricRecord> = {}): MetricRecord {
  return {
    step,
    trainAccuracy: 0.5,
    testAccuracy: 0.1,
    trainLoss: 1,
    testLoss: 3,
    weightNorm: 50,
    activationRadius: { embedding: 11, hidden0: 16 },
    radiusRatio: { embedding: 1, hidden0: 1.2 },
    radialShare: { embedding: 0.2, hidden0: 0.4 },
    gradientEntropy: 10,
    regularizers: {},
    learningRate: 0.001,
    trainingMs: step,
    ...overrides,
  };
}

/**
 * A stand-in for the worker client (TrainingApi's calls + onBatch): records every call, answers like the real
 * worker (config validation, ConfigEvents from update()), and lets a test push metric batches with emit(). The
 * page drives it supervised, as it does the real one (`supervised`).
 */
export class FakeClient implements WorkerClient {
  calls: { method: string; args: unknown[] }[] = [];
  config: Config | null = null;
  /** The step the fake run is at (the step stamped on ConfigEvents). */
  currentStep = 0;
  listener: ((batch: IncomingBatch) => void) | null = null;
  /** Set to make the next init/reset fail with an exception. */
  failNext: string | null = null;

  private ok(config: Config): InitResult {
    const size = 5;
    return {
      ok: true,
      backend: {
        backend: 'wasm',
        choice: 'auto',
        skipped: [{ backend: 'webgpu', reason: 'software adapter: 1.6 s/step' }],
        measuredMsPerStep: { wasm: 22, webgpu: 1600 },
        summary: 'WebGPU is a software adapter here (1.6 s/step); using WASM: 22 ms/step',
      },
      config,
      step: this.currentStep,
      sites: FAKE_SITES,
      datasetTitle: '(a + b) mod 5',
      gridSize: size,
      grid: {
        size,
        a: Int32Array.from({ length: size * size }, (_, i) => Math.floor(i / size)),
        b: Int32Array.from({ length: size * size }, (_, i) => i % size),
      },
      isTrain: Uint8Array.from({ length: size * size }, (_, i) => (i % 3 === 0 ? 1 : 0)),
      tokenNames: Array.from({ length: size }, (_, i) => String(i)),
      operandVocabulary: size,
    };
  }

  private build(config: unknown): InitResult {
    if (this.failNext) {
      const message = this.failNext;
      this.failNext = null;
      throw new Error(message);
    }
    const result = validateConfig(config);
    if (!result.ok) return result;
    this.config = result.config;
    this.currentStep = 0;
    return this.ok(result.config);
  }

  async init(config: unknown, backend?: BackendChoice): Promise<InitResult> {
    this.calls.push({ method: 'init', args: [config, backend] });
    return this.build(config);
  }

  async reset(config?: unknown): Promise<InitResult> {
    this.calls.push({ method: 'reset', args: [config] });
    return this.build(deepMerge(this.config, config));
  }

  async start(): Promise<void> {
    this.calls.push({ method: 'start', args: [] });
  }

  async pause(): Promise<void> {
    this.calls.push({ method: 'pause', args: [] });
  }

  async step(count: number): Promise<void> {
    this.calls.push({ method: 'step', args: [count] });
    this.currentStep += count;
  }

  async update(patch: unknown): Promise<UpdateResult> {
    this.calls.push({ method: 'update', args: [patch] });
    const result = validateConfig(deepMerge(this.config, patch));
    if (!result.ok) return result;
    const events = configEvents(this.config, result.config, patch, this.currentStep);
    this.config = result.config;
    return { ok: true, events };
  }

  async snapshot(): Promise<RunSnapshot> {
    throw new Error('not faked');
  }

  async restore(snapshot: RunSnapshot): Promise<InitResult> {
    this.calls.push({ method: 'restore', args: [snapshot] });
    this.config = snapshot.config;
    this.currentStep = snapshot.step;
    return this.ok(snapshot.config);
  }

  onBatch(listener: (batch: IncomingBatch) => void): () => void {
    this.calls.push({ method: 'subscribe', args: [] });
    this.listener = listener;
    return () => {
      this.listener = null;
    };
  }

  snapshotListener: ((snapshot: RunSnapshot) => void) | null = null;

  onSnapshot(listener: (snapshot: RunSnapshot) => void): () => void {
    this.snapshotListener = listener;
    return () => {
      this.snapshotListener = null;
    };
  }

  /** Like the worker: back to `rollbackPoint`, learning rate × 0.5, recorded as an event at that step. */
  rollbackPoint = 0;

  async rollback(): Promise<RollbackResult> {
    this.calls.push({ method: 'rollback', args: [] });
    if (!this.config) return { ok: false, issues: [{ path: '', message: 'no run' }] };
    this.currentStep = this.rollbackPoint;
    const from = this.config.optimizer.lr;
    const result = await this.update({ optimizer: { lr: from / 2 } });
    this.calls.pop();
    if (!result.ok) return result;
    return { ok: true, step: this.rollbackPoint, config: this.config, events: result.events };
  }

  errorListener: ((message: string) => void) | null = null;
  terminated = false;

  onWorkerError(listener: (message: string) => void): () => void {
    this.errorListener = listener;
    return () => {
      this.errorListener = null;
    };
  }

  terminate(): void {
    this.terminated = true;
  }

  /** Pushes a metric batch as the worker client would. */
  emit(batch: Partial<IncomingBatch>): void {
    if (!this.listener) throw new Error('nobody subscribed');
    const records = batch.records ?? [];
    if (records.length > 0) this.currentStep = records[records.length - 1].step;
    this.listener({
      status: 'running',
      step: this.currentStep,
      stepsPerSecond: 50,
      backend: 'wasm',
      events: [],
      predictions: null,
      embedding: null,
      message: null,
      rewoundTo: null,
      ...batch,
      records,
    });
  }

  async rollbackPoints(): Promise<number[]> {
    return [this.rollbackPoint];
  }

  /** Where the page asked this worker to keep its run (the last keepIn). */
  keptIn: KeepTarget | null = null;

  async keepIn(target: KeepTarget | null): Promise<void> {
    this.keptIn = target;
  }

  async debugMemory(): Promise<null> {
    return null;
  }

  /** What progressAnalysis answers (a test sets it; null: a task without the analysis). */
  analysis: NandaAnalysis | null = null;
  /** How often it was asked (a query, not a control call: not in `calls`). */
  analysisRequests = 0;

  async progressAnalysis(): Promise<NandaAnalysis | null> {
    this.analysisRequests++;
    return this.analysis;
  }

  methods(): string[] {
    return this.calls.map((call) => call.method);
  }
}

/**
 * A lane client as the app makes one: the supervisor (src/worker/supervisor.ts, watchdog off) over fake workers.
 * `worker` gives each worker it starts (the first, and one per recovery); each is added to `workers` if given.
 */
export function supervised(worker: () => FakeClient, workers?: FakeClient[]): LaneClient {
  return createSupervisedClient(
    () => {
      const started = worker();
      workers?.push(started);
      return started;
    },
    { stallMs: 0 },
  );
}

/**
 * A lab store that makes a new supervised fake worker for each lane it starts; every fake worker made (a
 * recovery's too) is kept in `clients` in order (not connected).
 */
export function fakeLab(options: Omit<LabStoreOptions, 'createClient'> = {}): {
  store: LabStore;
  clients: FakeClient[];
} {
  const clients: FakeClient[] = [];
  const store = createLabStore({
    liveDelayMs: 0,
    ...options,
    createClient: () => supervised(() => new FakeClient(), clients),
  });
  return { store, clients };
}

/** fakeLab, connected (its first lane is ready on clients[0]). */
export async function connectedLab(
  options: Omit<LabStoreOptions, 'createClient'> = {},
): Promise<{ store: LabStore; client: FakeClient; clients: FakeClient[] }> {
  const { store, clients } = fakeLab(options);
  await store.getState().connect();
  return { store, client: clients[0], clients };
}

/** The store's fields with the focused lane's over them: what a test of one lane reads (actions included). */
export function single(store: LabStore): LabState & LabActions & Lane {
  const state = store.getState();
  return { ...state, ...focusLane(state) };
}

/** A snapshot of `client`'s run at `step` with the given history, as the worker posts one. */
export function fakeSnapshot(client: FakeClient, step: number, history: MetricRecord[]): RunSnapshot {
  return {
    version: 1,
    config: client.config!,
    step,
    parameters: {},
    optimizer: { step, firstMoments: {}, secondMoments: {} },
    history,
    events: [],
    batchEpoch: 0,
  } as RunSnapshot;
}
