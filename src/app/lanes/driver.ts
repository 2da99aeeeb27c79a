/**
 * The page's handle on one lane's worker: the client (supervised in the app: a dead worker is replaced and the
 * run resumed from its last snapshot by src/worker/supervisor.ts), the listeners, and the bookkeeping that keeps
 * the lane's calls in order (init/reset/update run one at a time; a pause or reset invalidates a start loop).
 * No state of its own that the page shows: what the worker reports goes through the store's lane reducer.
 */
import type { ClientBatch } from '../../worker/client';
import type { RunSnapshot } from '../../worker/protocol';
import type { RecoveryReport, SupervisedClient } from '../../worker/supervisor';

/**
 * The worker API a lane drives: the supervised client (src/worker/supervisor.ts) over the comlink client in the
 * app, over a fake worker in tests (testing/fakeClient.ts): a worker that dies is replaced and its run resumed.
 */
export type LaneClient = SupervisedClient;

export interface LaneListeners {
  batch(batch: ClientBatch): void;
  /** The worker failed: the supervisor is replacing it (its recovery report follows). */
  workerError?(message: string): void;
  recovery(report: RecoveryReport): void;
  /** The worker's periodic snapshot (a sweep keeps a running cell's weights from it). */
  snapshot?(snapshot: RunSnapshot): void;
}

export class LaneDriver {
  /** Bumped by pause/reset: a start loop replaying a schedule stops when it sees a newer token. */
  runToken = 0;
  liveTimer: ReturnType<typeof setTimeout> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly detach: (() => void)[];
  private closed = false;

  constructor(
    readonly client: LaneClient,
    listeners: LaneListeners,
  ) {
    this.detach = [
      client.onBatch((batch) => {
        if (!this.closed) listeners.batch(batch);
      }),
      client.onWorkerError((message) => {
        if (!this.closed) listeners.workerError?.(message);
      }),
      client.onSnapshot((snapshot) => {
        if (!this.closed) listeners.snapshot?.(snapshot);
      }),
      client.onRecovery((report) => {
        if (!this.closed) listeners.recovery(report);
      }),
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
    return this.client.latestSnapshot();
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
