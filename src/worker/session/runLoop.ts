import type { ProgressCheckpoints } from '../../engine/metrics/progressCheckpoints';
import { budgetReached, grokStopMessage, stopDecision } from '../../engine/stopRules';
import { isBackendFault } from '../../engine/backendChoice';
import type { MetricBatcher } from '../batcher';
import type { Clock } from '../clock';
import type { RunStatus } from '../protocol';
import type { EvaluationSchedule } from './evaluationSchedule';
import type { SnapshotKeeper } from './keeper';
import type { RestartPoint } from './restartPoint';
import type { RollbackRing } from './rollbackRing';
import type { SerialQueue } from './serialQueue';
import type { StepRate } from './stepRate';
import { reasonOf, ROLLBACK_LR_FACTOR, type SessionOptions, type SessionTrainer } from './types';

/** Train until the budget (training.maxSteps) or a stop rule; or exactly until a step, then pause. */
export type Target = { kind: 'run' } | { kind: 'steps'; until: number };
type Outcome = 'continue' | 'paused' | 'finished' | 'diverged' | 'error';

/** What the loop uses of its session: the run's parts, its trainer, fault recovery and the status it shows. */
export interface RunLoopHost {
  readonly clock: Clock;
  readonly options: SessionOptions;
  readonly batcher: MetricBatcher;
  /** Everything touching the trainer runs under it, so messages land between chunks. */
  readonly lock: SerialQueue;
  readonly schedule: EvaluationSchedule;
  readonly ring: RollbackRing;
  readonly restartPoint: RestartPoint;
  readonly keeper: SnapshotKeeper;
  readonly rate: StepRate;
  /** The logits of each evaluation, for the after-the-run analysis. */
  readonly checkpoints: ProgressCheckpoints;
  /** The run's trainer; throws when there is none. */
  requireTrainer(): SessionTrainer;
  currentTrainer(): SessionTrainer | null;
  /** Throws the fault a backend reported outside a chunk (a lost device), so the chunk fails over. */
  throwPendingFault(): void;
  /** A chunk threw: moves the run to another backend; false when none could take over. */
  recover(error: unknown): Promise<boolean>;
  setStatus(status: RunStatus): void;
  publish(): void;
}

/**
 * The chunked run loop: chunks of training steps sized to about `chunkMs`, an evaluation whenever the schedule
 * says so (streamed through the batcher, checked against the stop rules, kept as a rollback point when one is
 * due), the periodic restart point and the embedding read-back, and a yield between chunks so the worker
 * handles messages. A pause ends with a closing evaluation at the step the run stopped at.
 */
export class RunLoop {
  private loop: Promise<void> | null = null;
  private target: Target | null = null;
  private stopRequested = false;
  /** The loop is being torn down for a new run: skip its closing evaluation. */
  private abandon = false;
  private embeddingStale = false;
  private lastEmbeddingAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly host: RunLoopHost) {}

  /** A loop exists (it may be winding down after a stop request). */
  get exists(): boolean {
    return this.loop !== null;
  }

  /** A loop is going and no stop was asked for. */
  get going(): boolean {
    return this.loop !== null && !this.stopRequested;
  }

  /** Resolves when the current loop (if any) has ended. */
  async ended(): Promise<void> {
    await this.loop;
  }

  /** A going loop trains toward a new target (start() during step(n)). */
  retarget(target: Target): void {
    this.target = target;
  }

  /** Starts the loop; returns it. */
  launch(target: Target): Promise<void> {
    this.target = target;
    this.stopRequested = false;
    this.abandon = false;
    this.host.rate.restart(this.host.clock.now(), this.host.requireTrainer().step);
    this.host.setStatus('running');
    const loop = this.run().finally(() => {
      this.loop = null;
      this.target = null;
    });
    this.loop = loop;
    return loop;
  }

  /** Asks the loop to stop after its chunk (a pause: it ends with a closing evaluation); resolves when it has. */
  async pause(): Promise<void> {
    const loop = this.loop;
    if (!loop) return;
    this.stopRequested = true;
    await loop;
  }

  /** Stops the loop; `abandon`: the run is being replaced, so no closing evaluation. */
  async stop(abandon: boolean): Promise<void> {
    const loop = this.loop;
    if (!loop) return;
    this.stopRequested = true;
    this.abandon = abandon;
    await loop;
  }

  /** The trainer was (re)built or rewound: its embedding is read back again at the next chance. */
  embeddingChanged(): void {
    this.embeddingStale = true;
    this.lastEmbeddingAt = Number.NEGATIVE_INFINITY;
  }

  private async run(): Promise<void> {
    let outcome: Outcome = 'continue';
    while (outcome === 'continue') {
      if (this.stopRequested) {
        outcome = 'paused';
        break;
      }
      try {
        outcome = await this.host.lock.run(() => this.chunk());
      } catch (error) {
        // A failure of the run itself (its task, its shapes) would repeat on every backend: stop, keep the backend.
        if (!isBackendFault(error)) {
          const step = this.host.currentTrainer()?.step ?? 0;
          this.host.batcher.addMessage(`Training stopped at step ${step}: ${reasonOf(error)}`);
          outcome = 'error';
        } else if (!(await this.host.lock.run(() => this.host.recover(error)))) outcome = 'error';
      }
      this.host.publish();
      if (outcome === 'continue') await this.host.clock.yield();
    }
    if (this.abandon) return;
    if (outcome === 'paused') outcome = await this.closingEvaluation();
    // Where it stopped is kept (a diverged run's last good state, kept before, is worth more than its NaNs).
    if (outcome !== 'diverged' && outcome !== 'error') await this.keepNow();
    this.host.setStatus(outcome === 'continue' ? 'paused' : outcome);
  }

  /** Keeps the run as it stands, if it changed since it was last kept. */
  private async keepNow(): Promise<void> {
    const { keeper } = this.host;
    try {
      await this.host.lock.run(async () => {
        const trainer = this.host.currentTrainer();
        if (trainer && keeper.isStale) await keeper.take(trainer);
      });
    } catch (error) {
      this.host.batcher.addMessage(`The run could not be kept in this browser: ${reasonOf(error)}`);
    }
  }

  /** After a pause: evaluate the step the run stopped at, so the page shows where it is. */
  private async closingEvaluation(): Promise<Outcome> {
    try {
      return await this.host.lock.run(async () => {
        const trainer = this.host.currentTrainer();
        if (!trainer) return 'error';
        if (this.host.schedule.lastEvaluated !== trainer.step) {
          const verdict = await this.evaluate(trainer);
          if (verdict !== 'continue') return verdict;
        }
        if (this.embeddingStale) await this.readEmbedding(trainer);
        // The page's copy should hold where the run stopped (a crash while paused loses nothing).
        const { restartPoint } = this.host;
        if (restartPoint.isStale && restartPoint.listening) await restartPoint.take(trainer);
        return 'paused';
      });
    } catch (error) {
      this.host.batcher.addMessage(`The closing evaluation failed: ${reasonOf(error)}`);
      return 'paused';
    }
  }

  private targetStep(trainer: SessionTrainer): number {
    const target = this.target!;
    return target.kind === 'run' ? trainer.config.training.maxSteps : target.until;
  }

  /** One unit of work between two yields: an evaluation, or as many steps as fit in ~chunkMs. */
  private async chunk(): Promise<Outcome> {
    const { clock, options, schedule, restartPoint } = this.host;
    const trainer = this.host.requireTrainer();
    this.host.throwPendingFault();
    const target = this.targetStep(trainer);
    if (schedule.due(trainer.step, target)) {
      const verdict = await this.evaluate(trainer);
      if (verdict !== 'continue' || !budgetReached(trainer.step, target)) return verdict;
    }
    if (budgetReached(trainer.step, target)) {
      if (this.embeddingStale) await this.readEmbedding(trainer);
      return this.target!.kind === 'run' ? 'finished' : 'paused';
    }
    if (restartPoint.due) {
      // A chunk of its own: reading weights and moments back costs about one step on GPU backends.
      await restartPoint.take(trainer);
      return 'continue';
    }
    if (this.host.keeper.due) {
      await this.host.keeper.take(trainer);
      return 'continue';
    }
    if (this.embeddingStale && clock.now() - this.lastEmbeddingAt >= options.batchIntervalMs) {
      await this.readEmbedding(trainer);
    }
    const steps = schedule.chunkSteps(trainer.step, target, options.chunkMs);
    const started = clock.now();
    // No read-back per step: trainStep only queues work on GPU backends; one settle() per chunk.
    restartPoint.changed();
    this.host.keeper.changed();
    for (let i = 0; i < steps; i++) trainer.trainStep();
    await trainer.settle();
    schedule.recordChunk(steps, clock.now() - started);
    this.host.rate.sample(clock.now(), trainer.step);
    return 'continue';
  }

  /** Evaluates, streams the record, applies the stop rules, keeps a rollback point if due. */
  private async evaluate(trainer: SessionTrainer): Promise<Outcome> {
    const { clock, batcher, schedule, ring } = this.host;
    const started = clock.now();
    const { record, predictions } = await trainer.evaluate();
    const logits = trainer.lastProgressLogits;
    if (logits && logits.step === record.step) this.host.checkpoints.add(logits.step, logits.logits);
    schedule.markEvaluated(trainer.step);
    batcher.addRecord(record);
    batcher.setPredictions(predictions.slice());
    this.embeddingStale = true;
    const decision = stopDecision({
      step: trainer.step,
      record,
      history: trainer.history,
      training: trainer.config.training,
      budget: this.targetStep(trainer),
    });
    if (decision.stop === 'diverged') {
      const point = ring.latest();
      batcher.addMessage(
        `Diverged at step ${record.step}: ${decision.reason}. Training is paused; ` +
          (point
            ? `roll back to step ${point.step} and lower the learning rate (×${ROLLBACK_LR_FACTOR}), or reset.`
            : 'lower the learning rate and reset, or restore a snapshot.'),
      );
      await this.readEmbedding(trainer);
      return 'diverged';
    }
    this.host.restartPoint.changed();
    if (ring.countEvaluation(trainer.step, clock.now())) ring.keep(await trainer.getState(), clock.now());
    if (clock.now() - this.lastEmbeddingAt >= this.host.options.batchIntervalMs)
      await this.readEmbedding(trainer);
    schedule.evaluated(trainer.step, clock.now() - started, trainer.config.training.evalEvery);
    // "Train N steps" trains N steps: only a run stops on grokking.
    if (decision.stop === 'grokked' && this.target?.kind === 'run') {
      batcher.addMessage(grokStopMessage(decision));
      if (this.embeddingStale) await this.readEmbedding(trainer);
      return 'finished';
    }
    return 'continue';
  }

  private async readEmbedding(trainer: SessionTrainer): Promise<void> {
    this.embeddingStale = false;
    this.lastEmbeddingAt = this.host.clock.now();
    if (!trainer.model.parameterInfo.some((info) => info.name === 'embedding')) return;
    const { values, shape } = await trainer.readParameter('embedding');
    // A copy: the batcher transfers the buffer, and data() may hand out the backend's own array (cpu backend).
    this.host.batcher.setEmbedding(values.slice(), [shape[0], shape[1] ?? 1]);
  }
}
