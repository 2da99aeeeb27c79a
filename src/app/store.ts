/**
 * The lab's one store: an experiment of 1…N lanes, each a run in its own worker. The single run is an experiment
 * of one lane; a race has two or more (lane A picks the backend by measurement, the others are forced onto it; all
 * evaluate on one fixed schedule from one seed). Every control acts on the lanes on screen; an edit meant for one
 * lane names it (`focus`: the lane the sidebar edits). What a worker reports reaches a lane only through the lane
 * reducer (lanes/lane.ts), the same code for every lane count.
 */
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  DEFAULT_CONFIG,
  deepMerge,
  patchFromPath,
  resolveConfig,
  validateConfig,
  type Config,
} from '../engine/config';
import { PRESETS, isPresetName, type PresetName } from '../engine/presets';
import { REGULARIZER_IDS } from '../engine/regularizers/registry';
import { newRunId, type StoredRun } from '../lib/runStore';
import type { BackendChoice, ConfigEvent, InitResult, RunSnapshot, RunStatus } from '../worker/protocol';
import { draftIssues, fixedChanges, issueMap, livePatch } from './logic/configEdit';
import { isLivePath } from './logic/fields';
import type { AxisScale } from './logic/downsample';
import { dueEntries, schedulePatch } from './logic/link';
import { formatInteger } from './logic/format';
import { ROLLBACK_LABEL, rollbackFailure } from './logic/rollback';
import { LaneDriver, type LaneClient } from './lanes/driver';
import { newLane, reduceLanes, type Lane, type LaneAction, type LaneIdentity } from './lanes/lane';
import { experimentRecord, savedExperiment } from './lanes/record';
import { laneDone, STOPPED, summarize } from './lanes/summary';
import { laneColor, laneLimit, RACE_EVAL_EVERY, raceLanes, type LaneSpec } from './race/lanes';

export type { Embedding, Lane, RunInfo } from './lanes/lane';
export type { LaneClient } from './lanes/driver';
export { runName } from './lanes/record';

/** Where the connection to the training workers stands (the lanes' phases, summarized). */
export type Phase = 'disconnected' | 'starting' | 'ready' | 'failed' | 'closed';

export interface Notice {
  id: number;
  kind: 'error' | 'warning' | 'info';
  text: string;
  /** A button on the notice, e.g. "Resume". */
  action?: { label: string; run(): void };
}

export interface LabState {
  /** The lanes on screen: one for a single run, two or more for a race. */
  lanes: Lane[];
  /** The lane the sidebar edits and the single-lane views show. */
  focus: number;
  /** Identity of the experiment for saving (a new one per build; a reopened record keeps its own). */
  experimentId: string;
  createdAt: number;
  /** The race's title ('' for a single run). */
  title: string;
  presetName: PresetName | null;
  backendChoice: BackendChoice;
  /** Id under which this experiment was last saved as it stands (a finished race is saved on its own). */
  savedId: string | null;
  notices: Notice[];
  classroom: boolean;
  xScale: AxisScale;
}

export interface LabActions {
  /** Starts every lane's worker and builds its run. Safe to call twice. */
  connect(): Promise<void>;
  /** Replaces a lane's worker now and resumes its run from its last snapshot. */
  restartWorker(lane?: number): Promise<void>;
  /** After a divergence: that lane back to its last good state with the learning rate halved. */
  rollback(lane?: number): Promise<void>;
  /** Starts (or resumes) every lane that has not stopped. */
  start(): Promise<void>;
  pause(): Promise<void>;
  togglePlay(): Promise<void>;
  /** Every lane trains `count` more steps. */
  stepOnce(count?: number): Promise<void>;
  /** Every lane rebuilt from its draft (same seed = same initial weights). */
  reset(): Promise<void>;
  /**
   * Edits the focused lane's draft. Live fields (regularizers, optimizer, training) reach the worker after a short
   * pause. In a race only regularizers and the optimizer change in the focused lane alone; task, model, seed and
   * training settings change in every lane, so the race stays fair.
   */
  setField(path: string, value: unknown): void;
  setFields(patch: Record<string, unknown>): void;
  /** Sends pending live changes now. */
  flushLive(): Promise<void>;
  toggleRegularizer(id: string, lane?: number): void;
  setFocus(lane: number): void;
  /** Drops the remaining scheduled changes. */
  clearSchedule(): void;
  /** A single run of the preset (the current experiment, if it has progress, is kept first). */
  applyPreset(name: string): Promise<void>;
  /** The preset's race, built and (unless autoStart is false) started. */
  startRace(preset: string, options?: { autoStart?: boolean }): Promise<boolean>;
  /** A race of explicit lanes (at most one per core). */
  startLanes(
    title: string,
    lanes: LaneSpec[],
    options?: { autoStart?: boolean; preset?: PresetName | null },
  ): Promise<boolean>;
  /** Back to a single run of the focused lane's settings. */
  closeRace(): Promise<void>;
  setBackendChoice(choice: BackendChoice): Promise<void>;
  dismissNotice(id: number): void;
  notify(kind: Notice['kind'], text: string, action?: Notice['action']): void;
  /** The experiment as a record to save or export, with every lane's weights when `withSnapshot`. */
  captureRun(withSnapshot: boolean): Promise<StoredRun | null>;
  /** Opens a saved record (single run or race): lanes with weights resume paused, the others are shown. */
  restoreRun(run: StoredRun): Promise<boolean>;
  setClassroom(on: boolean): void;
  setXScale(scale: AxisScale): void;
  /** The experiment goes on under a new id (saved from now on as a copy, e.g. when another tab saves the same). */
  forkExperiment(): void;
}

export type LabStore = StoreApi<LabState & LabActions>;

export interface LabStoreOptions {
  /** One new worker client per lane. */
  createClient: () => LaneClient | Promise<LaneClient>;
  initialConfig?: Config;
  presetName?: PresetName | null;
  classroom?: boolean;
  /** Changes to apply when the run reaches their steps (a shared link's schedule). */
  schedule?: ConfigEvent[];
  /** Notes shown at start, e.g. what was wrong with the link. */
  notices?: string[];
  /** Pause before a live edit is sent, so a dragged slider becomes one change (ms). */
  liveDelayMs?: number;
  /** Cores available (navigator.hardwareConcurrency): at most one lane each. */
  cores?: number;
  /**
   * Keeps a record somewhere safe (the run store in the app): an experiment with progress that is about to be
   * replaced, and a race that has just finished. Absent: nothing is kept.
   */
  keep?: (run: StoredRun) => Promise<void>;
  now?: () => number;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Config sections a race lets differ between lanes (the rest is shared, for a fair race). */
const PER_LANE: readonly string[] = ['regularizers', 'optimizer'];

const SINGLE: LaneIdentity = { name: 'run', difference: [], color: laneColor(0) };

/** A lane whose worker holds a run it can train. */
const isLive = (lane: Lane) => lane.phase === 'ready';

export function createLabStore(options: LabStoreOptions): LabStore {
  const now = options.now ?? (() => Date.now());
  const liveDelay = options.liveDelayMs ?? 200;
  const initialConfig = options.initialConfig ?? DEFAULT_CONFIG;
  let drivers: (LaneDriver | null)[] = [];
  /** Bumped whenever the lanes are replaced: callbacks of an older experiment are ignored. */
  let generation = 0;
  let connecting: Promise<void> | null = null;
  let noticeId = 0;

  const store = createStore<LabState & LabActions>()((set, get) => {
    const notify = (kind: Notice['kind'], text: string, action?: Notice['action']) =>
      set((state) => ({
        notices: [...state.notices, { id: ++noticeId, kind, text, ...(action ? { action } : {}) }],
      }));
    const dispatch = (index: number, action: LaneAction) =>
      set((state) => ({ lanes: reduceLanes(state.lanes, index, action) }));
    const laneLabel = (index: number) => (get().lanes.length > 1 ? `Lane ${get().lanes[index]?.name}: ` : '');
    const fail = (index: number, error: unknown) => notify('error', `${laneLabel(index)}${errorText(error)}`);

    /** The experiment has every lane stopped: a race is saved (once) and its remaining workers released. */
    const checkOver = () => {
      const { lanes, savedId, experimentId } = get();
      if (lanes.length < 2 || savedId === experimentId || !summarize(lanes).over) return;
      set({ savedId: experimentId });
      void keepExperiment('finished');
    };

    /** A race lane stopped for good: keep its final weights, end its worker (frees its core). */
    const releaseLane = async (index: number, token: number) => {
      const driver = drivers[index];
      if (!driver || get().lanes.length < 2) return;
      const snapshot = await driver.client.snapshot().catch(() => driver.latestSnapshot());
      if (token !== generation || drivers[index] !== driver) return;
      finalSnapshots[index] = snapshot;
      driver.close();
      drivers[index] = null;
      dispatch(index, { type: 'workerGone', phase: 'closed' });
      checkOver();
    };
    /** Snapshot of each race lane taken when it was released. */
    let finalSnapshots: (RunSnapshot | null)[] = [];

    const attach = async (index: number, token: number): Promise<LaneDriver | null> => {
      const client = await options.createClient();
      if (token !== generation) {
        client.terminate();
        return null;
      }
      const driver = new LaneDriver(client, {
        batch(batch) {
          if (token !== generation) return;
          dispatch(index, {
            type: 'batch',
            batch,
            canRollBack: batch.status === 'diverged' && client.rollback !== undefined,
          });
          if (batch.message) {
            const rollable = batch.status === 'diverged' && client.rollback !== undefined;
            notify(
              batch.status === 'error' ? 'error' : batch.status === 'diverged' ? 'warning' : 'info',
              `${laneLabel(index)}${batch.message}`,
              rollable ? { label: ROLLBACK_LABEL, run: () => void get().rollback(index) } : undefined,
            );
          }
          const lane = get().lanes[index];
          if (lane && STOPPED.includes(batch.status) && laneDone(lane)) {
            // A diverged lane keeps its (paused) worker for a rollback; it counts as stopped.
            if (lane.canRollBack) checkOver();
            else void releaseLane(index, token);
          }
        },
        workerError(message, recovering) {
          if (token !== generation) return;
          driver.runToken++;
          // A supervised worker is being replaced: its new worker's first batch says how it resumed.
          if (recovering) return;
          dispatch(index, { type: 'workerGone', phase: 'failed' });
          notify('error', `${laneLabel(index)}The training worker stopped: ${message}`);
          checkOver();
        },
        recovery(report) {
          if (token !== generation || report.ok) return;
          dispatch(index, { type: 'workerGone', phase: 'failed' });
          notify('error', `${laneLabel(index)}The training worker stopped: ${report.reason}`);
          checkOver();
        },
      });
      drivers[index] = driver;
      return driver;
    };

    /** Applies an init/reset result to lane `index`: a fresh run, or the issues beside the fields. */
    const adopt = (
      index: number,
      result: InitResult,
      identity?: { id: string; createdAt: number },
    ): boolean => {
      if (!result.ok) {
        dispatch(index, { type: 'buildFailed', failed: false });
        set((state) => ({
          lanes: state.lanes.map((lane, i) =>
            i === index ? { ...lane, issues: { ...lane.issues, ...issueMap(result.issues) } } : lane,
          ),
        }));
        notify(
          'error',
          `${laneLabel(index)}The worker rejected this configuration; see the highlighted fields.`,
        );
        return false;
      }
      dispatch(index, {
        type: 'built',
        result,
        id: identity?.id ?? get().experimentId,
        createdAt: identity?.createdAt ?? get().createdAt,
      });
      return true;
    };

    /**
     * Builds every lane's run from its draft (or `configs`): lane A first (its backend choice; 'auto' measures),
     * the others forced onto lane A's backend. Lanes without a worker get one.
     */
    const build = async (
      token: number,
      mode: 'init' | 'reset',
      { invalidDraft = 'refuse' }: { invalidDraft?: 'refuse' | 'defaults' } = {},
    ): Promise<boolean> => {
      const run = async (index: number, backend: BackendChoice): Promise<boolean> => {
        const lane = get().lanes[index];
        const validated = validateConfig(lane.draft);
        const checked =
          !validated.ok && invalidDraft === 'defaults'
            ? { ok: true as const, config: DEFAULT_CONFIG }
            : validated;
        if (!checked.ok) {
          set((state) => ({
            lanes: state.lanes.map((each, i) =>
              i === index ? { ...each, issues: issueMap(checked.issues) } : each,
            ),
          }));
          notify('error', `${laneLabel(index)}Fix the highlighted settings first.`);
          if (!drivers[index]) dispatch(index, { type: 'buildFailed', failed: mode === 'init' });
          return false;
        }
        dispatch(index, { type: 'building' });
        const attached = !drivers[index];
        const driver =
          drivers[index] ?? (await attach(index, token).catch((error) => startFailed(index, error)));
        if (!driver) return false;
        return driver.serial(async () => {
          driver.clearLiveTimer();
          driver.runToken++;
          try {
            // A new worker (first build, or a race lane released when it finished) has no run to reset.
            const fresh = mode === 'init' || attached || get().lanes[index].run === null;
            const result = fresh
              ? await driver.client.init(checked.config, backend)
              : await driver.client.reset(checked.config);
            if (token !== generation) return false;
            return adopt(index, result);
          } catch (error) {
            if (token !== generation) return false;
            dispatch(index, { type: 'buildFailed', failed: mode === 'init' });
            fail(index, error);
            return false;
          }
        });
      };
      if (!(await run(0, get().backendChoice))) return false;
      const backend = get().lanes[0].backend?.backend ?? get().backendChoice;
      const rest = await Promise.all(
        get()
          .lanes.slice(1)
          .map((_, i) => run(i + 1, backend)),
      );
      return rest.every(Boolean);
    };

    const startFailed = (index: number, error: unknown): null => {
      dispatch(index, { type: 'buildFailed', failed: true });
      notify('error', `${laneLabel(index)}The training worker could not start: ${errorText(error)}`);
      return null;
    };

    const closeAll = () => {
      generation++;
      drivers.forEach((driver) => driver?.close());
      drivers = [];
      finalSnapshots = [];
      connecting = null;
    };

    /** Keeps the experiment (the run store) as it stands, with every lane's weights. */
    const keepExperiment = async (why: 'finished' | 'replaced'): Promise<void> => {
      if (!options.keep) return;
      const record = await get().captureRun(true);
      if (!record) return;
      try {
        await options.keep(record);
        if (why === 'replaced') {
          notify(
            'info',
            `“${record.name}” (step ${formatInteger(summarize(get().lanes).step)}) was kept in your runs.`,
            {
              label: 'Reopen it',
              run: () => void get().restoreRun(record),
            },
          );
        }
      } catch (error) {
        notify('warning', `“${record.name}” could not be kept: ${errorText(error)}`);
      }
    };

    /** Replaces the lanes (after keeping an experiment that has progress) and builds them. */
    const replaceLanes = async (
      lanes: Lane[],
      fields: Partial<LabState>,
      autoStart = false,
    ): Promise<boolean> => {
      const before = get();
      if (before.lanes.some((lane) => lane.step > 0) && before.savedId !== before.experimentId) {
        await get().pause();
        await keepExperiment('replaced');
      }
      closeAll();
      const token = generation;
      drivers = lanes.map(() => null);
      finalSnapshots = lanes.map(() => null);
      set({ ...fields, lanes, focus: 0, experimentId: newRunId(), createdAt: now(), savedId: null });
      const built = build(token, 'init');
      // connect() (the page's first effect) finds these lanes already being built.
      connecting = built.then(() => undefined);
      const ok = await built;
      if (token !== generation) return false;
      if (ok && autoStart) await get().start();
      return ok;
    };

    const sendLive = async (index: number) => {
      const driver = drivers[index];
      if (!driver || get().lanes[index]?.phase !== 'ready') return;
      await driver.serial(async () => {
        const { config, draft, issues } = get().lanes[index];
        const patch = livePatch(config, draft);
        if (!patch || Object.keys(issues).some((path) => path.split('.')[0] in patch)) return;
        try {
          const result = await driver.client.update(patch);
          if (!result.ok) {
            set((state) => ({
              lanes: state.lanes.map((lane, i) =>
                i === index ? { ...lane, issues: { ...lane.issues, ...issueMap(result.issues) } } : lane,
              ),
            }));
            return;
          }
          const next = resolveConfig(patch, get().lanes[index].config);
          dispatch(index, {
            type: 'updated',
            config: next.ok ? next.config : get().lanes[index].config,
            events: result.events,
          });
        } catch (error) {
          fail(index, error);
        }
      });
    };

    const editLanes = (patch: Record<string, unknown>, lanes: readonly number[]) =>
      set((state) => ({
        lanes: state.lanes.map((lane, i) => {
          if (!lanes.includes(i)) return lane;
          const draft = deepMerge(lane.draft, patch);
          return {
            ...lane,
            draft,
            issues: draftIssues(draft),
            pendingReset: fixedChanges(lane.config, draft),
          };
        }),
      }));

    const scheduleLive = (index: number) => {
      const driver = drivers[index];
      if (!driver) return;
      driver.clearLiveTimer();
      driver.liveTimer = setTimeout(() => {
        driver.liveTimer = null;
        void sendLive(index);
      }, liveDelay);
    };

    /** Trains lane `index`; a link's schedule is replayed exactly (train to each change, apply it, go on). */
    const runLane = async (index: number, driver: LaneDriver, token: number) => {
      try {
        let step = get().lanes[index].step;
        for (;;) {
          const { due, later } = dueEntries(get().lanes[index].schedule, step);
          if (due.length > 0) {
            set((state) => ({
              lanes: state.lanes.map((lane, i) => (i === index ? { ...lane, schedule: later } : lane)),
            }));
            editLanes(schedulePatch(due), [index]);
            await sendLive(index);
          }
          if (token !== driver.runToken) return;
          if (later.length === 0) return await driver.client.start();
          const count = later[0].step - step;
          await driver.client.step(count);
          if (token !== driver.runToken || STOPPED.includes(get().lanes[index].status)) return;
          step += count;
          dispatch(index, { type: 'status', status: 'running' });
        }
      } catch (error) {
        dispatch(index, { type: 'status', status: 'error' });
        fail(index, error);
      }
    };

    const liveDrivers = (): [number, LaneDriver][] =>
      drivers.flatMap((driver, index) =>
        driver && isLive(get().lanes[index]) ? [[index, driver] as [number, LaneDriver]] : [],
      );

    return {
      lanes: [newLane(SINGLE, initialConfig, options.schedule)],
      focus: 0,
      experimentId: newRunId(),
      createdAt: now(),
      title: '',
      presetName: options.presetName ?? null,
      backendChoice: 'auto',
      savedId: null,
      notices: (options.notices ?? []).map((text) => ({ id: ++noticeId, kind: 'info' as const, text })),
      classroom: options.classroom ?? false,
      xScale: 'log',

      connect() {
        connecting ??= (async () => {
          const token = generation;
          drivers = get().lanes.map(() => null);
          finalSnapshots = get().lanes.map(() => null);
          // A link's draft that cannot run opens the defaults (its problems are shown beside the fields).
          await build(token, 'init', { invalidDraft: 'defaults' });
          if (token !== generation) return;
          // Live edits in the draft (a link's, or made while the backend was starting) reach the worker now.
          await get().flushLive();
        })();
        return connecting;
      },

      async restartWorker(index = get().focus) {
        const driver = drivers[index];
        if (driver?.client.recover) {
          await driver.client.recover('restarted from the page');
          return;
        }
        // An unsupervised client (tests): a new worker and a fresh run.
        driver?.close();
        drivers[index] = null;
        await build(generation, 'init');
      },

      async rollback(index = get().focus) {
        const driver = drivers[index];
        if (!driver?.client.rollback || !isLive(get().lanes[index])) return;
        const token = generation;
        await driver.serial(async () => {
          driver.runToken++;
          try {
            const result = await driver.client.rollback!();
            if (token !== generation) return;
            if (!result.ok) return notify('error', `${laneLabel(index)}${rollbackFailure(result.issues)}`);
            dispatch(index, { type: 'rolledBack', result });
          } catch (error) {
            fail(index, error);
          }
        });
        // A race lane rejoins the race at once when the others run.
        const others = get().lanes.filter((_, i) => i !== index);
        if (others.some((lane) => lane.status === 'running')) {
          dispatch(index, { type: 'status', status: 'running' });
          await runLane(index, driver, ++driver.runToken);
        }
      },

      async start() {
        const { lanes } = get();
        // Settings waiting for a reset, at step 0: build with them first.
        if (lanes.some((lane) => lane.pendingReset.length > 0 && lane.step === 0)) await get().reset();
        // Taken before anything a pause() could interleave with: a pause during the flush cancels the start.
        const tokens = drivers.map((driver) => (driver ? ++driver.runToken : -1));
        await get().flushLive();
        const live = liveDrivers().filter(([index, driver]) => {
          const lane = get().lanes[index];
          return (
            driver.runToken === tokens[index] &&
            lane.status !== 'running' &&
            !STOPPED.includes(lane.status) &&
            lane.pendingReset.length === 0
          );
        });
        await Promise.all(
          live.map(([index, driver]) => {
            dispatch(index, { type: 'status', status: 'running' });
            return runLane(index, driver, tokens[index]);
          }),
        );
      },

      async pause() {
        await Promise.all(
          liveDrivers().map(async ([index, driver]) => {
            driver.runToken++;
            try {
              await driver.client.pause();
              if (get().lanes[index].status === 'running')
                dispatch(index, { type: 'status', status: 'paused' });
            } catch (error) {
              fail(index, error);
            }
          }),
        );
      },

      async togglePlay() {
        if (summarize(get().lanes).status === 'running') await get().pause();
        else await get().start();
      },

      async stepOnce(count = 1) {
        if (summarize(get().lanes).status === 'running') return;
        await get().flushLive();
        await Promise.all(
          liveDrivers().map(([index, driver]) =>
            driver.client.step(count).catch((error) => fail(index, error)),
          ),
        );
      },

      async reset() {
        const { lanes } = get();
        if (lanes.some((lane) => lane.busy || lane.phase === 'disconnected' || lane.phase === 'starting'))
          return;
        // A link's schedule belongs to the run it opened; once that run has moved, a reset starts afresh.
        set((state) => ({
          savedId: null,
          lanes: state.lanes.map((lane) => (lane.step > 0 ? { ...lane, schedule: [] } : lane)),
          ...(lanes.some((lane) => lane.step > 0) ? { experimentId: newRunId(), createdAt: now() } : {}),
        }));
        finalSnapshots = finalSnapshots.map(() => null);
        await build(generation, 'reset');
      },

      setField(path, value) {
        get().setFields(patchFromPath(path, value));
      },

      setFields(patch) {
        const { focus, lanes } = get();
        // In a race, regularizers and the optimizer differ per lane; everything else (task, model, seed, the
        // evaluation schedule and stop rules) is the same in every lane, so the race stays fair.
        const own = Object.fromEntries(Object.entries(patch).filter(([key]) => PER_LANE.includes(key)));
        const shared = Object.fromEntries(Object.entries(patch).filter(([key]) => !PER_LANE.includes(key)));
        const everyLane = lanes.map((_, i) => i);
        if (Object.keys(own).length > 0) editLanes(own, [focus]);
        if (Object.keys(shared).length > 0) editLanes(shared, lanes.length === 1 ? [focus] : everyLane);
        const live = Object.keys(patch).some(isLivePath);
        if (!live) return;
        for (const index of Object.keys(shared).some(isLivePath) ? everyLane : [focus]) scheduleLive(index);
      },

      async flushLive() {
        await Promise.all(
          get().lanes.map((_, index) => {
            drivers[index]?.clearLiveTimer();
            return sendLive(index);
          }),
        );
      },

      toggleRegularizer(id, index = get().focus) {
        const lane = get().lanes[index];
        const configs = lane?.draft.regularizers as Record<string, { enabled: boolean }> | undefined;
        if (!configs?.[id]) return;
        editLanes({ regularizers: { [id]: { enabled: !configs[id].enabled } } }, [index]);
        drivers[index]?.clearLiveTimer();
        void sendLive(index);
      },

      setFocus(index) {
        if (index >= 0 && index < get().lanes.length) set({ focus: index });
      },

      clearSchedule() {
        set((state) => ({ lanes: state.lanes.map((lane) => ({ ...lane, schedule: [] })) }));
      },

      async applyPreset(name) {
        if (!isPresetName(name)) return;
        const result = resolveConfig(PRESETS[name].config);
        if (!result.ok) {
          notify('error', `Preset "${name}" is invalid: ${result.issues.map((i) => i.message).join('; ')}`);
          return;
        }
        if (get().lanes.length === 1 && get().lanes[0].step === 0) {
          // Nothing to lose: the one lane takes the preset's settings.
          set((state) => {
            const lane = state.lanes[0];
            const pendingReset = fixedChanges(lane.config, result.config);
            return {
              presetName: name,
              lanes: [{ ...lane, draft: result.config, issues: {}, schedule: [], pendingReset }],
            };
          });
          if (get().lanes[0].phase === 'ready') await get().reset();
          return;
        }
        await replaceLanes([newLane(SINGLE, result.config)], { presetName: name, title: '' });
      },

      async startRace(preset, startOptions) {
        const lanes = raceLanes(preset, RACE_EVAL_EVERY);
        if (!lanes.ok) {
          notify('error', lanes.issues.map((issue) => issue.message).join('; '));
          return false;
        }
        return get().startLanes(lanes.title, lanes.lanes, {
          ...startOptions,
          preset: isPresetName(preset) ? preset : null,
        });
      },

      async startLanes(title, specs, startOptions = {}) {
        const limit = laneLimit(options.cores);
        if (specs.length > limit) {
          notify(
            'warning',
            `This machine has ${limit} cores: racing the first ${limit} of ${specs.length} lanes.`,
          );
        }
        const lanes = specs.slice(0, limit).map((spec) => newLane(spec, spec.config));
        return replaceLanes(
          lanes,
          { title, presetName: startOptions.preset ?? null },
          startOptions.autoStart !== false,
        );
      },

      async closeRace() {
        const { lanes, focus, presetName } = get();
        if (lanes.length < 2) return;
        await replaceLanes([newLane(SINGLE, lanes[focus].startConfig)], { title: '', presetName });
      },

      async setBackendChoice(choice) {
        set({ backendChoice: choice });
        if (get().lanes.some(isLive)) await build(generation, 'init');
      },

      dismissNotice(id) {
        set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) }));
      },

      notify,

      async captureRun(withSnapshot) {
        const { lanes, experimentId, createdAt, title, presetName } = get();
        if (!lanes.some((lane) => lane.run !== null || lane.history.length > 0)) return null;
        const snapshots = await Promise.all(
          lanes.map(async (_, index) => {
            if (!withSnapshot) return null;
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
        return experimentRecord({ id: experimentId, createdAt, title, presetName }, lanes, snapshots, now());
      },

      async restoreRun(record) {
        const saved = savedExperiment(record);
        if (!saved.ok) {
          notify('error', saved.message);
          return false;
        }
        const weightless = saved.lanes.length === 1 && !saved.lanes[0].snapshot;
        const lanes = saved.lanes.map((lane) => ({
          // Without weights a run reopens as its settings, to run again from the start.
          ...newLane(
            saved.lanes.length === 1 ? SINGLE : lane,
            weightless ? lane.startConfig : lane.endConfig,
          ),
          startConfig: lane.startConfig,
        }));
        const before = get();
        if (before.lanes.some((lane) => lane.step > 0) && before.savedId !== before.experimentId) {
          await get().pause();
          await keepExperiment('replaced');
        }
        closeAll();
        const token = generation;
        connecting = Promise.resolve();
        drivers = lanes.map(() => null);
        finalSnapshots = saved.lanes.map((lane) => lane.snapshot);
        set({
          lanes,
          focus: 0,
          title: saved.title,
          presetName: saved.presetName,
          experimentId: record.id,
          createdAt: record.createdAt,
          savedId: record.id,
        });
        if (weightless) {
          // No weights: its settings open as a fresh run.
          await build(token, 'init');
          notify(
            'info',
            `“${record.name}” has no saved weights: its settings are loaded; press Start to run it again.`,
          );
          return true;
        }
        const results = await Promise.all(
          saved.lanes.map(async (lane, index) => {
            if (
              !lane.snapshot ||
              (lanes.length > 1 && STOPPED.includes(lane.status) && lane.status !== 'diverged')
            ) {
              dispatch(index, {
                type: 'archived',
                history: lane.history,
                events: lane.events,
                status: lane.status,
              });
              return true;
            }
            const snapshot = lane.snapshot;
            dispatch(index, { type: 'building' });
            const driver = await attach(index, token).catch((error) => startFailed(index, error));
            if (!driver) return false;
            return driver.serial(async () => {
              try {
                const result = await driver.client.restore(snapshot);
                if (token !== generation) return false;
                if (!result.ok) return adopt(index, result);
                dispatch(index, {
                  type: 'restored',
                  result,
                  id: record.id,
                  createdAt: record.createdAt,
                  snapshot,
                  startConfig: lane.startConfig,
                });
                return true;
              } catch (error) {
                dispatch(index, { type: 'buildFailed', failed: true });
                fail(index, error);
                return false;
              }
            });
          }),
        );
        if (token !== generation) return false;
        checkOver();
        return results.every(Boolean);
      },

      setClassroom(on) {
        set({ classroom: on });
      },

      setXScale(scale) {
        set({ xScale: scale });
      },

      forkExperiment() {
        set({ experimentId: newRunId(), savedId: null });
      },
    };
  });
  return store;
}

/** The regularizer ids in card order (the order of the 1–9 shortcuts). */
export const REGULARIZER_ORDER: readonly string[] = REGULARIZER_IDS;

/** Events of the focused lane, for chart markers. */
export const selectEvents = (state: LabState): ConfigEvent[] => focusLane(state).eventLog.events;

/** The lane the sidebar edits and the single-lane views show. */
export function focusLane(state: Pick<LabState, 'lanes' | 'focus'>): Lane {
  return state.lanes[state.focus] ?? state.lanes[0];
}

export type { RunStatus };

const LabContext = createContext<LabStore | null>(null);

export function LabProvider({ store, children }: { store: LabStore; children: ReactNode }) {
  return createElement(LabContext.Provider, { value: store }, children);
}

export function useLabStore(): LabStore {
  const store = useContext(LabContext);
  if (!store) throw new Error('useLab outside <LabProvider>');
  return store;
}

/** Reads a slice of the lab state (re-renders only when it changes). */
export function useLab<T>(selector: (state: LabState & LabActions) => T): T {
  return useStore(useLabStore(), selector);
}

/** Reads a slice of the focused lane. */
export function useLane<T>(selector: (lane: Lane) => T): T {
  return useStore(useLabStore(), (state) => selector(focusLane(state)));
}

/** The summary of the lanes on screen (the top bar's step, status and speed). */
export function useExperiment<T>(selector: (summary: ReturnType<typeof summarize>) => T): T {
  return useStore(useLabStore(), (state) => selector(summarize(state.lanes)));
}
