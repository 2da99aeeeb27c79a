import type { TrainerState } from '../../engine/snapshot';
import type { Clock } from '../clock';
import type { RunSnapshot } from '../protocol';

/**
 * The run's in-memory snapshot: where a new backend resumes after a fault, what snapshot() returns once the
 * trainer is gone, and what the page keeps (posted to the listener) so a new worker can resume if this one dies.
 * Taken between chunks at most every `intervalMs` while the run changes, at once after a config change, and
 * when the run pauses.
 */
export class RestartPoint {
  private state: TrainerState | null = null;
  private takenAt = Number.NEGATIVE_INFINITY;
  /** The trainer changed since the last snapshot (steps, evaluations, config). */
  private stale = false;
  private listener: ((snapshot: RunSnapshot) => void) | null = null;

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    private readonly intervalMs: number,
  ) {}

  /** The last snapshot taken (or restored from), null before the first. */
  get last(): TrainerState | null {
    return this.state;
  }

  /** Whether the page listens (a pause then snapshots, so its copy holds where the run stopped). */
  get listening(): boolean {
    return this.listener !== null;
  }

  /** A stale snapshot is due: `intervalMs` passed since the last one. */
  get due(): boolean {
    return this.stale && this.clock.now() - this.takenAt >= this.intervalMs;
  }

  /** Something changed since the last snapshot. */
  get isStale(): boolean {
    return this.stale;
  }

  listen(listener: ((snapshot: RunSnapshot) => void) | null): void {
    this.listener = listener;
  }

  /** A new run: `state` is its starting point when it was restored (fresh: none, and one is due at once). */
  reset(state: TrainerState | null): void {
    this.state = state;
    this.takenAt = state ? this.clock.now() : Number.NEGATIVE_INFINITY;
    this.stale = !state;
  }

  /** The trainer stepped or evaluated. */
  changed(): void {
    this.stale = true;
  }

  /** The config changed: the restart point should include it, so a snapshot is due before the next step. */
  changedNow(): void {
    this.takenAt = Number.NEGATIVE_INFINITY;
    this.stale = true;
  }

  async take(trainer: { getState(): Promise<TrainerState> }): Promise<void> {
    this.state = await trainer.getState();
    this.takenAt = this.clock.now();
    this.stale = false;
    this.listener?.({ ...this.state, version: 1 });
  }
}
