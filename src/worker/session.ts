/**
 * One training run in the worker: the façade behind TrainingApi. Its parts live in ./session/: the run loop
 * (runLoop.ts), the evaluation schedule (evaluationSchedule.ts), the rollback ring (rollbackRing.ts), the
 * restart point and its posting to the page (restartPoint.ts), the backend in use and fail-over
 * (backendSelection.ts), the steps-per-second meter (stepRate.ts); the stop rules are the engine's
 * (engine/stopRules.ts), shared with the headless loop.
 */
import type { NandaAnalysis } from '../engine/metrics/nandaProgress';
import { ProgressCheckpoints } from '../engine/metrics/progressCheckpoints';
import { progressSupport } from '../engine/metrics/progressMeasures';
import type { BackendName } from '../engine/backend';
import {
  DEFAULT_CONFIG,
  resolveConfig,
  validateConfig,
  type Config,
  type DeepPartial,
} from '../engine/config';
import { isPlainObject } from '../engine/plainObjects';
import { budgetMessage, budgetReached } from '../engine/stopRules';
import type { TrainerState } from '../engine/snapshot';
import { BACKEND_ORDER, isBackendChoice } from '../engine/backendChoice';
import { MetricBatcher, type SendBatch } from './batcher';
import { realClock, type Clock } from './clock';
import type {
  BackendChoice,
  InitResult,
  MemoryReport,
  RollbackResult,
  RunSnapshot,
  RunStatus,
  UpdateResult,
} from './protocol';
import { BackendSelection } from './session/backendSelection';
import { describeRun } from './session/describeRun';
import { EvaluationSchedule } from './session/evaluationSchedule';
import { SnapshotKeeper } from './session/keeper';
import { keepTargetSchema } from './keepTarget';
import { RestartPoint } from './session/restartPoint';
import { rewindTrainer, RollbackRing } from './session/rollbackRing';
import { RunLoop } from './session/runLoop';
import { SerialQueue } from './session/serialQueue';
import { snapshotIssues } from '../engine/snapshot';
import { StepRate } from './session/stepRate';
import {
  DEFAULT_SESSION_OPTIONS,
  reasonOf,
  ROLLBACK_LR_FACTOR,
  type SessionDependencies,
  type SessionOptions,
  type SessionTrainer,
} from './session/types';

export {
  DEFAULT_SESSION_OPTIONS,
  ROLLBACK_LR_FACTOR,
  type SessionDependencies,
  type SessionOptions,
  type SessionTrainer,
};

/**
 * The state machine behind TrainingApi (idle → running ⇄ paused → finished / diverged / error), streaming
 * through a MetricBatcher, rollback, and fault recovery (a backend that throws mid-run is replaced by the next
 * one, resuming from the last in-memory snapshot).
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
  private readonly schedule = new EvaluationSchedule();
  private readonly ring: RollbackRing;
  private readonly restartPoint: RestartPoint;
  private readonly keeper: SnapshotKeeper;
  private readonly rate = new StepRate();
  private readonly checkpoints = new ProgressCheckpoints();
  private readonly loop: RunLoop;
  private readonly backends: BackendSelection;
  private trainer: SessionTrainer | null = null;
  private status: RunStatus = 'idle';

  constructor(private readonly deps: SessionDependencies) {
    this.clock = deps.clock ?? realClock;
    this.options = { ...DEFAULT_SESSION_OPTIONS, ...deps.options };
    this.batcher = new MetricBatcher(this.clock, this.options.batchIntervalMs);
    this.ring = new RollbackRing(this.options);
    this.restartPoint = new RestartPoint(this.clock, this.options.snapshotIntervalMs);
    this.keeper = new SnapshotKeeper(this.clock, this.options.keepIntervalMs, deps.keep);
    this.backends = new BackendSelection(deps, this.clock, this.options.probe);
    this.loop = new RunLoop({
      clock: this.clock,
      options: this.options,
      batcher: this.batcher,
      lock: this.lock,
      schedule: this.schedule,
      ring: this.ring,
      restartPoint: this.restartPoint,
      keeper: this.keeper,
      rate: this.rate,
      checkpoints: this.checkpoints,
      requireTrainer: () => this.requireTrainer(),
      currentTrainer: () => this.trainer,
      throwPendingFault: () => this.backends.throwPendingFault(),
      recover: (error) => this.recover(error),
      setStatus: (status) => this.setStatus(status),
      publish: () => this.publish(),
    });
    deps.host.watch?.((backend, reason) => this.reportFault(backend, reason));
  }

  get currentStatus(): RunStatus {
    return this.status;
  }

  get backend(): BackendName | null {
    return this.backends.report?.backend ?? null;
  }

  /** Where batches go; null disconnects. Pending content is sent at once to a new receiver. */
  subscribe(sender: SendBatch | null): void {
    this.batcher.connect(sender);
  }

  /** A fault noticed outside a chunk (WebGPU device lost): the next chunk fails over. */
  reportFault(backend: BackendName, reason: string): void {
    if (this.trainer) this.backends.reportFault(backend, reason);
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
        this.trainer?.config ?? this.restartPoint.last?.config ?? DEFAULT_CONFIG,
      );
      if (!resolved.ok) return resolved;
      return this.replaceRun(resolved.config, this.backends.choice, null);
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
      this.replaceRun(validated.config, this.backends.choice, { ...state, config: validated.config }),
    );
  }

  async start(): Promise<void> {
    await this.control.run(async () => {
      if (this.loop.going) {
        this.loop.retarget({ kind: 'run' });
        return;
      }
      await this.loop.ended(); // a loop still winding down after pause()
      const trainer = this.requireTrainer();
      const { maxSteps } = trainer.config.training;
      if (budgetReached(trainer.step, maxSteps)) {
        this.batcher.addMessage(budgetMessage(maxSteps));
        this.setStatus('finished');
        return;
      }
      void this.loop.launch({ kind: 'run' });
    });
  }

  /** Trains `count` steps then pauses; resolves when done. Ignored while the run is already going. */
  async step(count: number): Promise<void> {
    const steps = Number.isFinite(count) ? Math.floor(count) : 0;
    const loop = await this.control.run(async () => {
      if (this.loop.going) return null;
      await this.loop.ended();
      const trainer = this.requireTrainer();
      if (steps < 1) {
        this.batcher.addMessage(`step(count) needs a count ≥ 1; got ${count}.`);
        return null;
      }
      return this.loop.launch({ kind: 'steps', until: trainer.step + steps });
    });
    await loop;
    this.batcher.flush();
  }

  /** Resolves once stopped, its last batch sent: the page shows 'paused' with the step the run stopped at. */
  async pause(): Promise<void> {
    await this.loop.pause();
    this.batcher.flush();
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
      this.restartPoint.changedNow();
      this.keeper.changed();
      if (result.events.some((event) => event.path.startsWith('training.'))) {
        this.schedule.reschedule(trainer.step, trainer.config.training.evalEvery);
      }
      const { maxSteps } = trainer.config.training;
      if (this.status === 'finished' && !this.loop.exists && !budgetReached(trainer.step, maxSteps)) {
        this.setStatus('paused');
      }
      return result;
    });
  }

  /** Weights, optimizer state and history, taken between two chunks. After a fatal fault: the last snapshot. */
  async snapshot(): Promise<RunSnapshot> {
    return this.lock.run(async () => {
      if (this.trainer) return { ...(await this.trainer.getState()), version: 1 as const };
      const last = this.restartPoint.last;
      if (last) return { ...last, version: 1 as const };
      throw new Error('no run to snapshot: call init first');
    });
  }

  /**
   * Receives every periodic in-memory snapshot (taken between chunks at most every snapshotIntervalMs while the
   * run changes, and when it pauses): the page keeps the latest, so a new worker can resume if this one dies.
   */
  onSnapshot(listener: ((snapshot: RunSnapshot) => void) | null): void {
    this.restartPoint.listen(listener);
  }

  /**
   * Nanda et al.'s restricted/excluded loss over the run's evaluations, with the latest evaluation's key
   * frequencies (nandaProgress.ts): an after-the-run analysis, computed when asked. Null where the task has no
   * wave structure or nothing was evaluated since the run was (re)built: a restored run's earlier logits are gone.
   */
  async progressAnalysis(): Promise<NandaAnalysis | null> {
    return this.lock.run(() => {
      const trainer = this.trainer;
      const support = trainer ? progressSupport(trainer.config.task) : null;
      const grid = trainer?.dataset.grid;
      if (!trainer || !support?.defined || !grid) return null;
      return this.checkpoints.analyse({
        a: grid.a,
        b: grid.b,
        targets: trainer.dataset.targets,
        isTrain: trainer.dataset.isTrain,
        p: grid.size,
        sign: support.sign,
      });
    });
  }

  /**
   * Where this worker keeps its run in IndexedDB from now on (null: nowhere): at most every keepIntervalMs while
   * it trains and when it stops, so a reload loses about that much. A paused run with progress is kept at once
   * (the page moved it to another record). Refuses a malformed target.
   */
  async keepIn(target: unknown): Promise<void> {
    const parsed = keepTargetSchema.safeParse(target);
    if (!parsed.success) throw new Error(`keepIn: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    this.keeper.retarget(parsed.data);
    await this.lock.run(async () => {
      const trainer = this.trainer;
      if (trainer && trainer.step > 0 && !this.loop.going) await this.keeper.take(trainer);
    });
  }

  /** Resolves once the run's kept snapshots have been written (tests). */
  async keptSettled(): Promise<void> {
    await this.keeper.settled();
  }

  /** Steps of the kept rollback points, oldest first. */
  rollbackPoints(): number[] {
    return this.ring.steps();
  }

  /** The backend's tensor count and bytes (TrainingApi.debugMemory); null when the host does not say. */
  debugMemory(): MemoryReport | null {
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
      await this.loop.stop(true);
      const result = await this.lock.run(() => this.rollbackTo(limit, factor));
      // The loop was stopped for nothing: leave the run paused where it is.
      if (!result.ok && this.status === 'running') this.setStatus('paused');
      return result;
    });
  }

  private async rollbackTo(limit: number, factor: number): Promise<RollbackResult> {
    const trainer = this.trainer;
    if (!trainer) return { ok: false, issues: [{ path: '', message: 'no run: call init first' }] };
    const point = this.ring.atOrBefore(limit);
    if (!point) {
      const kept = this.ring.steps().join(', ') || 'none';
      return {
        ok: false,
        issues: [{ path: 'toStep', message: `no rollback point at or before step ${limit} (kept: ${kept})` }],
      };
    }
    const rewound = rewindTrainer(trainer, point, factor);
    if (!rewound.ok) return rewound;
    const { from, lr, events } = rewound;
    this.ring.rewindTo(point.step, this.clock.now());
    this.checkpoints.truncateAfter(point.step);
    this.keeper.changed();
    this.restartRun(trainer);
    this.batcher.rewind(point.step);
    this.batcher.addEvents(events);
    this.batcher.addMessage(
      `Rolled back to step ${point.step}; learning rate ${from} → ${lr} (×${factor}). Press start to continue.`,
    );
    await this.restartPoint.take(trainer);
    this.setStatus('paused');
    return { ok: true, step: point.step, config: trainer.config, events };
  }

  /** Stops the loop and frees the trainer (tests; the worker lives as long as the page). */
  async dispose(): Promise<void> {
    await this.loop.stop(true);
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
    await this.loop.stop(true);
    return this.lock.run(async () => {
      this.disposeTrainer();
      this.batcher.discard();
      let trainer: SessionTrainer;
      try {
        trainer = await this.backends.trainerFor(config, choice);
      } catch (error) {
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
      this.ring.clear();
      this.checkpoints.clear();
      this.restartPoint.reset(state);
      this.keeper.reset();
      this.restartRun(trainer);
      this.setStatus(trainer.step > 0 ? 'paused' : 'idle');
      return describeRun(trainer, this.backends.report!);
    });
  }

  /** A trainer (re)built or rewound: its costs are measured anew and its embedding read back again. */
  private restartRun(trainer: SessionTrainer): void {
    this.schedule.restart(trainer.history.at(-1)?.step, trainer.config.training.evalEvery);
    this.loop.embeddingChanged();
  }

  /**
   * A chunk threw (lost device, shader compile error, out of memory, missing kernel): the run moves to the next
   * backend that starts, from the last snapshot (backendSelection.ts). Returns false when none could take over.
   */
  private async recover(error: unknown): Promise<boolean> {
    const failedTrainer = this.trainer;
    if (!failedTrainer || !this.backends.report) return false;
    const snapshot = this.restartPoint.last;
    const run = {
      step: failedTrainer.step,
      config: failedTrainer.config,
      carried: failedTrainer.events.slice(snapshot?.events.length ?? 0),
      snapshot,
      reason: reasonOf(error),
    };
    const outcome = await this.backends.failOver(run, () => this.disposeTrainer());
    if (!outcome.ok) {
      this.batcher.addMessage(outcome.message);
      return false;
    }
    const { trainer } = outcome;
    this.trainer = trainer;
    this.keeper.changed();
    this.restartRun(trainer);
    this.rate.restart(this.clock.now(), trainer.step);
    // Without a snapshot the run restarts from scratch: every record so far is void (-1).
    this.batcher.rewind(snapshot ? trainer.step : -1);
    this.batcher.addEvents(outcome.restamped);
    this.batcher.addMessage(outcome.note);
    return true;
  }

  // ——— streaming ———

  private setStatus(status: RunStatus): void {
    this.status = status;
    this.publish();
  }

  private publish(): void {
    const backend = this.backends.report?.backend;
    if (!backend) return;
    this.batcher.setProgress({
      status: this.status,
      step: this.trainer?.step ?? this.restartPoint.last?.step ?? 0,
      stepsPerSecond: this.status === 'running' ? this.rate.perSecond() : 0,
      backend,
    });
  }
}
