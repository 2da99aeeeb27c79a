/**
 * Test harness (not the app): exposes the training client on `window.grokHarness` so Playwright can drive the
 * real worker without the UI, and runs bench measurements in a bench worker. Keeps results JSON-friendly.
 */
import * as Comlink from 'comlink';
import type { BackendName } from '../engine/backend';
import type { TimingLimits } from '../worker/backendChoice';
import { createTrainingClient, type ClientBatch, type TrainingClient } from '../worker/client';
import type { BackendChoice, BackendReport, MetricRecord } from '../worker/protocol';
import type { BenchApi, BenchResult } from './bench.worker';

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
  client: TrainingClient | null = null;
  batches: ClientBatch[] = [];
  workerErrors: string[] = [];

  /** A fresh worker and run; returns the init result without its typed arrays. */
  async init(
    config: unknown,
    backend: BackendChoice = 'auto',
  ): Promise<{ ok: boolean; backend?: BackendReport; issues?: unknown; examples?: number }> {
    this.client?.terminate();
    this.batches = [];
    this.workerErrors = [];
    this.client = createTrainingClient();
    this.client.onBatch((batch) => this.batches.push(batch));
    this.client.onWorkerError((message) => this.workerErrors.push(message));
    const result = await this.client.init(config, backend);
    return result.ok
      ? { ok: true, backend: result.backend, examples: result.isTrain.length }
      : { ok: false, issues: result.issues };
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
      maxStepsPerSecond: Math.max(0, ...this.batches.map((batch) => batch.stepsPerSecond)),
      predictions: withPredictions?.predictions?.length ?? null,
      embeddingShape: withEmbedding?.embedding?.shape ?? null,
      messages: this.batches.flatMap((batch) => (batch.message ? [batch.message] : [])),
      rewinds: this.batches.flatMap((batch) => (batch.rewoundTo === null ? [] : [batch.rewoundTo])),
      workerErrors: this.workerErrors,
    };
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
      return await Promise.race([remote.measure(config, backend, limits, flags), cap]);
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
