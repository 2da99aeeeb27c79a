import type { BackendName } from '../engine/backend';
import {
  DEFAULT_CONFIG,
  resolveConfig,
  validateConfig,
  type Config,
  type DeepPartial,
} from '../engine/config';
import { divergenceReason } from '../engine/divergence';
import { stepsToGrok } from '../engine/metrics/stepsToGrok';
import type { ParameterInfo, SiteInfo } from '../engine/models/model';
import { nextEvaluationStep } from '../engine/schedule';
import type { Dataset } from '../engine/tasks/dataset';
import type { Evaluation, TrainerState } from '../engine/trainer';
import {
  BACKEND_LABELS,
  BACKEND_ORDER,
  chooseBackend,
  isBackendChoice,
  isBackendFault,
  PROBE_LIMITS,
  type BackendHost,
  type Steppable,
  type TimingLimits,
} from './backendChoice';
import { MetricBatcher, type SendBatch } from './batcher';
import { realClock, type Clock } from './clock';
import type {
  BackendChoice,
  BackendReport,
  ConfigEvent,
  InitResult,
  MemoryReport,
  MetricRecord,
  RollbackResult,
  RunSnapshot,
  RunStatus,
  UpdateResult,
} from './protocol';
import { snapshotIssues } from './schema';

/** What the session needs of a trainer; the engine's Trainer has all of it, test fakes implement it. */
export interface SessionTrainer extends Steppable {
  readonly step: number;
  readonly config: Config;
  readonly history: MetricRecord[];
  readonly events: ConfigEvent[];
  readonly dataset: Pick<Dataset, 'title' | 'isTrain' | 'grid' | 'tokenNames' | 'operandVocabulary'>;
  readonly model: { readonly sites: readonly SiteInfo[]; readonly parameterInfo: readonly ParameterInfo[] };
  evaluate(): Promise<Evaluation>;
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
  /** The backend's tensor bookkeeping (tf.memory()), for leak checks from the page. */
  memory?(): MemoryReport;
}

/** Upper bound on steps per chunk, whatever the estimate says (keeps a mis-estimate from blocking for long). */
const MAX_CHUNK_STEPS = 5000;
/** stepsPerSecond is measured over about this window. */
const RATE_WINDOW_MS = 2000;

type Target = { kind: 'run' } | { kind: 'steps'; until: number };
type Outcome = 'continue' | 'paused' | 'finished' | 'diverged' | 'error';

/** Runs callbacks one at a time, in call order (an async mutex). */
class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Backends are timed again when something that changes the cost of a step changes. */
function probeKey(config: Config): string {
  return JSON.stringify([config.task, config.model, config.optimizer.batchSize]);
}

/**
 * One training run in the worker: the state machine behind TrainingApi (idle → running ⇄ paused → finished /
 * diverged / error), the chunked run loop, the adaptive evaluation schedule, streaming through a MetricBatcher,
 * and fault recovery (a backend that throws mid-run is replaced by the next one, resuming from the last
 * in-memory snapshot).
 *
 * Concurrency: the worker handles a message whenever the loop yields between chunks. Everything touching the
 * trainer runs under `lock`, so an update() lands between two chunks, never inside a step or an evaluation.
 * Operations that replace the run (init/reset/restore) and those that start the loop go through `control`,
 * so they apply in call order.
 */
export class TrainingSession {
  private readonly clock: Clock;
  private readonly options: SessionOptions;
  private readonly batcher: MetricBatcher;
  private readonly lock = new SerialQueue();
  private readonly control = new SerialQueue();
  private trainer: SessionTrainer | null = null;
  private report: BackendReport | null = null;
  private choice: BackendChoice = 'auto';
  private timedFor: string | null = null;
  private readonly failed = new Set<BackendName>();
  private status: RunStatus = 'idle';
  private loop: Promise<void> | null = null;
  private target: Target | null = null;
  private stopRequested = false;
  /** The loop is being torn down for a new run: skip its closing evaluation. */
  private abandon = false;
  private pendingFault: { backend: BackendName; reason: string } | null = null;
  private nextEvaluation = 0;
  private lastEvaluatedStep = -1;
  private stepMs = 0;
  private evaluationMs = 0;
  /** Totals since the trainer was (re)built, so the evaluation budget holds over the run. */
  private spent = { trainingMs: 0, evaluationMs: 0 };
  private warmedUp = false;
  private rateSamples: { time: number; step: number }[] = [];
  private lastSnapshot: TrainerState | null = null;
  private lastSnapshotAt = Number.NEGATIVE_INFINITY;
  /** The trainer changed since the last snapshot (steps, evaluations, config). */
  private snapshotStale = false;
  private embeddingStale = false;
  private lastEmbeddingAt = Number.NEGATIVE_INFINITY;
  /** Recent good states (finite loss and weights at an evaluation), oldest first: the rollback points. */
  private ring: TrainerState[] = [];
  private evaluationsSinceRing = 0;
  private lastRingAt = Number.NEGATIVE_INFINITY;
  private snapshotListener: ((snapshot: RunSnapshot) => void) | null = null;

  constructor(private readonly deps: SessionDependencies) {
    this.clock = deps.clock ?? realClock;
    this.options = { ...DEFAULT_SESSION_OPTIONS, ...deps.options };
    this.batcher = new MetricBatcher(this.clock, this.options.batchIntervalMs);
    deps.host.watch?.((backend, reason) => this.reportFault(backend, reason));
  }

  get currentStatus(): RunStatus {
    return this.status;
  }

  get backend(): BackendName | null {
    return this.report?.backend ?? null;
  }

  /** Where batches go; null disconnects. Pending content is sent at once to a new receiver. */
  subscribe(sender: SendBatch | null): void {
    this.batcher.connect(sender);
  }

  /** A fault noticed outside a chunk (WebGPU device lost): the next chunk fails over. */
  reportFault(backend: BackendName, reason: string): void {
    if (backend === this.report?.backend && this.trainer) this.pendingFault = { backend, reason };
  }

  async init(input: unknown, choice: BackendChoice = 'auto'): Promise<InitResult> {
    if (!isBackendChoice(choice)) {
      return {
        ok: false,
        issues: [{ path: 'backend', message: `must be auto, ${BACKEND_ORDER.join(', ')}` }],
      };
    }
    const resolved = resolveConfig(input);
    if (!resolved.ok) return resolved;
    return this.control.run(() => this.replaceRun(resolved.config, choice, null));
  }

  /** A new run from step 0; `input` overlays the current config (or the defaults before any init). */
  async reset(input?: unknown): Promise<InitResult> {
    return this.control.run(() => {
      const resolved = resolveConfig(
        input,
        this.trainer?.config ?? this.lastSnapshot?.config ?? DEFAULT_CONFIG,
      );
      if (!resolved.ok) return resolved;
      return this.replaceRun(resolved.config, this.choice, null);
    });
  }

  async restore(snapshot: unknown): Promise<InitResult> {
    const issues = snapshotIssues(snapshot);
    if (issues.length > 0) return { ok: false, issues };
    const state = snapshot as RunSnapshot;
    const validated = validateConfig(state.config);
    if (!validated.ok)
      return { ok: false, issues: validated.issues.map((i) => ({ ...i, path: `config.${i.path}` })) };
    return this.control.run(() =>
      this.replaceRun(validated.config, this.choice, { ...state, config: validated.config }),
    );
  }

  async start(): Promise<void> {
    await this.control.run(async () => {
      if (this.loop && !this.stopRequested) {
        this.target = { kind: 'run' };
        return;
      }
      await this.loop; // a loop still winding down after pause()
      const trainer = this.requireTrainer();
      if (trainer.step >= trainer.config.training.maxSteps) {
        this.batcher.addMessage(
          `Reached training.maxSteps (${trainer.config.training.maxSteps}); raise it to keep training.`,
        );
        this.setStatus('finished');
        return;
      }
      this.launch({ kind: 'run' });
    });
  }

  /** Trains `count` steps then pauses; resolves when done. Ignored while the run is already going. */
  async step(count: number): Promise<void> {
    const steps = Number.isFinite(count) ? Math.floor(count) : 0;
    const loop = await this.control.run(async () => {
      if (this.loop && !this.stopRequested) return null;
      await this.loop;
      const trainer = this.requireTrainer();
      if (steps < 1) {
        this.batcher.addMessage(`step(count) needs a count ≥ 1; got ${count}.`);
        return null;
      }
      this.launch({ kind: 'steps', until: trainer.step + steps });
      return this.loop;
    });
    await loop;
  }

  async pause(): Promise<void> {
    const loop = this.loop;
    if (!loop) return;
    this.stopRequested = true;
    await loop;
  }

  async update(patch: unknown): Promise<UpdateResult> {
    if (!isPlainObject(patch))
      return { ok: false, issues: [{ path: '', message: 'a patch must be a JSON object' }] };
    return this.lock.run(() => {
      const trainer = this.requireTrainer();
      let result: UpdateResult;
      try {
        result = trainer.update(patch as DeepPartial<Config>);
      } catch (error) {
        return { ok: false, issues: [{ path: '', message: reasonOf(error) }] };
      }
      if (!result.ok || result.events.length === 0) return result;
      this.batcher.addEvents(result.events);
      // The restart point should include the change: snapshot before the next step.
      this.lastSnapshotAt = Number.NEGATIVE_INFINITY;
      this.snapshotStale = true;
      if (result.events.some((event) => event.path.startsWith('training.'))) {
        this.nextEvaluation =
          this.lastEvaluatedStep < 0 ? trainer.step : this.scheduleAfter(this.lastEvaluatedStep, trainer);
      }
      if (this.status === 'finished' && !this.loop && trainer.step < trainer.config.training.maxSteps) {
        this.setStatus('paused');
      }
      return result;
    });
  }

  /** Weights, optimizer state and history, taken between two chunks. After a fatal fault: the last snapshot. */
  async snapshot(): Promise<RunSnapshot> {
    return this.lock.run(async () => {
      if (this.trainer) return { ...(await this.trainer.getState()), version: 1 as const };
      if (this.lastSnapshot) return { ...this.lastSnapshot, version: 1 as const };
      throw new Error('no run to snapshot: call init first');
    });
  }

  /**
   * Receives every periodic in-memory snapshot (taken between chunks at most every snapshotIntervalMs while the
   * run changes, and when it pauses): the page keeps the latest, so a new worker can resume if this one dies.
   */
  onSnapshot(listener: ((snapshot: RunSnapshot) => void) | null): void {
    this.snapshotListener = listener;
  }

  /** Steps of the kept rollback points, oldest first. */
  rollbackPoints(): number[] {
    return this.ring.map((state) => state.step);
  }

  memory(): MemoryReport | null {
    return this.deps.memory?.() ?? null;
  }

  /**
   * Goes back to the last rollback point at or before `toStep` (default: the latest): weights, optimizer
   * moments, regularizer state, history, events and the live config as they were then, with the learning rate
   * multiplied by `lrFactor` (default 0.5; the change is recorded as a ConfigEvent at that step). The run is
   * paused afterwards; the page drops records after that step (the batch's rewoundTo).
   */
  async rollback(toStep?: unknown, lrFactor?: unknown): Promise<RollbackResult> {
    const limit = toStep === undefined || toStep === null ? Number.POSITIVE_INFINITY : toStep;
    if (typeof limit !== 'number' || Number.isNaN(limit)) {
      return { ok: false, issues: [{ path: 'toStep', message: 'must be a step number' }] };
    }
    const factor = lrFactor === undefined || lrFactor === null ? ROLLBACK_LR_FACTOR : lrFactor;
    if (typeof factor !== 'number' || !Number.isFinite(factor) || factor <= 0) {
      return { ok: false, issues: [{ path: 'lrFactor', message: 'must be a number > 0' }] };
    }
    return this.control.run(async () => {
      if (!this.trainer) return { ok: false, issues: [{ path: '', message: 'no run: call init first' }] };
      await this.stopLoop(true);
      const result = await this.lock.run(() => this.rollbackTo(limit, factor));
      // The loop was stopped for nothing: leave the run paused where it is.
      if (!result.ok && this.status === 'running') this.setStatus('paused');
      return result;
    });
  }

  private async rollbackTo(limit: number, factor: number): Promise<RollbackResult> {
    const trainer = this.trainer;
    if (!trainer) return { ok: false, issues: [{ path: '', message: 'no run: call init first' }] };
    const point = [...this.ring].reverse().find((state) => state.step <= limit);
    if (!point) {
      const kept = this.ring.map((state) => state.step).join(', ') || 'none';
      return {
        ok: false,
        issues: [{ path: 'toStep', message: `no rollback point at or before step ${limit} (kept: ${kept})` }],
      };
    }
    const from = point.config.optimizer.lr;
    const lr = from * factor;
    const check = validateConfig({ ...point.config, optimizer: { ...point.config.optimizer, lr } });
    if (!check.ok)
      return { ok: false, issues: check.issues.map((i) => ({ ...i, path: i.path || 'lrFactor' })) };
    const { optimizer, regularizers, training } = point.config;
    try {
      // The live config as it was (its events are then replaced by the point's own), the state, then the new lr.
      const back = trainer.update({ optimizer, regularizers, training } as DeepPartial<Config>);
      if (!back.ok) return back;
      trainer.setState(point);
    } catch (error) {
      return { ok: false, issues: [{ path: 'snapshot', message: reasonOf(error) }] };
    }
    const changed = trainer.update({ optimizer: { lr } });
    if (!changed.ok) return changed;
    this.ring = this.ring.filter((state) => state.step <= point.step);
    this.evaluationsSinceRing = 0;
    this.lastRingAt = this.clock.now();
    this.resetSchedule(trainer);
    this.batcher.rewind(point.step);
    this.batcher.addEvents(changed.events);
    this.batcher.addMessage(
      `Rolled back to step ${point.step}; learning rate ${from} → ${lr} (×${factor}). Press start to continue.`,
    );
    await this.takeSnapshot(trainer);
    this.setStatus('paused');
    return { ok: true, step: point.step, config: trainer.config, events: changed.events };
  }

  /** Stops the loop and frees the trainer (tests; the worker lives as long as the page). */
  async dispose(): Promise<void> {
    await this.stopLoop(true);
    await this.lock.run(() => this.disposeTrainer());
    this.batcher.connect(null);
  }

  // ——— run lifecycle ———

  private requireTrainer(): SessionTrainer {
    if (this.trainer) return this.trainer;
    throw new Error(
      this.status === 'error'
        ? 'the run stopped on an error: reset() or restore() it'
        : 'no run: call init first',
    );
  }

  private async stopLoop(abandon: boolean): Promise<void> {
    const loop = this.loop;
    if (!loop) return;
    this.stopRequested = true;
    this.abandon = abandon;
    await loop;
  }

  private disposeTrainer(): void {
    const trainer = this.trainer;
    this.trainer = null;
    try {
      trainer?.dispose();
    } catch {
      // A backend that faulted (lost device) may refuse to free; its memory is gone with it.
    }
  }

  private async replaceRun(
    config: Config,
    choice: BackendChoice,
    state: TrainerState | null,
  ): Promise<InitResult> {
    await this.stopLoop(true);
    return this.lock.run(async () => {
      this.disposeTrainer();
      this.batcher.discard();
      this.pendingFault = null;
      this.failed.clear();
      let trainer: SessionTrainer;
      try {
        const key = probeKey(config);
        if (!this.report || choice !== this.choice || key !== this.timedFor) {
          this.report = await chooseBackend({
            choice,
            host: this.deps.host,
            createProbe: () => this.deps.createTrainer(config),
            clock: this.clock,
            limits: this.options.probe,
          });
          this.choice = choice;
          this.timedFor = key;
        } else {
          await this.deps.host.activate(this.report.backend);
        }
        trainer = this.deps.createTrainer(config);
      } catch (error) {
        this.report = null;
        this.setStatus('error');
        return { ok: false, issues: [{ path: '', message: reasonOf(error) }] };
      }
      if (state) {
        try {
          trainer.setState(state);
        } catch (error) {
          trainer.dispose();
          this.setStatus('idle');
          return { ok: false, issues: [{ path: 'snapshot', message: reasonOf(error) }] };
        }
      }
      this.trainer = trainer;
      this.ring = [];
      this.evaluationsSinceRing = 0;
      this.lastRingAt = Number.NEGATIVE_INFINITY;
      this.lastSnapshot = state;
      this.lastSnapshotAt = state ? this.clock.now() : Number.NEGATIVE_INFINITY;
      this.snapshotStale = !state;
      this.resetSchedule(trainer);
      this.setStatus(trainer.step > 0 ? 'paused' : 'idle');
      return describeRun(trainer, this.report);
    });
  }

  private resetSchedule(trainer: SessionTrainer): void {
    const last = trainer.history.at(-1);
    this.lastEvaluatedStep = last?.step ?? -1;
    this.stepMs = 0;
    this.evaluationMs = 0;
    this.spent = { trainingMs: 0, evaluationMs: 0 };
    this.warmedUp = false;
    this.nextEvaluation = last ? this.scheduleAfter(last.step, trainer) : 0;
    this.embeddingStale = true;
    this.lastEmbeddingAt = Number.NEGATIVE_INFINITY;
  }

  private scheduleAfter(step: number, trainer: SessionTrainer): number {
    return nextEvaluationStep(step, trainer.config.training.evalEvery, {
      stepMs: this.stepMs,
      evaluationMs: this.evaluationMs,
      spent: this.spent,
    });
  }

  private launch(target: Target): void {
    this.target = target;
    this.stopRequested = false;
    this.abandon = false;
    this.rateSamples = [{ time: this.clock.now(), step: this.trainer!.step }];
    this.setStatus('running');
    this.loop = this.runLoop().finally(() => {
      this.loop = null;
      this.target = null;
    });
  }

  private async runLoop(): Promise<void> {
    let outcome: Outcome = 'continue';
    while (outcome === 'continue') {
      if (this.stopRequested) {
        outcome = 'paused';
        break;
      }
      try {
        outcome = await this.lock.run(() => this.chunk());
      } catch (error) {
        // A failure of the run itself (its task, its shapes) would repeat on every backend: stop, keep the backend.
        if (!isBackendFault(error)) {
          this.batcher.addMessage(`Training stopped at step ${this.trainer?.step ?? 0}: ${reasonOf(error)}`);
          outcome = 'error';
        } else if (!(await this.lock.run(() => this.recover(error)))) outcome = 'error';
      }
      this.publish();
      if (outcome === 'continue') await this.clock.yield();
    }
    if (this.abandon) return;
    if (outcome === 'paused') outcome = await this.closingEvaluation();
    this.setStatus(outcome === 'continue' ? 'paused' : outcome);
  }

  /** After a pause: evaluate the step the run stopped at, so the page shows where it is. */
  private async closingEvaluation(): Promise<Outcome> {
    try {
      return await this.lock.run(async () => {
        const trainer = this.trainer;
        if (!trainer) return 'error';
        if (this.lastEvaluatedStep !== trainer.step) {
          const verdict = await this.evaluate(trainer);
          if (verdict !== 'continue') return verdict;
        }
        if (this.embeddingStale) await this.readEmbedding(trainer);
        // The page's copy should hold where the run stopped (a crash while paused loses nothing).
        if (this.snapshotStale && this.snapshotListener) await this.takeSnapshot(trainer);
        return 'paused';
      });
    } catch (error) {
      this.batcher.addMessage(`The closing evaluation failed: ${reasonOf(error)}`);
      return 'paused';
    }
  }

  private targetStep(trainer: SessionTrainer): number {
    const target = this.target!;
    return target.kind === 'run' ? trainer.config.training.maxSteps : target.until;
  }

  /** One unit of work between two yields: an evaluation, or as many steps as fit in ~chunkMs. */
  private async chunk(): Promise<Outcome> {
    const trainer = this.requireTrainer();
    const fault = this.pendingFault;
    if (fault) throw new Error(`${BACKEND_LABELS[fault.backend]}: ${fault.reason}`);
    const target = this.targetStep(trainer);
    const reached = trainer.step >= target;
    if (trainer.step >= this.nextEvaluation || (reached && this.lastEvaluatedStep !== trainer.step)) {
      const verdict = await this.evaluate(trainer);
      if (verdict !== 'continue' || trainer.step < target) return verdict;
    }
    if (trainer.step >= target) {
      if (this.embeddingStale) await this.readEmbedding(trainer);
      return this.target!.kind === 'run' ? 'finished' : 'paused';
    }
    if (this.snapshotStale && this.clock.now() - this.lastSnapshotAt >= this.options.snapshotIntervalMs) {
      // A chunk of its own: reading weights and moments back costs about one step on GPU backends.
      await this.takeSnapshot(trainer);
      return 'continue';
    }
    if (this.embeddingStale && this.clock.now() - this.lastEmbeddingAt >= this.options.batchIntervalMs) {
      await this.readEmbedding(trainer);
    }
    const room = Math.min(target, this.nextEvaluation) - trainer.step;
    const fits = this.stepMs > 0 ? Math.floor(this.options.chunkMs / this.stepMs) : 1;
    const steps = Math.max(1, Math.min(room, fits, MAX_CHUNK_STEPS));
    const started = this.clock.now();
    // No read-back per step: trainStep only queues work on GPU backends; one settle() per chunk.
    this.snapshotStale = true;
    for (let i = 0; i < steps; i++) trainer.trainStep();
    await trainer.settle();
    const elapsed = this.clock.now() - started;
    this.spent.trainingMs += elapsed;
    const perStep = elapsed / steps;
    if (!this.warmedUp) {
      // The first chunk after (re)building a trainer pays shader compilation and allocation: not typical.
      this.warmedUp = true;
      if (this.stepMs === 0) this.stepMs = perStep;
    } else {
      this.stepMs = this.stepMs === 0 ? perStep : 0.6 * this.stepMs + 0.4 * perStep;
    }
    this.sampleRate(trainer.step);
    return 'continue';
  }

  /** Evaluates, streams the record, checks divergence and the grok stop, snapshots if due. */
  private async evaluate(trainer: SessionTrainer): Promise<Outcome> {
    const started = this.clock.now();
    const { record, predictions } = await trainer.evaluate();
    this.lastEvaluatedStep = trainer.step;
    this.batcher.addRecord(record);
    this.batcher.setPredictions(predictions.slice());
    this.embeddingStale = true;
    const diverged = divergenceReason(record);
    if (diverged !== null) {
      const point = this.ring.at(-1);
      this.batcher.addMessage(
        `Diverged at step ${record.step}: ${diverged}. Training is paused; ` +
          (point
            ? `roll back to step ${point.step} and lower the learning rate (×${ROLLBACK_LR_FACTOR}), or reset.`
            : 'lower the learning rate and reset, or restore a snapshot.'),
      );
      await this.readEmbedding(trainer);
      return 'diverged';
    }
    this.snapshotStale = true;
    await this.keepRollbackPoint(trainer);
    if (this.clock.now() - this.lastEmbeddingAt >= this.options.batchIntervalMs)
      await this.readEmbedding(trainer);
    this.evaluationMs = this.clock.now() - started;
    this.spent.evaluationMs += this.evaluationMs;
    this.nextEvaluation = this.scheduleAfter(trainer.step, trainer);
    const { grokThreshold, stopAfterGrok } = trainer.config.training;
    const grokked = stepsToGrok(trainer.history, grokThreshold);
    if (
      this.target?.kind === 'run' &&
      grokked !== null &&
      stopAfterGrok > 0 &&
      trainer.step >= grokked + stopAfterGrok
    ) {
      this.batcher.addMessage(
        `Grokked at step ${grokked}; stopped ${stopAfterGrok} steps later (training.stopAfterGrok).`,
      );
      if (this.embeddingStale) await this.readEmbedding(trainer);
      return 'finished';
    }
    return 'continue';
  }

  /** The in-memory restart point after a fault, also posted to the page when it listens. */
  private async takeSnapshot(trainer: SessionTrainer): Promise<void> {
    this.lastSnapshot = await trainer.getState();
    this.lastSnapshotAt = this.clock.now();
    this.snapshotStale = false;
    this.snapshotListener?.({ ...this.lastSnapshot, version: 1 });
  }

  /** At a good evaluation: keeps a rollback point when one is due, within the count and byte budgets. */
  private async keepRollbackPoint(trainer: SessionTrainer): Promise<void> {
    this.evaluationsSinceRing++;
    const due =
      this.ring.length === 0 ||
      this.evaluationsSinceRing >= this.options.rollbackEveryEvaluations ||
      this.clock.now() - this.lastRingAt >= this.options.rollbackIntervalMs;
    if (!due || this.ring.at(-1)?.step === trainer.step) return;
    this.ring.push(await trainer.getState());
    this.evaluationsSinceRing = 0;
    this.lastRingAt = this.clock.now();
    // Over budget: drop the second-oldest, so the earliest point (usually step 0) stays reachable.
    while (
      this.ring.length > 1 &&
      (this.ring.length > this.options.rollbackPoints ||
        this.ring.reduce((sum, state) => sum + stateBytes(state), 0) > this.options.rollbackMaxBytes)
    ) {
      this.ring.splice(this.ring.length > 2 ? 1 : 0, 1);
    }
  }

  private async readEmbedding(trainer: SessionTrainer): Promise<void> {
    this.embeddingStale = false;
    this.lastEmbeddingAt = this.clock.now();
    if (!trainer.model.parameterInfo.some((info) => info.name === 'embedding')) return;
    const { values, shape } = await trainer.readParameter('embedding');
    // A copy: the batcher transfers the buffer, and data() may hand out the backend's own array (cpu backend).
    this.batcher.setEmbedding(values.slice(), [shape[0], shape[1] ?? 1]);
  }

  /**
   * A chunk threw (lost device, shader compile error, out of memory, missing kernel): move to the next backend
   * in BACKEND_ORDER that starts, rebuild the trainer there from the last snapshot, and keep going. Config
   * changes made after that snapshot are carried over (the new trainer is built with the current config) and
   * re-stamped at the step the run resumes from. Returns false when no backend could take over.
   */
  private async recover(error: unknown): Promise<boolean> {
    const failedTrainer = this.trainer;
    const from = this.report?.backend;
    if (!failedTrainer || !from || !this.report) return false;
    const reason = reasonOf(error);
    const faultStep = failedTrainer.step;
    const config = failedTrainer.config;
    const carried = failedTrainer.events.slice(this.lastSnapshot?.events.length ?? 0);
    this.pendingFault = null;
    this.failed.add(from);
    this.disposeTrainer();
    this.deps.host.discard?.(from);
    const skipped = [
      ...this.report.skipped,
      { backend: from, reason: `failed at step ${faultStep}: ${reason}` },
    ];
    for (const next of BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(from) + 1)) {
      if (this.failed.has(next)) continue;
      let trainer: SessionTrainer | null = null;
      try {
        await this.deps.host.activate(next);
        trainer = this.deps.createTrainer(config);
        if (this.lastSnapshot) trainer.setState(this.lastSnapshot);
      } catch (nextError) {
        try {
          trainer?.dispose();
        } catch {
          // Freeing a half-built trainer on a broken backend: nothing more to do.
        }
        this.failed.add(next);
        skipped.push({ backend: next, reason: `could not take over: ${reasonOf(nextError)}` });
        continue;
      }
      const resumed = trainer.step;
      const restamped = carried.map((event) => ({ ...event, step: resumed }));
      trainer.events.push(...restamped);
      this.trainer = trainer;
      const note = `${BACKEND_LABELS[from]} failed at step ${faultStep} (${reason}); continuing on ${BACKEND_LABELS[next]} from step ${resumed}.`;
      this.report = { ...this.report, backend: next, skipped, summary: note };
      this.resetSchedule(trainer);
      this.rateSamples = [{ time: this.clock.now(), step: resumed }];
      // Without a snapshot the run restarts from scratch: every record so far is void (-1).
      this.batcher.rewind(this.lastSnapshot ? resumed : -1);
      this.batcher.addEvents(restamped);
      this.batcher.addMessage(note);
      return true;
    }
    this.report = { ...this.report, skipped };
    this.batcher.addMessage(
      `Training stopped at step ${faultStep}: ${BACKEND_LABELS[from]} failed (${reason}) and no other backend could take over. ` +
        'snapshot() still returns the last good state.',
    );
    return false;
  }

  // ——— streaming ———

  private sampleRate(step: number): void {
    const now = this.clock.now();
    this.rateSamples.push({ time: now, step });
    while (this.rateSamples.length > 2 && now - this.rateSamples[1].time >= RATE_WINDOW_MS)
      this.rateSamples.shift();
  }

  private stepsPerSecond(): number {
    if (this.status !== 'running' || this.rateSamples.length < 2) return 0;
    const first = this.rateSamples[0];
    const last = this.rateSamples[this.rateSamples.length - 1];
    const seconds = (last.time - first.time) / 1000;
    return seconds > 0 ? (last.step - first.step) / seconds : 0;
  }

  private setStatus(status: RunStatus): void {
    this.status = status;
    this.publish();
  }

  private publish(): void {
    const backend = this.report?.backend;
    if (!backend) return;
    this.batcher.setProgress({
      status: this.status,
      step: this.trainer?.step ?? this.lastSnapshot?.step ?? 0,
      stepsPerSecond: this.stepsPerSecond(),
      backend,
    });
  }
}

function describeRun(trainer: SessionTrainer, report: BackendReport): InitResult {
  const { dataset } = trainer;
  return {
    ok: true,
    backend: report,
    config: trainer.config,
    step: trainer.step,
    sites: trainer.model.sites.map(({ name, label, role, dim }) => ({ name, label, role, dim })),
    datasetTitle: dataset.title,
    gridSize: dataset.grid?.size ?? null,
    grid: dataset.grid ? { size: dataset.grid.size, a: dataset.grid.a, b: dataset.grid.b } : null,
    isTrain: dataset.isTrain,
    tokenNames: dataset.tokenNames,
    operandVocabulary: dataset.operandVocabulary,
  };
}

/** Bytes of a state's weights and optimizer moments (what a rollback point costs). */
function stateBytes(state: TrainerState): number {
  const arrays = [
    ...Object.values(state.parameters),
    ...Object.values(state.optimizer.firstMoments),
    ...Object.values(state.optimizer.secondMoments),
  ];
  return arrays.reduce((sum, array) => sum + array.byteLength, 0);
}
