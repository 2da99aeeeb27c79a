/**
 * The page's handle on one lane's worker: the client (supervised in the app: a dead worker is replaced and the
 * run resumed from its last snapshot by src/worker/supervisor.ts), the listeners, and the bookkeeping that keeps
 * the lane's calls in order (init/reset/update run one at a time; a pause or reset invalidates a start loop).
 * No state of its own that the page shows: what the worker reports goes through the store's lane reducer.
 */
import type { TrainingClient, WorkerClient, ClientBatch } from '../../worker/client';
import type { RunSnapshot } from '../../worker/protocol';
import type { RecoveryReport, SupervisedClient } from '../../worker/supervisor';

/**
 * The worker API a lane drives: TrainingApi's calls plus a batch listener (the comlink client, supervised, in the
 * app; a fake in tests). Rollback, snapshots and recovery where the client offers them.
 */
export type LaneClient = TrainingClient &
  Partial<Pick<WorkerClient, 'rollback' | 'onSnapshot' | 'keepIn' | 'progressAnalysis'>> &
  Partial<Pick<SupervisedClient, 'recover' | 'onRecovery' | 'latestSnapshot'>>;

export interface LaneListeners {
  batch(batch: ClientBatch): void;
  /** The worker failed; `recovering`: the supervisor is replacing it (a recovery report follows). */
  workerError(message: string, recovering: boolean): void;
  recovery(report: RecoveryReport): void;
  /** The worker's periodic snapshot (a sweep keeps a running cell's weights from it). */
  snapshot?(snapshot: RunSnapshot): void;
}

export class LaneDriver {
  /** Bumped by pause/reset: a start loop replaying a schedule stops when it sees a newer token. */
  runToken = 0;
  liveTimer: ReturnType<typeof setTimeout> | null = null;
  /** The worker's latest periodic snapshot (kept here when the client is not supervised). */
  private posted: RunSnapshot | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly detach: (() => void)[];
  private closed = false;

  constructor(
    readonly client: LaneClient,
    listeners: LaneListeners,
  ) {
    const supervised = client.onRecovery !== undefined;
    this.detach = [
      client.onBatch((batch) => {
        if (!this.closed) listeners.batch(batch);
      }),
      client.onWorkerError((message) => {
        if (!this.closed) listeners.workerError(message, supervised);
      }),
      client.onSnapshot?.((snapshot) => {
        this.posted = snapshot;
        if (!this.closed) listeners.snapshot?.(snapshot);
      }) ?? (() => undefined),
      client.onRecovery?.((report) => {
        if (!this.closed) listeners.recovery(report);
      }) ?? (() => undefined),
    ];
  }

  /** Runs init/reset/update/restore one at a time, each seeing the config the previous one left. */
  serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The run's latest snapshot the page holds (for an autosave or a resume elsewhere), without asking the worker. */
  latestSnapshot(): RunSnapshot | null {
    return this.client.latestSnapshot?.() ?? this.posted;
  }

  clearLiveTimer(): void {
    if (this.liveTimer) clearTimeout(this.liveTimer);
    this.liveTimer = null;
  }

  /** Ends the worker; its later batches and errors are ignored. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.runToken++;
    this.clearLiveTimer();
    for (const off of this.detach) off();
    this.client.terminate();
  }
}
