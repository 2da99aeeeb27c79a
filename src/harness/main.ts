/**
 * Test harness (not the app): exposes the training client on `window.grokHarness` so Playwright can drive the
 * real worker without the UI, and runs bench measurements in a bench worker. Keeps results JSON-friendly.
 */
import * as Comlink from 'comlink';
import { maxOf } from '../engine/arrays';
import type { BackendName } from '../engine/backend';
import type { FastPath } from '../engine/fastPaths';
import type { TimingLimits } from '../engine/backendChoice';
import { createTrainingClient, type ClientBatch, type WorkerClient } from '../worker/client';
import type { BackendChoice, BackendReport, MetricRecord } from '../worker/protocol';
import type { BenchApi, BenchResult, BlockSetup, FastPathRun, WasmBuild } from './bench.worker';

export interface HarnessSummary {
  status: string | null;
  step: number;
  backend: string | null;
  records: number;
  lastRecord: MetricRecord | null;
  maxStepsPerSecond: number;
  predictions: number | null;
  embeddingShape: [number, number] | null;
  messages: string[];
  rewinds: number[];
  workerErrors: string[];
}

class Harness {
  client: WorkerClient | null = null;
  batches: ClientBatch[] = [];
  workerErrors: string[] = [];

  /** A fresh worker and run; returns the init result without its typed arrays. */
  async init(
    config: unknown,
    backend: BackendChoice = 'auto',
    wasmThreads = 1,
  ): Promise<{ ok: boolean; backend?: BackendReport; issues?: unknown; examples?: number }> {
    this.client?.terminate();
    this.batches = [];
    this.workerErrors = [];
    this.client = createTrainingClient({ wasmThreads });
    this.client.onBatch((batch) => this.batches.push(batch));
    this.client.onWorkerError((message) => this.workerErrors.push(message));
    const result = await this.client.init(config, backend);
    return result.ok
      ? { ok: true, backend: result.backend, examples: result.isTrain.length }
      : { ok: false, issues: result.issues };
  }

  /** tf.memory() in the training worker (leak checks). */
  async memory(): Promise<{ numTensors: number; numBytes: number } | null> {
    return this.client ? this.client.debugMemory() : null;
  }

  /** Training loss at each evaluation so far (runs compared across workers). */
  trainLosses(): number[] {
    return this.batches.flatMap((batch) => batch.records.map((record) => record.trainLoss));
  }

  summary(): HarnessSummary {
    const last = this.batches.at(-1);
    const records = this.batches.flatMap((batch) => batch.records);
    const withPredictions = this.batches.filter((batch) => batch.predictions).at(-1);
    const withEmbedding = this.batches.filter((batch) => batch.embedding).at(-1);
    return {
      status: last?.status ?? null,
      step: last?.step ?? 0,
      backend: last?.backend ?? null,
      records: records.length,
      lastRecord: records.at(-1) ?? null,
      maxStepsPerSecond: Math.max(0, maxOf(this.batches.map((batch) => batch.stepsPerSecond))),
      predictions: withPredictions?.predictions?.length ?? null,
      embeddingShape: withEmbedding?.embedding?.shape ?? null,
      messages: this.batches.flatMap((batch) => (batch.message ? [batch.message] : [])),
      rewinds: this.batches.flatMap((batch) => (batch.rewoundTo === null ? [] : [batch.rewoundTo])),
      workerErrors: this.workerErrors,
    };
  }

  /**
   * Race throughput: one training worker per config (as race mode runs them), lane A picks the backend
   * (`backend`, default by measurement) and the others are forced onto it; all start together, run `warmupMs`,
   * then each lane's steps are counted over `measureMs` of wall time (evaluations included). Workers end after.
   */
  async race(
    configs: unknown[],
    backend: BackendChoice = 'auto',
    warmupMs = 5_000,
    measureMs = 20_000,
  ): Promise<{ backend: string | null; lanes: { steps: number; stepsPerSecond: number; step: number }[] }> {
    const clients = configs.map(() => createTrainingClient());
    const steps = clients.map(() => 0);
    clients.forEach((client, i) => client.onBatch((batch) => (steps[i] = batch.step)));
    try {
      const first = await clients[0].init(configs[0], backend);
      if (!first.ok) throw new Error(JSON.stringify(first.issues));
      const chosen = first.backend.backend;
      for (let i = 1; i < clients.length; i++) {
        const result = await clients[i].init(configs[i], chosen);
        if (!result.ok) throw new Error(JSON.stringify(result.issues));
      }
      await Promise.all(clients.map((client) => client.start()));
      await new Promise((resolve) => setTimeout(resolve, warmupMs));
      const from = [...steps];
      const started = performance.now();
      await new Promise((resolve) => setTimeout(resolve, measureMs));
      const seconds = (performance.now() - started) / 1000;
      const lanes = steps.map((step, i) => ({
        steps: step - from[i],
        stepsPerSecond: (step - from[i]) / seconds,
        step,
      }));
      await Promise.all(clients.map((client) => client.pause()));
      return { backend: chosen, lanes };
    } finally {
      for (const client of clients) client.terminate();
    }
  }

  /**
   * Trains `config` for `steps` steps once per entry of `variants` (fast-path switches), one after the other in
   * one fresh bench worker on `backend`, profiling the last `profile` steps of each (see BenchApi.train).
   * Parameters come back as plain arrays (JSON-friendly).
   */
  async fastPaths(
    config: unknown,
    backend: BackendName,
    variants: Partial<Record<FastPath, boolean>>[],
    steps: number,
    profile: number,
  ): Promise<(Omit<FastPathRun, 'parameters'> & { parameters: Record<string, number[]> })[]> {
    const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), {
      type: 'module',
      name: 'bench',
    });
    const remote = Comlink.wrap<BenchApi>(worker);
    try {
      const runs = [];
      for (const paths of variants) {
        const run = await remote.train(config, backend, paths, steps, profile);
        const parameters = Object.fromEntries(
          Object.entries(run.parameters).map(([name, values]) => [name, Array.from(values)]),
        );
        runs.push({ ...run, parameters });
      }
      return runs;
    } finally {
      worker.terminate();
    }
  }

  /** Bench workers kept open between calls (bench/pageVsNode.ts), by the caller's name for each. */
  private blockWorkers = new Map<string, { worker: Worker; remote: Comlink.Remote<BenchApi> }>();

  /** A new bench worker named `key` with one warm trainer per config on wasm (BenchApi.openBlocks). */
  async openBlocks(
    key: string,
    configs: unknown[],
    flags: Record<string, number | boolean> = {},
    setup: BlockSetup = {},
  ): Promise<WasmBuild> {
    await this.closeBlocks(key);
    const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), {
      type: 'module',
      name: `bench ${key}`,
    });
    const remote = Comlink.wrap<BenchApi>(worker);
    this.blockWorkers.set(key, { worker, remote });
    return remote.openBlocks(configs, flags, setup);
  }

  /** Wall ms per step of a block of `steps` steps of trainer `index` in worker `key` (BenchApi.timeBlock). */
  async timeBlock(key: string, index: number, steps: number): Promise<number> {
    const entry = this.blockWorkers.get(key);
    if (!entry) throw new Error(`no bench worker "${key}": call openBlocks first`);
    return entry.remote.timeBlock(index, steps);
  }

  async closeBlocks(key: string): Promise<void> {
    const entry = this.blockWorkers.get(key);
    if (!entry) return;
    this.blockWorkers.delete(key);
    await entry.remote.closeBlocks().catch(() => undefined);
    entry.worker.terminate();
  }

  /**
   * Times `config` on one backend in a fresh bench worker. A step cannot be interrupted, so `hardCapMs` is
   * enforced by terminating the worker: the result is then null (SwiftShader WebGPU needs minutes for the first
   * step of the classic transformer).
   */
  async bench(
    config: unknown,
    backend: BackendName,
    limits: TimingLimits,
    flags: Record<string, number | boolean> = {},
    hardCapMs = Number.POSITIVE_INFINITY,
    profileSteps = 0,
  ): Promise<BenchResult | null> {
    const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), {
      type: 'module',
      name: 'bench',
    });
    const remote = Comlink.wrap<BenchApi>(worker);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const cap = new Promise<null>((resolve) => {
      if (Number.isFinite(hardCapMs)) timer = setTimeout(() => resolve(null), hardCapMs);
    });
    try {
      return await Promise.race([remote.measure(config, backend, limits, flags, profileSteps), cap]);
    } finally {
      clearTimeout(timer);
      worker.terminate();
    }
  }
}

declare global {
  interface Window {
    grokHarness: Harness;
  }
}

window.grokHarness = new Harness();
document.title += ' (ready)';
