/**
 * The lanes' workers, on the page's side: one LaneDriver per lane, built, trained, updated and released in step
 * with the store's lanes. Everything a worker reports goes through the lane reducer (the store's `dispatch`);
 * what the store decides (pausing, keeping, replacing the experiment) stays in the store.
 */
import {
  DEFAULT_CONFIG,
  resolveConfig,
  validateConfig,
  type Config,
  type ConfigIssue,
} from '../../engine/config';
import type { BackendChoice, InitResult, RunSnapshot } from '../../worker/protocol';
import { livePatch } from '../logic/configEdit';
import { errorText } from '../logic/format';
import { dueEntries, schedulePatch } from '../logic/link';
import { ROLLBACK_LABEL } from '../logic/rollback';
import type { KeepTarget } from '../../lib/keptSnapshots';
import { LaneDriver, type LaneClient } from './driver';
import type { Lane, LaneAction } from './lane';
import { laneDone, STOPPED } from './summary';

type NoticeKind = 'error' | 'warning' | 'info';

/** What the workers need of the store. */
export interface LaneWorkersContext {
  lanes(): readonly Lane[];
  /** The backend lane A is to use (lane A's choice; the others follow lane A). */
  backendChoice(): BackendChoice;
  /** The experiment's identity, stamped on every lane's run. */
  identity(): { id: string; createdAt: number };
  dispatch(index: number, action: LaneAction): void;
  notify(kind: NoticeKind, text: string, action?: { label: string; run(): void }): void;
  createClient(wasmThreads: number): LaneClient | Promise<LaneClient>;
  /** The wasm threads for a lane's worker (LabStoreOptions.wasmThreads); absent: 1. */
  wasmThreads?(laneCount: number, config: Config): number;
  /** Where lane `index`'s worker keeps its run in IndexedDB (null: it keeps nothing; the page saves its weights). */
  keepTarget?(index: number): KeepTarget | null;
  /** The user's answer to a divergence: the store's rollback of that lane. */
  rollback(index: number): void;
  /** A lane has stopped for good (the store checks whether the experiment is over). */
  laneStopped(): void;
  liveDelayMs: number;
}

/** A lane whose worker holds a run it can train. */
const isLive = (lane: Lane | undefined): boolean => lane?.phase === 'ready';

export type LaneWorkers = ReturnType<typeof createLaneWorkers>;

export function createLaneWorkers(context: LaneWorkersContext) {
  let drivers: (LaneDriver | null)[] = [];
  /** The wasm threads each lane's worker was started with. */
  const driverThreads = new WeakMap<LaneDriver, number>();
  const threadsFor = (config: Config): number => context.wasmThreads?.(context.lanes().length, config) ?? 1;
  /** Bumped whenever the lanes are replaced: callbacks of an older experiment are ignored. */
  let generation = 0;
  /** Each race lane's weights, taken when its worker was released (or given by a reopened record). */
  let finalSnapshots: (RunSnapshot | null)[] = [];
  const { dispatch, notify } = context;
  const lane = (index: number): Lane => context.lanes()[index];
  const label = (index: number) => (context.lanes().length > 1 ? `Lane ${lane(index)?.name}: ` : '');
  const fail = (index: number, error: unknown) => notify('error', `${label(index)}${errorText(error)}`);

  /** A race lane stopped for good: keep its final weights, end its worker (frees its core). */
  const release = async (index: number, token: number) => {
    const driver = drivers[index];
    if (!driver || context.lanes().length < 2) return;
    const snapshot = await driver.client.snapshot().catch(() => driver.latestSnapshot());
    if (token !== generation || drivers[index] !== driver) return;
    finalSnapshots[index] = snapshot;
    driver.close();
    drivers[index] = null;
    dispatch(index, { type: 'workerGone', phase: 'closed' });
    context.laneStopped();
  };

  const gone = (index: number, reason: string) => {
    dispatch(index, { type: 'workerGone', phase: 'failed' });
    notify('error', `${label(index)}The training worker stopped: ${reason}`);
    context.laneStopped();
  };

  const attach = async (index: number, token: number, threads: number): Promise<LaneDriver | null> => {
    const client = await context.createClient(threads);
    if (token !== generation) {
      client.terminate();
      return null;
    }
    const driver = new LaneDriver(client, {
      batch(batch) {
        if (token !== generation) return;
        const canRollBack = batch.status === 'diverged';
        const wasRunning = lane(index)?.status === 'running';
        dispatch(index, { type: 'batch', batch, canRollBack });
        // The run stopped (paused or ended): the after-the-run analysis, asked before the worker is let go.
        const analysed =
          wasRunning && (batch.status === 'paused' || STOPPED.includes(batch.status))
            ? analyse(index, client, token)
            : Promise.resolve();
        if (batch.message) {
          notify(
            batch.status === 'error' ? 'error' : batch.status === 'diverged' ? 'warning' : 'info',
            `${label(index)}${batch.message}`,
            canRollBack ? { label: ROLLBACK_LABEL, run: () => context.rollback(index) } : undefined,
          );
        }
        const current = lane(index);
        if (current && STOPPED.includes(batch.status) && laneDone(current)) {
          // A diverged lane keeps its (paused) worker for a rollback; it counts as stopped.
          if (current.canRollBack) context.laneStopped();
          else void analysed.then(() => release(index, token));
        }
      },
      workerError() {
        // The worker is being replaced: its new worker's first batch says how it resumed.
        if (token === generation) driver.runToken++;
      },
      recovery(report) {
        if (token === generation && !report.ok) gone(index, report.reason);
      },
    });
    drivers[index] = driver;
    driverThreads.set(driver, threads);
    return driver;
  };

  /** Nanda et al.'s measures over the run that just stopped (nandaProgress.ts); nothing where the task has none. */
  const analyse = async (index: number, client: LaneClient, token: number): Promise<void> => {
    try {
      const analysis = await client.progressAnalysis();
      if (analysis && token === generation) dispatch(index, { type: 'analysed', analysis });
    } catch {
      // A worker that is gone or busy leaves the records as they were: the analysis is an extra, never a fault.
    }
  };

  const startFailed = (index: number, error: unknown): null => {
    dispatch(index, { type: 'buildFailed', failed: true });
    notify('error', `${label(index)}The training worker could not start: ${errorText(error)}`);
    return null;
  };

  /** Applies an init/reset result to lane `index`: a fresh run, or the issues beside the fields. */
  const adopt = (index: number, result: InitResult): boolean => {
    if (!result.ok) {
      dispatch(index, { type: 'buildFailed', failed: false });
      dispatch(index, { type: 'issues', issues: result.issues });
      notify('error', `${label(index)}The worker rejected this configuration; see the highlighted fields.`);
      return false;
    }
    dispatch(index, { type: 'built', result, ...context.identity() });
    keepIn(index);
    return true;
  };

  /** Tells lane `index`'s worker where to keep its run (the experiment's record, this lane's key). */
  const keepIn = (index: number) => {
    const target = context.keepTarget?.(index) ?? null;
    void drivers[index]?.client.keepIn(target).catch(() => undefined);
  };

  const sendLive = async (index: number) => {
    const driver = drivers[index];
    if (!driver || !isLive(lane(index))) return;
    await driver.serial(async () => {
      const { config, draft, issues } = lane(index);
      const patch = livePatch(config, draft);
      if (!patch || Object.keys(issues).some((path) => path.split('.')[0] in patch)) return;
      try {
        const result = await driver.client.update(patch);
        if (!result.ok) return dispatch(index, { type: 'issues', issues: result.issues });
        const next = resolveConfig(patch, lane(index).config);
        dispatch(index, {
          type: 'updated',
          config: next.ok ? next.config : lane(index).config,
          events: result.events,
        });
      } catch (error) {
        fail(index, error);
      }
    });
  };

  /**
   * Builds lane `index`'s run from its draft on `backend`. Lanes without a worker get one. `defaults`: a draft
   * that cannot run builds the default config instead (its problems stay beside the fields).
   */
  const buildLane = async (
    index: number,
    backend: BackendChoice,
    mode: 'init' | 'reset',
    invalidDraft: 'refuse' | 'defaults',
    token = generation,
  ): Promise<boolean> => {
    if (token !== generation) return false;
    const validated = validateConfig(lane(index).draft);
    const checked =
      !validated.ok && invalidDraft === 'defaults'
        ? { ok: true as const, config: DEFAULT_CONFIG }
        : validated;
    if (!checked.ok) {
      dispatch(index, { type: 'issues', issues: checked.issues, replace: true });
      notify('error', `${label(index)}Fix the highlighted settings first.`);
      if (!drivers[index]) dispatch(index, { type: 'buildFailed', failed: mode === 'init' });
      return false;
    }
    dispatch(index, { type: 'building' });
    const threads = threadsFor(checked.config);
    const current = drivers[index];
    if (current && driverThreads.get(current) !== threads) {
      // A worker's thread pool is fixed when its wasm starts: this run needs another worker.
      current.close();
      drivers[index] = null;
    }
    const attached = !drivers[index];
    const driver =
      drivers[index] ?? (await attach(index, token, threads).catch((error) => startFailed(index, error)));
    if (!driver) return false;
    return driver.serial(async () => {
      driver.clearLiveTimer();
      driver.runToken++;
      try {
        // A new worker (first build, or a race lane released when it finished) has no run to reset.
        const fresh = mode === 'init' || attached || lane(index).run === null;
        const result = fresh
          ? await driver.client.init(checked.config, backend)
          : await driver.client.reset(checked.config);
        return token === generation && adopt(index, result);
      } catch (error) {
        if (token !== generation) return false;
        dispatch(index, { type: 'buildFailed', failed: mode === 'init' });
        fail(index, error);
        return false;
      }
    });
  };

  return {
    get generation(): number {
      return generation;
    },

    /** Ends every worker: a new experiment (of `count` lanes, with their saved weights if any) comes next. */
    replace(count: number, snapshots: (RunSnapshot | null)[] = []): number {
      generation++;
      drivers.forEach((driver) => driver?.close());
      drivers = Array.from({ length: count }, () => null);
      finalSnapshots = Array.from({ length: count }, (_, i) => snapshots[i] ?? null);
      return generation;
    },

    /**
     * Builds every lane's run from its draft: lane A first (its backend choice; 'auto' measures), the others
     * forced onto lane A's backend. Lanes without a worker get one. `defaults`: a draft that cannot run builds
     * the default config instead (its problems stay beside the fields).
     */
    async build(mode: 'init' | 'reset', invalidDraft: 'refuse' | 'defaults' = 'refuse'): Promise<boolean> {
      const token = generation;
      if (!(await buildLane(0, context.backendChoice(), mode, invalidDraft, token))) return false;
      const backend = lane(0).backend?.backend ?? context.backendChoice();
      const rest = await Promise.all(
        context
          .lanes()
          .slice(1)
          .map((_, i) => buildLane(i + 1, backend, mode, invalidDraft, token)),
      );
      return rest.every(Boolean);
    },

    /** Builds lane `index` afresh from its draft, in its worker (after its saved weights were refused). */
    rebuild(index: number): Promise<boolean> {
      const backend =
        index === 0 ? context.backendChoice() : (lane(0).backend?.backend ?? context.backendChoice());
      return buildLane(index, backend, 'init', 'refuse');
    },

    /**
     * Resumes lane `index` from saved weights in a new worker (paused): true, false when it failed (said), or the
     * problems the worker found with the weights (the lane has a worker but no run: rebuild it).
     */
    async restore(
      index: number,
      snapshot: RunSnapshot,
      identity: { id: string; createdAt: number },
    ): Promise<boolean | ConfigIssue[]> {
      const token = generation;
      const startConfig = lane(index).startConfig;
      dispatch(index, { type: 'building' });
      const driver = await attach(index, token, threadsFor(snapshot.config)).catch((error) =>
        startFailed(index, error),
      );
      if (!driver) return false;
      return driver.serial(async () => {
        try {
          const result = await driver.client.restore(snapshot);
          if (token !== generation) return false;
          if (!result.ok) {
            // The worker keeps no run: the caller says why and builds the lane afresh (rebuild).
            dispatch(index, { type: 'buildFailed', failed: false });
            return result.issues;
          }
          dispatch(index, { type: 'restored', result, ...identity, snapshot, startConfig });
          keepIn(index);
          return true;
        } catch (error) {
          dispatch(index, { type: 'buildFailed', failed: true });
          fail(index, error);
          return false;
        }
      });
    },

    sendLive,

    /** Every worker keeps its run under the experiment's current id (after the id changed). */
    keepAll() {
      drivers.forEach((driver, index) => {
        if (driver) keepIn(index);
      });
    },

    /** Sends the lane's live edits after a short pause, so a dragged slider becomes one change. */
    scheduleLive(index: number) {
      const driver = drivers[index];
      if (!driver) return;
      driver.clearLiveTimer();
      driver.liveTimer = setTimeout(() => {
        driver.liveTimer = null;
        void sendLive(index);
      }, context.liveDelayMs);
    },

    /** Sends every lane's pending live edits now. */
    async flushLive() {
      await Promise.all(
        context.lanes().map((_, index) => {
          drivers[index]?.clearLiveTimer();
          return sendLive(index);
        }),
      );
    },

    /** Trains lane `index`; a link's schedule is replayed exactly (train to each change, apply it, go on). */
    async train(index: number, driver: LaneDriver, token: number) {
      try {
        let step = lane(index).step;
        for (;;) {
          const { due, later } = dueEntries(lane(index).schedule, step);
          if (due.length > 0) {
            dispatch(index, { type: 'schedule', schedule: later });
            dispatch(index, { type: 'edited', patch: schedulePatch(due) });
            await sendLive(index);
          }
          if (token !== driver.runToken) return;
          if (later.length === 0) return await driver.client.start();
          const count = later[0].step - step;
          await driver.client.step(count);
          if (token !== driver.runToken || STOPPED.includes(lane(index).status)) return;
          step += count;
          dispatch(index, { type: 'status', status: 'running' });
        }
      } catch (error) {
        dispatch(index, { type: 'status', status: 'error' });
        fail(index, error);
      }
    },

    /** The drivers of lanes that can train now, with their indices. */
    live(): [number, LaneDriver][] {
      return drivers.flatMap((driver, index) =>
        driver && isLive(lane(index)) ? [[index, driver] as [number, LaneDriver]] : [],
      );
    },

    driver(index: number): LaneDriver | null {
      return drivers[index] ?? null;
    },

    /** Every lane's weights now: from its worker, else its last posted or released snapshot. */
    async snapshots(): Promise<(RunSnapshot | null)[]> {
      return Promise.all(
        context.lanes().map(async (_, index) => {
          const driver = drivers[index];
          if (!driver) return finalSnapshots[index] ?? null;
          try {
            return await driver.client.snapshot();
          } catch (_error) {
            // A worker that cannot answer (restarting, gone): its last posted snapshot.
            return driver.latestSnapshot() ?? finalSnapshots[index] ?? null;
          }
        }),
      );
    },

    /** Forgets the released lanes' weights (a reset races again from the start). */
    forgetFinal() {
      finalSnapshots = finalSnapshots.map(() => null);
    },

    fail,
    label,
  };
}
