import type { KeepTarget, SnapshotWriter } from '../../lib/keptSnapshots';
import type { TrainerState } from '../../engine/snapshot';
import type { Clock } from '../clock';
import type { RunSnapshot } from '../protocol';

/**
 * The worker keeps its own run in IndexedDB (lib/keptSnapshots.ts), so a reload or a crash loses at most about
 * `intervalMs` of training and the page never copies the weights to save them. Taken between chunks once
 * `intervalMs` has passed since the last one while the run changes, and when the run stops. Writes run one at a
 * time behind the training: a snapshot taken while one is being written replaces any still waiting.
 */
export class SnapshotKeeper {
  private target: KeepTarget | null = null;
  private keptAt = Number.NEGATIVE_INFINITY;
  private stale = false;
  private writing: Promise<void> | null = null;
  private waiting: { target: KeepTarget; snapshot: RunSnapshot } | null = null;
  /** What the last write said (tests and the debug view); null before one. */
  lastOutcome: 'kept' | 'not-owner' | 'failed' | null = null;

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    private readonly intervalMs: number,
    private readonly write: SnapshotWriter | undefined,
  ) {}

  /** Keeping is on: a writer exists and the page said where. */
  get active(): boolean {
    return this.write !== undefined && this.target !== null;
  }

  /** A snapshot is due: the run changed and `intervalMs` passed since the last one. */
  get due(): boolean {
    return this.active && this.stale && this.clock.now() - this.keptAt >= this.intervalMs;
  }

  /** The run changed since it was last kept. */
  get isStale(): boolean {
    return this.active && this.stale;
  }

  /** Where to keep from now on (null: nowhere); the run is kept there at the next chance. */
  retarget(target: KeepTarget | null): void {
    this.target = target;
    this.keptAt = Number.NEGATIVE_INFINITY;
    this.stale = true;
  }

  /** A new run: nothing to keep until it changes (a restored run is stored already). */
  reset(): void {
    this.stale = false;
  }

  changed(): void {
    this.stale = true;
  }

  /** Takes the trainer's state now and queues its write. */
  async take(trainer: { getState(): Promise<TrainerState> }): Promise<void> {
    const target = this.target;
    if (!target || !this.write) return;
    // A copy: the write lands later, while training goes on (data() may hand out the backend's own arrays).
    const snapshot: RunSnapshot = structuredClone({ ...(await trainer.getState()), version: 1 as const });
    this.keptAt = this.clock.now();
    this.stale = false;
    this.waiting = { target, snapshot };
    this.writing ??= this.drain();
  }

  /** Resolves once every queued write has landed. */
  async settled(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    while (this.waiting && this.write) {
      const { target, snapshot } = this.waiting;
      this.waiting = null;
      try {
        this.lastOutcome = await this.write(target, snapshot);
      } catch {
        // Storage full or unavailable: training goes on; the page's own saves say what is wrong.
        this.lastOutcome = 'failed';
      }
    }
    this.writing = null;
  }
}
