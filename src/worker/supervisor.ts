/**
 * Crash recovery for the training worker, on the page's side. Wraps a client factory: keeps the run's latest
 * snapshot (the worker posts one every few seconds while training and when it pauses) and the config it was
 * started with; when the worker dies (a script error, an out-of-memory crash, or silence past the watchdog),
 * it starts a new worker, restores the snapshot (or re-inits the config when there is none yet), tells the
 * listeners to drop what came after it (a batch with `rewoundTo`), and resumes training if it was running.
 * Calls still waiting on the dead worker reject instead of hanging.
 */
import { forwardCalls, Listeners } from './bridge';
import type { ClientBatch, WorkerClient } from './client';
import type { KeepTarget } from '../lib/keptSnapshots';
import type { BackendChoice, InitResult, RunSnapshot, RunStatus } from './protocol';

export interface SupervisorOptions {
  /** Without batches for this long while running, the worker is pinged; 0 turns the watchdog off. */
  stallMs: number;
  /** A ping unanswered for this long means the worker is gone. */
  pingTimeoutMs: number;
  /** Recoveries allowed within `recoveryWindowMs` before giving up (a worker that dies at once, again). */
  maxRecoveries: number;
  recoveryWindowMs: number;
}

export const DEFAULT_SUPERVISOR_OPTIONS: SupervisorOptions = {
  // A single step can legitimately block the worker for tens of seconds (the first WebGPU step on a software
  // adapter; the classic transformer on the cpu backend), so the watchdog is patient.
  stallMs: 60_000,
  pingTimeoutMs: 30_000,
  maxRecoveries: 3,
  recoveryWindowMs: 60_000,
};

export interface RecoveryReport {
  ok: boolean;
  reason: string;
  /** The step the run resumed from (0: re-initialized), or null when it could not resume. */
  resumedAt: number | null;
}

export interface SupervisedClient extends WorkerClient {
  /** The latest snapshot the page holds (posted by the worker, or the one last restored). */
  latestSnapshot(): RunSnapshot | null;
  /** Replaces the worker now and resumes (tests, or a "restart the worker" button). */
  recover(reason: string): Promise<RecoveryReport>;
  onRecovery(listener: (report: RecoveryReport) => void): () => void;
}

class WorkerDiedError extends Error {
  constructor(reason: string) {
    super(`the training worker stopped (${reason})`);
    this.name = 'WorkerDiedError';
  }
}

export function createSupervisedClient(
  createClient: () => WorkerClient,
  options: Partial<SupervisorOptions> = {},
): SupervisedClient {
  const settings = { ...DEFAULT_SUPERVISOR_OPTIONS, ...options };
  const batches = new Listeners<ClientBatch>();
  const workerErrors = new Listeners<string>();
  const snapshots = new Listeners<RunSnapshot>();
  const recoveryListeners = new Listeners<RecoveryReport>();

  let client: WorkerClient;
  let detach: (() => void)[] = [];
  /** Rejects every call in flight on the current worker when it dies. */
  let died: { promise: Promise<never>; reject(error: Error): void };
  let recovering: Promise<RecoveryReport> | null = null;
  let terminated = false;

  let snapshot: RunSnapshot | null = null;
  /** Where the run is kept in IndexedDB (keepIn): a new worker keeps it there too. */
  let keepTarget: KeepTarget | null = null;
  let started: { config: unknown; backend: BackendChoice } | null = null;
  let status: RunStatus = 'idle';
  /** start() was called and the run has not stopped since: a recovery starts the new worker too. */
  let resume = false;
  let lastBatchAt = Date.now();
  let recoveries: number[] = [];
  let watchdog: ReturnType<typeof setInterval> | null = null;

  function newDied(): typeof died {
    let reject!: (error: Error) => void;
    const promise = new Promise<never>((_resolve, rejectPromise) => (reject = rejectPromise));
    promise.catch(() => undefined);
    return { promise, reject };
  }

  function attach(): void {
    client = createClient();
    died = newDied();
    lastBatchAt = Date.now();
    detach = [
      client.onBatch((batch) => {
        lastBatchAt = Date.now();
        status = batch.status;
        // Stopped on its own (a user pause goes through pause()/step(), which clear it themselves).
        if (batch.status === 'finished' || batch.status === 'diverged' || batch.status === 'error')
          resume = false;
        batches.emit(batch);
      }),
      client.onWorkerError((message) => {
        workerErrors.emit(message);
        void recover(message);
      }),
      client.onSnapshot((posted) => {
        snapshot = posted;
        snapshots.emit(posted);
      }),
    ];
  }

  /** A call on the current worker that rejects if the worker dies first; waits for a recovery in progress. */
  async function call<T>(invoke: () => Promise<T>): Promise<T> {
    if (recovering) await recovering;
    return Promise.race([invoke(), died.promise]);
  }

  async function recover(reason: string): Promise<RecoveryReport> {
    if (terminated) return { ok: false, reason, resumedAt: null };
    if (recovering) return recovering;
    recovering = (async (): Promise<RecoveryReport> => {
      const wasRunning = resume;
      died.reject(new WorkerDiedError(reason));
      for (const off of detach) off();
      try {
        client.terminate();
      } catch {
        // A dead worker may refuse; it is gone either way.
      }
      const now = Date.now();
      recoveries = [...recoveries.filter((at) => now - at < settings.recoveryWindowMs), now];
      if (recoveries.length > settings.maxRecoveries) {
        return finish({ ok: false, reason: `${reason}; it failed too often to restart`, resumedAt: null });
      }
      attach();
      let result: InitResult | null = null;
      try {
        if (snapshot) result = await Promise.race([client.restore(snapshot), died.promise]);
        else if (started)
          result = await Promise.race([client.init(started.config, started.backend), died.promise]);
      } catch (error) {
        return finish({
          ok: false,
          reason: `${reason}; the new worker failed too (${error instanceof Error ? error.message : String(error)})`,
          resumedAt: null,
        });
      }
      if (!result)
        return finish({ ok: false, reason: `${reason}; there was no run to resume`, resumedAt: null });
      if (!result.ok) {
        const issues = result.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
        return finish({ ok: false, reason: `${reason}; resuming failed (${issues})`, resumedAt: null });
      }
      const resumedAt = result.step;
      batches.emit({
        status: 'paused',
        step: resumedAt,
        stepsPerSecond: 0,
        backend: result.backend.backend,
        records: [],
        events: [],
        predictions: null,
        embedding: null,
        message:
          `The training worker stopped (${reason}); a new one resumed the run from step ${resumedAt}` +
          (snapshot ? ' (its last snapshot).' : ' (no snapshot yet: started over).'),
        rewoundTo: snapshot ? resumedAt : -1,
      });
      status = 'paused';
      if (keepTarget) await Promise.race([client.keepIn(keepTarget), died.promise]).catch(() => undefined);
      if (wasRunning) {
        resume = true;
        void Promise.race([client.start(), died.promise]).catch(() => undefined);
      }
      return finish({ ok: true, reason, resumedAt });
    })();
    return recovering;
  }

  function finish(report: RecoveryReport): RecoveryReport {
    recovering = null;
    recoveryListeners.emit(report);
    return report;
  }

  async function checkAlive(): Promise<void> {
    if (recovering || terminated || status !== 'running') return;
    if (Date.now() - lastBatchAt < settings.stallMs) return;
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), settings.pingTimeoutMs),
    );
    const answer = await Promise.race([client.rollbackPoints().then(() => 'alive' as const), timeout]).catch(
      () => 'dead' as const,
    );
    if (answer === 'alive') lastBatchAt = Date.now();
    else if (!recovering) await recover('it stopped responding');
  }

  attach();
  if (settings.stallMs > 0) {
    watchdog = setInterval(() => void checkAlive(), Math.min(settings.stallMs, 5000));
  }

  const remember = (backend: BackendChoice) => (result: InitResult) => {
    if (result.ok) {
      started = { config: result.config, backend };
      snapshot = null;
      resume = false;
    }
    return result;
  };

  // Every call goes to the current worker through call(); those below also keep what a recovery needs.
  const forwarded = forwardCalls(() => client, call);
  return {
    ...forwarded,
    init: (config, backend = 'auto') => forwarded.init(config, backend).then(remember(backend)),
    reset: (config) => forwarded.reset(config).then(remember(started?.backend ?? 'auto')),
    async restore(posted) {
      const result = await forwarded.restore(posted);
      if (result.ok) {
        snapshot = posted;
        started = { config: result.config, backend: started?.backend ?? 'auto' };
        resume = false;
      }
      return result;
    },
    start: () => {
      resume = true;
      return forwarded.start();
    },
    pause: () => {
      resume = false;
      return forwarded.pause();
    },
    step: (count) => {
      resume = false;
      return forwarded.step(count);
    },
    keepIn: (target) => {
      keepTarget = target;
      return forwarded.keepIn(target);
    },
    onBatch: (listener) => batches.add(listener),
    onWorkerError: (listener) => workerErrors.add(listener),
    onSnapshot: (listener) => snapshots.add(listener),
    onRecovery: (listener) => recoveryListeners.add(listener),
    latestSnapshot: () => snapshot,
    recover,
    terminate() {
      terminated = true;
      if (watchdog) clearInterval(watchdog);
      for (const off of detach) off();
      died.reject(new WorkerDiedError('terminated'));
      client.terminate();
    },
  };
}
