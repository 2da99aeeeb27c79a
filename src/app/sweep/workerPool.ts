/**
 * The sweep's workers: at most `limit()` of them (the Workers setting), each started once and kept while the sweep
 * runs, switching from one cell's run to the next (reset or init in the same worker: one wasm start per worker,
 * not per cell). Each worker is a lane driver (src/app/lanes/driver.ts) whose listeners lead to the run it trains
 * now. Which cell runs where is the cell runner's business (cellRunner.ts); the pool only lends workers.
 */
import type { BackendChoice } from '../../worker/protocol';
import { LaneDriver, type LaneClient, type LaneListeners } from '../lanes/driver';

export interface PooledWorker {
  readonly driver: LaneDriver;
  /**
   * The backend its last init asked for (null: none yet). A run on the same choice is a reset of the worker's run;
   * another choice needs an init (a reset keeps the worker's choice, and 'auto' would time the backends again).
   */
  choice: BackendChoice | null;
  /** Where what the worker reports goes: the run it trains now (null while it is idle). */
  listeners: LaneListeners | null;
}

export interface WorkerPool {
  /** An idle worker, else a new one (null when the pool was closed while it started). */
  acquire(): Promise<PooledWorker | null>;
  /**
   * The worker is free again: idle for the next cell, or ended when it cannot be trusted (`usable` false: its
   * worker failed) or the pool holds more workers than the limit now allows.
   */
  release(worker: PooledWorker, usable?: boolean): void;
  /** Ends every worker (cancel, a finished or replaced sweep); workers still starting are ended when they come. */
  close(): void;
  /** Workers alive now. */
  readonly size: number;
}

export function createWorkerPool(
  createClient: () => LaneClient | Promise<LaneClient>,
  limit: () => number,
): WorkerPool {
  const workers = new Set<PooledWorker>();
  const idle: PooledWorker[] = [];
  /** Bumped by close(): a worker that finishes starting after it is not the pool's. */
  let epoch = 0;

  const end = (worker: PooledWorker) => {
    worker.listeners = null;
    workers.delete(worker);
    worker.driver.close();
  };

  return {
    async acquire() {
      const reused = idle.shift();
      if (reused) return reused;
      const startedIn = epoch;
      const client = await createClient();
      if (startedIn !== epoch) {
        client.terminate();
        return null;
      }
      const worker: PooledWorker = {
        choice: null,
        listeners: null,
        driver: new LaneDriver(client, {
          batch: (batch) => worker.listeners?.batch(batch),
          recovery: (report) => worker.listeners?.recovery(report),
          snapshot: (snapshot) => worker.listeners?.snapshot?.(snapshot),
        }),
      };
      workers.add(worker);
      return worker;
    },

    release(worker, usable = true) {
      if (!workers.has(worker)) return;
      worker.listeners = null;
      if (!usable || workers.size > limit()) end(worker);
      else idle.push(worker);
    },

    close() {
      epoch++;
      idle.length = 0;
      for (const worker of [...workers]) end(worker);
    },

    get size() {
      return workers.size;
    },
  };
}
