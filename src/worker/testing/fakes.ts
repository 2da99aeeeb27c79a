/**
 * Test doubles for the session: a trainer whose "training" is a counter (so state-machine tests run in
 * milliseconds and can script divergence or faults). The engine's doubles (records, progress measures, a backend
 * host) are in src/engine/testing/fakes.ts, re-exported here for the session's tests.
 */
import { appendAll, replaceContents } from '../../engine/arrays';
import type { BackendName } from '../../engine/backend';
import { deepMerge, validateConfig, type Config, type DeepPartial } from '../../engine/config';
import { configEvents } from '../../engine/configEvents';
import type { ConfigEvent, MetricRecord } from '../../engine/records';
import type { TrainerState } from '../../engine/snapshot';
import type { Evaluation } from '../../engine/trainer';
import { fakeRecord } from '../../engine/testing/fakes';
import type { SessionTrainer } from '../session';
import type { UpdateResult } from '../protocol';

export { FakeHost, fakeProgress, fakeRecord } from '../../engine/testing/fakes';

export interface FakeBehaviour {
  /** Training loss reported at an evaluation of this step (default: decreasing, finite). */
  lossAt?(step: number): number;
  /** Throw from trainStep at this step on this backend (a lost device, a compile error…). */
  failAt?(step: number, backend: BackendName | null): string | null;
  /** Busy-waits this long per step, so chunking and pause latency can be observed. */
  stepMs?: number;
}

export class FakeTrainer implements SessionTrainer {
  step = 0;
  readonly history: MetricRecord[] = [];
  readonly events: ConfigEvent[] = [];
  disposed = false;
  evaluations = 0;
  readonly dataset = {
    title: 'fake',
    isTrain: Uint8Array.of(1, 0, 1, 0),
    targets: Int32Array.of(0, 1, 1, 0),
    grid: { size: 2, a: Int32Array.of(0, 0, 1, 1), b: Int32Array.of(0, 1, 0, 1) },
    tokenNames: ['0', '1'],
    operandVocabulary: 2,
  };
  readonly model = {
    sites: [{ name: 'hidden0', role: 'hidden' as const, dim: 4, label: 'hidden' }],
    parameterInfo: [{ name: 'embedding', shape: [2, 3], role: 'embedding' as const }],
  };

  constructor(
    public config: Config,
    readonly backend: BackendName | null,
    private readonly behaviour: FakeBehaviour = {},
  ) {}

  trainStep(): void {
    const failure = this.behaviour.failAt?.(this.step, this.backend);
    if (failure) throw new Error(failure);
    if (this.behaviour.stepMs) {
      const until = performance.now() + this.behaviour.stepMs;
      while (performance.now() < until) {
        // Busy-wait: a synchronous step, like trainStep on wasm.
      }
    }
    this.step++;
  }

  async settle(): Promise<void> {}

  async evaluate(): Promise<Evaluation> {
    this.evaluations++;
    const record = fakeRecord(this.step, this.behaviour.lossAt?.(this.step) ?? 1 / (1 + this.step));
    this.history.push(record);
    return { record, predictions: Int32Array.of(this.step, 1, 0, 1) };
  }

  update(patch: DeepPartial<Config>): UpdateResult {
    const result = validateConfig(deepMerge(this.config, patch));
    if (!result.ok) return result;
    const events = configEvents(this.config, result.config, patch, this.step);
    this.config = result.config;
    appendAll(this.events, events);
    return { ok: true, events };
  }

  async getState(): Promise<TrainerState> {
    return {
      config: this.config,
      step: this.step,
      parameters: { embedding: Float32Array.of(this.step, 0, 0, 0, 0, 0) },
      optimizer: { step: this.step, firstMoments: {}, secondMoments: {} },
      history: [...this.history],
      events: [...this.events],
      batchEpoch: 0,
    };
  }

  setState(state: TrainerState): void {
    this.step = state.step;
    replaceContents(this.history, state.history);
    replaceContents(this.events, state.events);
  }

  async readParameter(): Promise<{ values: Float32Array; shape: number[] }> {
    return { values: Float32Array.of(this.step, 1, 2, 3, 4, 5), shape: [2, 3] };
  }

  dispose(): void {
    this.disposed = true;
  }
}
