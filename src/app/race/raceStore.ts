/**
 * Race mode's state: N lanes, each a full run in its own worker (its own client, backend, history, events),
 * driven together (start, pause, reset) or one at a time (a regularizer switched in one lane only). A separate
 * zustand store, so the single-run lab's store is untouched; the client factory is injectable for tests.
 *
 * Fairness: lane A picks the backend (by measurement), every other lane is forced onto that backend; all lanes
 * evaluate every RACE_EVAL_EVERY steps and share the seed (identical initial weights). A lane that finishes
 * (grokked + stopAfterGrok, or the step budget) is snapshotted and its worker terminated, freeing its core.
 * When every lane has stopped the race is saved as one comparison record, which reopens here read-only (openSaved).
 *
 * A lane that diverges is treated like the single run: its worker pauses with a message naming the step and
 * what diverged, and keeps its run so that lane alone can roll back (lower learning rate) and rejoin the race;
 * the other lanes run on.
 */
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { resolveConfig, patchFromPath, validateConfig, formatIssues, type Config } from '../../engine/config';
import type { PresetName } from '../../engine/presets';
import { isPresetName } from '../../engine/presets';
import { newRunId, type StoredComparisonLane, type StoredRun } from '../../lib/runStore';
import { BACKEND_ORDER } from '../../worker/backendChoice';
import type { ClientBatch, TrainingClient, WorkerClient } from '../../worker/client';
import type {
  BackendChoice,
  BackendName,
  InitResult,
  MetricRecord,
  RunSnapshot,
  RunStatus,
} from '../../worker/protocol';
import { addEvents, EMPTY_EVENT_LOG, rewindEvents, type EventLog } from '../logic/events';
import { gridTargets } from '../logic/gridTargets';
import { schedulePatch } from '../logic/link';
import { rollbackFailure, rolledBack } from '../logic/rollback';
import {
  fairnessIssues,
  laneColor,
  laneFinish,
  laneLimit,
  RACE_EVAL_EVERY,
  raceLanes,
  raceMessage,
  raceOutcome,
  type LaneSpec,
} from './lanes';

/**
 * What the race drives in each lane's worker (the comlink client in the app, a fake in tests); rollback after a
 * divergence when the worker offers it, as for the single run.
 */
export type RaceClient = Pick<
  TrainingClient,
  'init' | 'start' | 'pause' | 'reset' | 'update' | 'snapshot' | 'onBatch' | 'onWorkerError' | 'terminate'
> &
  Partial<Pick<WorkerClient, 'rollback'>>;

/** A lane's worker: starting, running a run, failed, or closed (terminated after the lane finished). */
export type LanePhase = 'starting' | 'ready' | 'failed' | 'closed';

export interface LaneGrid {
  size: number;
  a: Int32Array;
  b: Int32Array;
  targets: Int32Array;
  isTrain: Uint8Array;
}

export interface LaneState extends LaneSpec {
  /** The config the lane started from (reset goes back to it). */
  startConfig: Config;
  phase: LanePhase;
  status: RunStatus;
  step: number;
  stepsPerSecond: number;
  backend: BackendName | null;
  /** The lane's backend report (lane A: why this backend; the others: forced to lane A's). */
  backendSummary: string | null;
  datasetTitle: string | null;
  grid: LaneGrid | null;
  history: MetricRecord[];
  eventLog: EventLog;
  predictions: Int32Array | null;
  /** The lane's latest notice from its worker (finished, diverged, …). */
  message: string | null;
  /** The lane diverged and its worker can roll it back (it keeps its run until then). */
  canRollBack: boolean;
}

export type RacePhase = 'idle' | 'starting' | 'ready' | 'running' | 'paused' | 'finished' | 'failed';

export interface RaceState {
  /** The race view is open. */
  open: boolean;
  preset: PresetName | null;
  title: string;
  lanes: LaneState[];
  phase: RacePhase;
  /** An init/reset is in flight. */
  busy: boolean;
  errors: string[];
  /** Id of the saved comparison, once saved. */
  savedId: string | null;
  /** The race shown is a saved one, reopened from the runs (no workers until it is reset). */
  reopened: boolean;
}

export interface RaceActions {
  /** Builds the preset's race (two lanes) and, unless `autoStart` is false, starts it. */
  startRace(preset: string, options?: { autoStart?: boolean }): Promise<boolean>;
  /** Builds a race from explicit lanes (at most laneLimit(cores)). */
  startLanes(
    title: string,
    lanes: LaneSpec[],
    options?: { autoStart?: boolean; preset?: PresetName | null },
  ): Promise<boolean>;
  /** Starts (or resumes) every lane that has not finished. */
  resume(): Promise<void>;
  /** Pauses every lane. */
  pause(): Promise<void>;
  togglePlay(): Promise<void>;
  /** Every lane back to step 0 with its starting config: the same seed, hence the same initial weights. */
  reset(): Promise<void>;
  /** After a lane diverged: that lane back to its last good state with the learning rate halved; it races on. */
  rollbackLane(lane: number): Promise<void>;
  /** Switches a regularizer in one lane only (live, between two steps). */
  toggleRegularizer(lane: number, id: string): Promise<void>;
  /** Changes one live setting (regularizers/optimizer) in one lane only. */
  setLaneField(lane: number, path: string, value: unknown): Promise<void>;
  /** The race as one record (for the run store and export), its first lane's snapshot when available. */
  capture(): StoredRun | null;
  /** Saves the race now (also done automatically when every lane has stopped). */
  save(): Promise<void>;
  /**
   * Shows a race saved as one comparison record (from the run store or a file): every lane's history, events,
   * finish line and the result, read-only. Reset races it again from the same weights. False if it is no race.
   */
  openSaved(run: StoredRun): boolean;
  /** Ends every worker and closes the race view. */
  close(): void;
}

export type RaceStore = StoreApi<RaceState & RaceActions>;

export interface RaceStoreOptions {
  /** One new worker client per lane. */
  createClient: () => RaceClient;
  /** Where a finished race is saved (the run store in the app); absent: not saved. */
  saveRun?: (run: StoredRun) => Promise<void>;
  /** Cores available (navigator.hardwareConcurrency). */
  cores?: number;
  now?: () => number;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const INITIAL: RaceState = {
  open: false,
  preset: null,
  title: '',
  lanes: [],
  phase: 'idle',
  busy: false,
  errors: [],
  savedId: null,
  reopened: false,
};

const LANE_RUN = {
  status: 'idle' as RunStatus,
  step: 0,
  stepsPerSecond: 0,
  history: [] as MetricRecord[],
  eventLog: EMPTY_EVENT_LOG,
  predictions: null,
  message: null,
  canRollBack: false,
};

const STOPPED: readonly RunStatus[] = ['finished', 'diverged', 'error'];

/**
 * A saved lane as the race view shows it (no worker: phase 'closed'), or why it cannot be shown. Its config is the
 * starting one with its recorded changes applied, so the lane's switches show where it ended.
 */
function savedLane(saved: StoredComparisonLane, index: number): LaneState | string {
  const start = validateConfig(saved.config);
  if (!start.ok) return `Lane ${saved.name}: ${formatIssues(start.issues)}`;
  if (!Array.isArray(saved.history)) return `Lane ${saved.name}: no history`;
  const events = Array.isArray(saved.events) ? saved.events : [];
  const ended = resolveConfig(schedulePatch(events), start.config);
  const backend = BACKEND_ORDER.find((name) => name === saved.backend) ?? null;
  return {
    name: saved.name,
    difference: Array.isArray(saved.difference) ? saved.difference : [],
    color: laneColor(index),
    config: ended.ok ? ended.config : start.config,
    startConfig: start.config,
    ...LANE_RUN,
    phase: 'closed',
    status: saved.status === 'running' ? 'paused' : saved.status,
    step: saved.history.at(-1)?.step ?? 0,
    backend,
    backendSummary: null,
    datasetTitle: null,
    grid: null,
    history: saved.history,
    eventLog: addEvents(EMPTY_EVENT_LOG, events, 'stream'),
  };
}

export function createRaceStore(options: RaceStoreOptions): RaceStore {
  const now = options.now ?? (() => Date.now());
  /** The worker client of each lane (null once closed). */
  let clients: (RaceClient | null)[] = [];
  /** Removes each lane's listeners. */
  let detach: (() => void)[] = [];
  /** Bumped on every rebuild: batches and callbacks of an older race are ignored. */
  let generation = 0;
  /** Snapshot of each lane taken when it finished, before its worker was terminated. */
  let finalSnapshots: (RunSnapshot | null)[] = [];
  let raceId = newRunId();
  let createdAt = now();

  const store = createStore<RaceState & RaceActions>()((set, get) => {
    const error = (text: string) => set((state) => ({ errors: [...state.errors, text] }));

    const patchLane = (
      index: number,
      patch: Partial<LaneState> | ((lane: LaneState) => Partial<LaneState>),
    ) =>
      set((state) => ({
        lanes: state.lanes.map((lane, i) =>
          i === index ? { ...lane, ...(typeof patch === 'function' ? patch(lane) : patch) } : lane,
        ),
      }));

    const adopt = (index: number, result: InitResult): boolean => {
      if (!result.ok) {
        patchLane(index, { phase: 'failed', status: 'error' });
        error(
          `Lane ${get().lanes[index]?.name ?? index + 1}: ${result.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        );
        return false;
      }
      const targets = gridTargets(result.config.task, result.grid);
      patchLane(index, {
        ...LANE_RUN,
        phase: 'ready',
        step: result.step,
        config: result.config,
        backend: result.backend.backend,
        backendSummary: result.backend.summary,
        datasetTitle: result.datasetTitle,
        grid: result.grid && targets ? { ...result.grid, targets, isTrain: result.isTrain } : null,
      });
      return true;
    };

    /** Every lane has stopped: the race is over, and saved. */
    const checkOver = () => {
      const { lanes, phase } = get();
      if (phase === 'finished' || lanes.length === 0) return;
      if (
        !lanes.every(
          (lane) => lane.phase !== 'starting' && (STOPPED.includes(lane.status) || lane.phase !== 'ready'),
        )
      )
        return;
      set({ phase: 'finished' });
      void get().save();
    };

    /** A lane stopped for good: keep its final state, end its worker (frees its core). */
    const finishLane = async (index: number, token: number) => {
      const client = clients[index];
      if (!client) return;
      try {
        finalSnapshots[index] = await client.snapshot();
      } catch (_error) {
        finalSnapshots[index] = null; // the history is kept either way
      }
      if (token !== generation || clients[index] !== client) return;
      detach[index]?.();
      client.terminate();
      clients[index] = null;
      patchLane(index, { phase: 'closed', stepsPerSecond: 0 });
      checkOver();
    };

    const onBatch = (index: number, token: number, batch: ClientBatch) => {
      if (token !== generation) return;
      let stopped = false;
      patchLane(index, (lane) => {
        let { history, eventLog } = lane;
        if (batch.rewoundTo !== null) {
          const to = batch.rewoundTo;
          history = history.filter((record) => record.step <= to);
          eventLog = rewindEvents(eventLog, to);
        }
        if (batch.records.length > 0) history = history.concat(batch.records);
        const finish = laneFinish({ ...lane, status: batch.status, step: batch.step, history });
        stopped = batch.status === 'finished' || (STOPPED.includes(batch.status) && finish.done);
        return {
          status: batch.status,
          step: batch.step,
          stepsPerSecond: batch.stepsPerSecond,
          backend: batch.backend,
          history,
          eventLog: addEvents(eventLog, batch.events, 'stream'),
          ...(batch.predictions ? { predictions: batch.predictions } : {}),
          ...(batch.message ? { message: batch.message } : {}),
          canRollBack: batch.status === 'diverged' && clients[index]?.rollback !== undefined,
        };
      });
      const lane = get().lanes[index];
      if (!stopped || lane?.phase !== 'ready') return;
      // A diverged lane keeps its (paused) worker for a rollback, like the single run; it counts as stopped.
      if (lane.canRollBack) checkOver();
      else void finishLane(index, token);
    };

    const connectLane = (index: number, token: number): RaceClient => {
      const client = options.createClient();
      clients[index] = client;
      const offBatch = client.onBatch((batch) => onBatch(index, token, batch));
      const offError = client.onWorkerError((message) => {
        if (token !== generation) return;
        patchLane(index, { phase: 'failed', status: 'error' });
        error(`Lane ${get().lanes[index]?.name ?? index + 1}: the worker stopped (${message}).`);
        checkOver();
      });
      detach[index] = () => {
        offBatch();
        offError();
      };
      return client;
    };

    const endAll = () => {
      generation++;
      detach.forEach((off) => off());
      clients.forEach((client) => client?.terminate());
      clients = [];
      detach = [];
      finalSnapshots = [];
    };

    /**
     * Builds every lane's run: lane A first ('auto': picks the fastest backend by measurement), then the others
     * forced onto lane A's backend. Lanes whose worker was closed get a new worker.
     */
    const build = async (token: number, mode: 'init' | 'reset'): Promise<boolean> => {
      const lanes = get().lanes;
      const run = async (index: number, backend: BackendChoice): Promise<boolean> => {
        const config = lanes[index].startConfig;
        let client = clients[index];
        try {
          let result: InitResult;
          if (!client || mode === 'init') {
            client ??= connectLane(index, token);
            patchLane(index, { phase: 'starting' });
            result = await client.init(config, backend);
          } else {
            result = await client.reset(config);
          }
          if (token !== generation) return false;
          return adopt(index, result);
        } catch (caught) {
          if (token !== generation) return false;
          patchLane(index, { phase: 'failed', status: 'error' });
          error(`Lane ${lanes[index].name}: ${errorText(caught)}`);
          return false;
        }
      };
      if (!(await run(0, 'auto'))) return false;
      const backend = get().lanes[0].backend ?? 'auto';
      const rest = await Promise.all(lanes.slice(1).map((_, i) => run(i + 1, backend)));
      return rest.every(Boolean);
    };

    const liveClients = (): [number, RaceClient][] =>
      clients.flatMap((client, index) =>
        client && get().lanes[index]?.phase === 'ready' ? [[index, client] as [number, RaceClient]] : [],
      );

    const updateLane = async (index: number, patch: Record<string, unknown>) => {
      const client = clients[index];
      const lane = get().lanes[index];
      if (!client || !lane || lane.phase !== 'ready') return;
      try {
        const result = await client.update(patch);
        if (!result.ok) {
          error(`Lane ${lane.name}: ${result.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
          return;
        }
        patchLane(index, (current) => {
          const next = resolveConfig(patch, current.config);
          return {
            config: next.ok ? next.config : current.config,
            eventLog: addEvents(current.eventLog, result.events, 'update'),
          };
        });
      } catch (caught) {
        error(`Lane ${lane.name}: ${errorText(caught)}`);
      }
    };

    return {
      ...INITIAL,

      async startRace(preset, startOptions) {
        const lanes = raceLanes(preset, RACE_EVAL_EVERY);
        if (!lanes.ok) {
          set({
            ...INITIAL,
            open: true,
            phase: 'failed',
            errors: lanes.issues.map((issue) => issue.message),
          });
          return false;
        }
        return get().startLanes(lanes.title, lanes.lanes, {
          ...startOptions,
          preset: isPresetName(preset) ? preset : null,
        });
      },

      async startLanes(title, specs, startOptions = {}) {
        endAll();
        const token = generation;
        const limit = laneLimit(options.cores);
        const chosen = specs.slice(0, limit);
        raceId = newRunId();
        createdAt = now();
        set({
          ...INITIAL,
          open: true,
          title,
          preset: startOptions.preset ?? null,
          phase: 'starting',
          busy: true,
          errors:
            specs.length > limit
              ? [`This machine has ${limit} cores: racing the first ${limit} of ${specs.length} lanes.`]
              : [],
          lanes: chosen.map((spec) => ({
            ...spec,
            ...LANE_RUN,
            startConfig: spec.config,
            phase: 'starting' as const,
            backend: null,
            backendSummary: null,
            datasetTitle: null,
            grid: null,
          })),
        });
        clients = chosen.map(() => null);
        detach = chosen.map(() => () => undefined);
        finalSnapshots = chosen.map(() => null);
        const ok = await build(token, 'init');
        if (token !== generation) return false;
        set({ busy: false, phase: ok ? 'ready' : 'failed' });
        if (ok && startOptions.autoStart !== false) await get().resume();
        return ok;
      },

      async resume() {
        const { phase } = get();
        if (phase !== 'ready' && phase !== 'paused') return;
        const token = generation;
        const live = liveClients().filter(([index]) => !STOPPED.includes(get().lanes[index].status));
        if (live.length === 0) return;
        set({ phase: 'running' });
        for (const [index] of live) patchLane(index, { status: 'running' });
        try {
          // Each lane's start() returns once its loop is launched: the lanes run at the same time.
          await Promise.all(live.map(([, client]) => client.start()));
        } catch (caught) {
          if (token === generation) error(errorText(caught));
        }
      },

      async pause() {
        if (get().phase !== 'running') return;
        set({ phase: 'paused' });
        const live = liveClients();
        try {
          await Promise.all(live.map(([, client]) => client.pause()));
        } catch (caught) {
          error(errorText(caught));
        }
        for (const [index] of live) {
          if (get().lanes[index].status === 'running') patchLane(index, { status: 'paused' });
        }
      },

      async togglePlay() {
        if (get().phase === 'running') await get().pause();
        else await get().resume();
      },

      async reset() {
        if (get().lanes.length === 0 || get().busy) return;
        const wasRunning = get().phase === 'running';
        const token = generation;
        set({ busy: true, phase: 'starting', savedId: null, reopened: false });
        raceId = newRunId();
        createdAt = now();
        finalSnapshots = finalSnapshots.map(() => null);
        const ok = await build(token, 'reset');
        if (token !== generation) return;
        set({ busy: false, phase: ok ? 'ready' : 'failed' });
        if (ok && wasRunning) await get().resume();
      },

      async toggleRegularizer(index, id) {
        const lane = get().lanes[index];
        const settings = (lane?.config.regularizers as Record<string, { enabled: boolean }> | undefined)?.[
          id
        ];
        if (!settings) return;
        await updateLane(index, { regularizers: { [id]: { enabled: !settings.enabled } } });
      },

      async setLaneField(index, path, value) {
        const section = path.split('.')[0];
        if (section !== 'regularizers' && section !== 'optimizer') {
          error(
            `Only regularizer and optimizer settings change per lane (${path} would make the race unfair).`,
          );
          return;
        }
        await updateLane(index, patchFromPath(path, value));
      },

      async rollbackLane(index) {
        const client = clients[index];
        const lane = get().lanes[index];
        if (!client?.rollback || lane?.phase !== 'ready' || get().busy) return;
        const token = generation;
        try {
          const result = await client.rollback();
          if (token !== generation || clients[index] !== client) return;
          if (!result.ok) {
            error(`Lane ${lane.name}: ${rollbackFailure(result.issues)}`);
            return;
          }
          patchLane(index, (current) => ({
            ...rolledBack(current, result),
            message: null,
            canRollBack: false,
          }));
          // The lane rejoins the race: at once if the others are running (or had all stopped), else on resume.
          const { phase } = get();
          if (phase !== 'running' && phase !== 'finished') return;
          set({ phase: 'running' });
          patchLane(index, { status: 'running' });
          await client.start();
        } catch (caught) {
          if (token === generation) error(`Lane ${lane.name}: ${errorText(caught)}`);
        }
      },

      capture() {
        const { lanes, title, preset } = get();
        if (lanes.length < 2) return null;
        const progress = lanes.map((lane) => ({ ...lane, config: lane.config }));
        const outcome = raceOutcome(progress);
        const first = lanes[0];
        const statusOf = (lane: LaneState): RunStatus => (lane.status === 'running' ? 'paused' : lane.status);
        const snapshot = finalSnapshots[0];
        const fairness = fairnessIssues(lanes);
        return {
          id: raceId,
          name: `Race · ${title}${first.datasetTitle ? ` · ${first.datasetTitle}` : ''}`,
          createdAt,
          updatedAt: now(),
          config: first.startConfig,
          history: first.history,
          events: first.eventLog.events,
          status: statusOf(first),
          wallTimeMs: first.history.at(-1)?.trainingMs ?? 0,
          ...(snapshot ? { snapshot } : {}),
          comparison: {
            kind: 'race',
            title,
            preset,
            evalEvery: first.startConfig.training.evalEvery,
            winner: outcome.decided ? outcome.leader : null,
            summary:
              (raceMessage(progress, outcome) ?? 'Race in progress') +
              (fairness.length > 0 ? ` (unfair: ${fairness.join('; ')})` : ''),
            lanes: lanes.map((lane, i) => ({
              name: lane.name,
              difference: lane.difference,
              config: lane.startConfig,
              history: lane.history,
              events: lane.eventLog.events,
              status: statusOf(lane),
              wallTimeMs: lane.history.at(-1)?.trainingMs ?? 0,
              backend: lane.backend,
              grokStep: outcome.finishes[i].grokStep,
            })),
          },
        };
      },

      async save() {
        const run = get().capture();
        if (!run || !options.saveRun) return;
        try {
          await options.saveRun(run);
          set({ savedId: run.id });
        } catch (caught) {
          error(`The race could not be saved: ${errorText(caught)}`);
        }
      },

      openSaved(run) {
        endAll();
        const saved = run.comparison?.lanes ?? [];
        const built = saved.map(savedLane);
        const issues = built.flatMap((lane) => (typeof lane === 'string' ? [lane] : []));
        const lanes = built.filter((lane): lane is LaneState => typeof lane !== 'string');
        if (!run.comparison || lanes.length < 2 || issues.length > 0) {
          set({
            ...INITIAL,
            open: true,
            phase: 'failed',
            errors: issues.length > 0 ? issues : [`“${run.name}” is not a saved race.`],
          });
          return false;
        }
        raceId = run.id;
        createdAt = run.createdAt;
        clients = lanes.map(() => null);
        detach = lanes.map(() => () => undefined);
        finalSnapshots = lanes.map(() => null);
        const { title, preset } = run.comparison;
        set({
          ...INITIAL,
          open: true,
          title: title ?? run.name.replace(/^Race · /, ''),
          preset: preset !== null && isPresetName(preset) ? preset : null,
          phase: 'finished',
          lanes,
          savedId: run.id,
          reopened: true,
        });
        return true;
      },

      close() {
        endAll();
        set({ ...INITIAL });
      },
    };
  });
  return store;
}

const RaceContext = createContext<RaceStore | null>(null);

export function RaceProvider({ store, children }: { store: RaceStore; children: ReactNode }) {
  return createElement(RaceContext.Provider, { value: store }, children);
}

/** The race store, or null where the page has none (e.g. component tests of the single-run lab). */
export function useOptionalRaceStore(): RaceStore | null {
  return useContext(RaceContext);
}

export function useRaceStore(): RaceStore {
  const store = useContext(RaceContext);
  if (!store) throw new Error('useRace outside <RaceProvider>');
  return store;
}

/** Reads a slice of the race state (re-renders only when it changes). */
export function useRace<T>(selector: (state: RaceState & RaceActions) => T): T {
  return useStore(useRaceStore(), selector);
}
