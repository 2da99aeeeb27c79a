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
import { REGULARIZER_IDS, REGULARIZERS } from '../engine/regularizers/registry';
import { newRunId, type StoredRun } from '../lib/runStore';
import type { ClientBatch, TrainingClient, WorkerClient } from '../worker/client';
import type {
  BackendChoice,
  BackendName,
  BackendReport,
  ConfigEvent,
  InitResult,
  MetricRecord,
  RunSnapshot,
  RunStatus,
} from '../worker/protocol';
import { collectScalarKeys } from './logic/charts';
import { draftIssues, fixedChanges, issueMap, livePatch, type IssueMap } from './logic/configEdit';
import { isLivePath } from './logic/fields';
import type { AxisScale } from './logic/downsample';
import { addEvents, EMPTY_EVENT_LOG, rewindEvents, type EventLog } from './logic/events';
import { dueEntries, schedulePatch } from './logic/link';
import { detectMilestones, extendMilestones, NO_MILESTONES, type Milestones } from './logic/milestones';
import { ROLLBACK_LABEL, rollbackFailure, rolledBack } from './logic/rollback';

/** Where the connection to the training worker stands. */
export type Phase = 'disconnected' | 'starting' | 'ready' | 'failed';

export interface Notice {
  id: number;
  kind: 'error' | 'warning' | 'info';
  text: string;
  /** A button on the notice, e.g. "Resume". */
  action?: { label: string; run(): void };
}

/** What the worker told us about the run it built (its init result's description of the data and sites). */
export interface RunInfo extends Pick<
  Extract<InitResult, { ok: true }>,
  'sites' | 'datasetTitle' | 'gridSize' | 'grid' | 'isTrain' | 'tokenNames' | 'operandVocabulary'
> {
  /** Identity of this run for saving (a new one per init/reset; a restored run keeps its own). */
  id: string;
  /** When the run was built, ms since the epoch. */
  createdAt: number;
}

export interface Embedding {
  values: Float32Array;
  shape: [number, number];
}

/** A metric batch with its records unpacked (what the worker client delivers). */
export type IncomingBatch = ClientBatch;

/**
 * The worker API the store drives: TrainingApi's calls plus a batch listener. The real one is the comlink
 * client (src/worker/client.ts); tests inject a fake.
 */
export type LabClient = Omit<TrainingClient, 'terminate'> &
  Partial<Pick<TrainingClient, 'terminate'>> &
  Partial<Pick<WorkerClient, 'rollback' | 'onSnapshot'>>;

export interface LabState {
  /** What the controls show; may be invalid while the user types. */
  draft: Config;
  /** Problems with the draft, by dotted path, shown next to the fields. */
  issues: IssueMap;
  /** The config the worker's run uses now. */
  config: Config;
  /** The config the run started from (before any live change). */
  startConfig: Config;
  /** Changes still to apply at given steps (from a shared link), in step order. */
  schedule: ConfigEvent[];
  /** Draft changes (task, model, seed) that only a reset applies. */
  pendingReset: string[];
  presetName: PresetName | null;
  backendChoice: BackendChoice;

  phase: Phase;
  status: RunStatus;
  /** An init/reset is in flight. */
  busy: boolean;
  step: number;
  stepsPerSecond: number;
  backend: BackendReport | null;
  /** The backend the latest batch ran on (can differ from the report after a fallback). */
  activeBackend: BackendName | null;
  run: RunInfo | null;

  /** Every evaluation of the run (charts downsample). */
  history: MetricRecord[];
  eventLog: EventLog;
  milestones: Milestones;
  /** Regularizer scalar names seen in the history, e.g. { radial: ['penalty'] }. */
  scalarKeys: Record<string, readonly string[]>;
  predictions: Int32Array | null;
  embedding: Embedding | null;
  notices: Notice[];

  classroom: boolean;
  xScale: AxisScale;
}

export interface LabActions {
  /** Creates the client, subscribes and builds the first run. Safe to call twice. */
  connect(): Promise<void>;
  /** Ends a failed worker and starts a fresh one, resuming the run from its last periodic snapshot if any. */
  restartWorker(): Promise<void>;
  /** After a divergence: back to the last good state with the learning rate halved (when the worker can). */
  rollback(): Promise<void>;
  start(): Promise<void>;
  pause(): Promise<void>;
  togglePlay(): Promise<void>;
  stepOnce(count?: number): Promise<void>;
  /** Rebuilds the run from the draft (same seed = same initial weights). */
  reset(): Promise<void>;
  /** Edits one field. Live fields (regularizers, optimizer, training) reach the worker after a short pause. */
  setField(path: string, value: unknown): void;
  /** Edits several fields at once (a nested partial config). */
  setFields(patch: Record<string, unknown>): void;
  /** Sends pending live changes now. */
  flushLive(): Promise<void>;
  toggleRegularizer(id: string): void;
  /** Drops the remaining scheduled changes. */
  clearSchedule(): void;
  applyPreset(name: string): Promise<void>;
  setBackendChoice(choice: BackendChoice): Promise<void>;
  dismissNotice(id: number): void;
  notify(kind: Notice['kind'], text: string, action?: Notice['action']): void;
  /** The current run as a record to save or export, with its weights when `withSnapshot`. */
  captureRun(withSnapshot: boolean): Promise<StoredRun | null>;
  /** Continues a saved run: its weights, history and events (or, without weights, opens its settings). */
  restoreRun(run: StoredRun): Promise<boolean>;
  setClassroom(on: boolean): void;
  setXScale(scale: AxisScale): void;
}

export type LabStore = StoreApi<LabState & LabActions>;

export interface LabStoreOptions {
  /** The worker client, or a factory for it (created on connect()). */
  client: LabClient | (() => LabClient | Promise<LabClient>);
  initialConfig?: Config;
  presetName?: PresetName | null;
  classroom?: boolean;
  /** Changes to apply when the run reaches their steps (a shared link's schedule). */
  schedule?: ConfigEvent[];
  /** Notes shown at start, e.g. what was wrong with the link. */
  notices?: string[];
  /** Pause before a live edit is sent, so a dragged slider becomes one change (ms). */
  liveDelayMs?: number;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A readable name for a saved run: task, enabled regularizers, preset. */
export function runName(datasetTitle: string, config: Config, presetName: PresetName | null): string {
  const enabled = Object.entries(config.regularizers as Record<string, { enabled: boolean }>)
    .filter(([, settings]) => settings.enabled)
    .map(([id]) => (REGULARIZERS as unknown as Record<string, { label: string }>)[id]?.label ?? id);
  const preset = presetName ? `${PRESETS[presetName].title}: ` : '';
  return `${preset}${datasetTitle}${enabled.length > 0 ? ` · ${enabled.join(', ')}` : ''}`;
}

const RUN_DATA = {
  status: 'idle' as RunStatus,
  step: 0,
  stepsPerSecond: 0,
  history: [] as MetricRecord[],
  eventLog: EMPTY_EVENT_LOG,
  milestones: NO_MILESTONES,
  scalarKeys: {} as Record<string, readonly string[]>,
  predictions: null,
  embedding: null,
};

export function createLabStore(options: LabStoreOptions): LabStore {
  const initialConfig = options.initialConfig ?? DEFAULT_CONFIG;
  const liveDelay = options.liveDelayMs ?? 200;
  let client: LabClient | null = null;
  let connecting: Promise<void> | null = null;
  let liveTimer: ReturnType<typeof setTimeout> | null = null;
  let noticeId = 0;
  /** The worker's latest periodic snapshot of the run, to resume it in a new worker if this one dies. */
  let lastSnapshot: RunSnapshot | null = null;
  /** Times a dead worker was replaced on its own (bounded: a worker that dies at once again is left failed). */
  let autoRestarts: number[] = [];
  let restarting: Promise<void> | null = null;
  /** Bumped by pause/reset: a start() loop replaying a schedule stops when it sees a newer token. */
  let runToken = 0;
  /** Serializes init/reset/update so each sees the config the previous one left. */
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };

  const store = createStore<LabState & LabActions>()((set, get) => {
    const notify = (kind: Notice['kind'], text: string, action?: Notice['action']) =>
      set((state) => ({
        notices: [...state.notices, { id: ++noticeId, kind, text, ...(action ? { action } : {}) }],
      }));

    const fail = (error: unknown) => notify('error', errorText(error));

    /** Applies an InitResult: a fresh run on success, the issues next to the fields otherwise. */
    const adoptRun = (result: InitResult, identity?: { id: string; createdAt: number }) => {
      if (!result.ok) {
        set((state) => ({ issues: { ...state.issues, ...issueMap(result.issues) } }));
        notify('error', 'The worker rejected this configuration; see the highlighted fields.');
        return false;
      }
      const { config } = result;
      set((state) => ({
        ...RUN_DATA,
        step: result.step,
        config,
        startConfig: config,
        pendingReset: fixedChanges(config, state.draft),
        backend: result.backend,
        activeBackend: result.backend.backend,
        run: {
          id: identity?.id ?? newRunId(),
          createdAt: identity?.createdAt ?? Date.now(),
          sites: result.sites,
          datasetTitle: result.datasetTitle,
          gridSize: result.gridSize,
          grid: result.grid,
          isTrain: result.isTrain,
          tokenNames: result.tokenNames,
          operandVocabulary: result.operandVocabulary,
        },
        phase: 'ready',
      }));
      return true;
    };

    const onBatch = (batch: IncomingBatch) => {
      const { records } = batch;
      set((state) => {
        const threshold = state.config.training.grokThreshold;
        let { history, eventLog, milestones } = state;
        if (batch.rewoundTo !== null) {
          const rewoundTo = batch.rewoundTo;
          history = history.filter((record) => record.step <= rewoundTo);
          eventLog = rewindEvents(eventLog, rewoundTo);
          milestones = detectMilestones(history, threshold);
        }
        const next: Partial<LabState> = {
          status: batch.status,
          step: batch.step,
          stepsPerSecond: batch.stepsPerSecond,
          activeBackend: batch.backend,
          history,
          milestones,
          eventLog: addEvents(eventLog, batch.events, 'stream'),
        };
        if (records.length > 0) {
          next.history = history.concat(records);
          next.milestones = extendMilestones(milestones, records, threshold);
          next.scalarKeys = collectScalarKeys(state.scalarKeys, records);
        }
        if (batch.predictions) next.predictions = batch.predictions;
        if (batch.embedding) next.embedding = batch.embedding;
        return next;
      });
      if (batch.message) {
        const canRollBack = batch.status === 'diverged' && client?.rollback !== undefined;
        notify(
          batch.status === 'error' ? 'error' : batch.status === 'diverged' ? 'warning' : 'info',
          batch.message,
          canRollBack ? { label: ROLLBACK_LABEL, run: () => void get().rollback() } : undefined,
        );
      }
    };

    /** A new worker; the run resumes from the last periodic snapshot when there is one. */
    const restartWorker = async (): Promise<void> => {
      const old = client;
      const saved = lastSnapshot;
      const identity = get().run;
      client = null;
      connecting = null;
      lastSnapshot = null;
      queue = Promise.resolve();
      old?.terminate?.();
      set({ ...RUN_DATA, phase: 'disconnected', run: null, backend: null, activeBackend: null });
      await get().connect();
      if (!saved || !identity || get().phase !== 'ready') return;
      const resumed = await get().restoreRun({
        id: identity.id,
        name: identity.datasetTitle,
        createdAt: identity.createdAt,
        updatedAt: Date.now(),
        config: get().startConfig,
        history: saved.history,
        events: saved.events,
        status: 'paused',
        wallTimeMs: saved.history.at(-1)?.trainingMs ?? 0,
        snapshot: saved,
      });
      if (resumed) notify('info', `Resumed the run from step ${saved.step} in a new worker.`);
    };

    const requireClient = (): LabClient | null => (get().phase === 'ready' ? client : null);

    /** Validated draft, or null (and the issues shown) when it cannot be run. */
    const runnableDraft = (): Config | null => {
      const result = validateConfig(get().draft);
      if (result.ok) return result.config;
      set({ issues: issueMap(result.issues) });
      notify('error', 'Fix the highlighted settings first.');
      return null;
    };

    const rebuild = (backendChoice?: BackendChoice) =>
      serial(async () => {
        const config = runnableDraft();
        if (!config || !client) return;
        if (liveTimer) clearTimeout(liveTimer);
        liveTimer = null;
        runToken++;
        set({ busy: true });
        try {
          const result =
            backendChoice === undefined
              ? await client.reset(config)
              : await client.init(config, backendChoice);
          adoptRun(result);
        } catch (error) {
          fail(error);
        } finally {
          set({ busy: false });
        }
      });

    const sendLive = () =>
      serial(async () => {
        const active = requireClient();
        if (!active) return;
        const { config, draft, issues } = get();
        const patch = livePatch(config, draft);
        if (!patch || Object.keys(issues).some((path) => path.split('.')[0] in patch)) return;
        try {
          const result = await active.update(patch);
          if (!result.ok) {
            set((state) => ({ issues: { ...state.issues, ...issueMap(result.issues) } }));
            return;
          }
          set((state) => {
            const nextConfig = resolveConfig(patch, state.config);
            const applied = nextConfig.ok ? nextConfig.config : state.config;
            const thresholdChanged = applied.training.grokThreshold !== state.config.training.grokThreshold;
            return {
              config: applied,
              eventLog: addEvents(state.eventLog, result.events, 'update'),
              milestones: thresholdChanged
                ? detectMilestones(state.history, applied.training.grokThreshold)
                : state.milestones,
            };
          });
        } catch (error) {
          fail(error);
        }
      });

    /** Applies scheduled changes as if the user had made them (the controls follow). */
    const applyScheduled = async (entries: ConfigEvent[]) => {
      const patch = schedulePatch(entries);
      set((state) => {
        const draft = deepMerge(state.draft, patch);
        return { draft, issues: draftIssues(draft) };
      });
      await get().flushLive();
    };

    return {
      draft: initialConfig,
      issues: draftIssues(initialConfig),
      config: initialConfig,
      startConfig: initialConfig,
      schedule: [...(options.schedule ?? [])].sort((a, b) => a.step - b.step),
      pendingReset: [],
      presetName: options.presetName ?? null,
      backendChoice: 'auto',
      phase: 'disconnected',
      busy: false,
      backend: null,
      activeBackend: null,
      run: null,
      notices: (options.notices ?? []).map((text) => ({ id: ++noticeId, kind: 'info' as const, text })),
      classroom: options.classroom ?? false,
      xScale: 'log',
      ...RUN_DATA,

      connect() {
        connecting ??= (async () => {
          set({ phase: 'starting', busy: true });
          try {
            client = typeof options.client === 'function' ? await options.client() : options.client;
            const current = client;
            current.onBatch(onBatch);
            current.onSnapshot?.((snapshot) => {
              if (client === current) lastSnapshot = snapshot;
            });
            current.onWorkerError((message) => {
              if (client !== current) return;
              runToken++;
              set({ phase: 'failed', status: 'error', busy: false });
              notify('error', `The training worker stopped: ${message}`);
              // With a snapshot to resume from, replace the worker at once (at most 3 times a minute).
              const now = Date.now();
              autoRestarts = [...autoRestarts.filter((at) => now - at < 60_000), now];
              if (lastSnapshot && autoRestarts.length <= 3) {
                setTimeout(() => {
                  // Skipped when the worker was already replaced (the Restart button).
                  if (client === current) void get().restartWorker();
                }, 0);
              }
            });
            const config = validateConfig(get().draft).ok ? get().draft : DEFAULT_CONFIG;
            const result = await serial(() => client!.init(config, get().backendChoice));
            if (!adoptRun(result)) set({ phase: 'failed' });
          } catch (error) {
            set({ phase: 'failed' });
            notify('error', `The training worker could not start: ${errorText(error)}`);
          } finally {
            set({ busy: false });
          }
          // Live edits made while the backend was starting.
          if (get().phase === 'ready') await sendLive();
        })();
        return connecting;
      },

      restartWorker() {
        restarting ??= restartWorker().finally(() => (restarting = null));
        return restarting;
      },

      async rollback() {
        const active = requireClient();
        if (!active?.rollback) return;
        await serial(async () => {
          runToken++;
          try {
            const result = await active.rollback?.();
            if (!result) return;
            if (!result.ok) {
              notify('error', rollbackFailure(result.issues));
              return;
            }
            set((state) => {
              const run = rolledBack(state, result);
              const live = {
                optimizer: result.config.optimizer,
                regularizers: result.config.regularizers,
                training: result.config.training,
              };
              const draft = deepMerge(state.draft, live);
              return {
                ...run,
                draft,
                issues: draftIssues(draft),
                milestones: detectMilestones(run.history, result.config.training.grokThreshold),
              };
            });
          } catch (error) {
            fail(error);
          }
        });
      },

      async start() {
        const active = requireClient();
        if (!active || get().status === 'running') return;
        const { pendingReset, step } = get();
        if (pendingReset.length > 0 && step === 0) await rebuild();
        // Taken after the rebuild (which bumps it), before anything a pause() could interleave with.
        const token = ++runToken;
        await get().flushLive();
        if (token !== runToken || get().phase !== 'ready') return;
        if (get().pendingReset.length > 0 && get().step === 0) return;
        set({ status: 'running' });
        try {
          // A schedule is replayed exactly: train up to each scheduled step, apply the change, go on.
          let step = get().step;
          for (;;) {
            const { due, later } = dueEntries(get().schedule, step);
            if (due.length > 0) {
              set({ schedule: later });
              await applyScheduled(due);
            }
            if (token !== runToken) return;
            if (later.length === 0) {
              await active.start();
              return;
            }
            const count = later[0].step - step;
            await active.step(count);
            if (token !== runToken || ['finished', 'diverged', 'error'].includes(get().status)) return;
            step += count;
            set({ status: 'running' });
          }
        } catch (error) {
          set({ status: 'error' });
          fail(error);
        }
      },

      async pause() {
        const active = requireClient();
        if (!active) return;
        runToken++;
        try {
          await active.pause();
          if (get().status === 'running') set({ status: 'paused' });
        } catch (error) {
          fail(error);
        }
      },

      async togglePlay() {
        if (get().status === 'running') await get().pause();
        else await get().start();
      },

      async stepOnce(count = 1) {
        const active = requireClient();
        if (!active || get().status === 'running') return;
        await get().flushLive();
        try {
          await active.step(count);
        } catch (error) {
          fail(error);
        }
      },

      async reset() {
        if (get().phase !== 'ready') return;
        // A link's schedule belongs to the run it opened; once that run has moved, a reset starts afresh.
        if (get().step > 0) set({ schedule: [] });
        await rebuild();
      },

      setField(path, value) {
        get().setFields(patchFromPath(path, value));
      },

      setFields(patch) {
        set((state) => {
          const draft = deepMerge(state.draft, patch);
          return { draft, issues: draftIssues(draft), pendingReset: fixedChanges(state.config, draft) };
        });
        if (!Object.keys(patch).some(isLivePath)) return;
        if (liveTimer) clearTimeout(liveTimer);
        liveTimer = setTimeout(() => {
          liveTimer = null;
          void sendLive();
        }, liveDelay);
      },

      async flushLive() {
        if (liveTimer) clearTimeout(liveTimer);
        liveTimer = null;
        await sendLive();
      },

      toggleRegularizer(id) {
        const configs = get().draft.regularizers as Record<string, { enabled: boolean }>;
        if (!configs[id]) return;
        get().setField(`regularizers.${id}.enabled`, !configs[id].enabled);
        void get().flushLive();
      },

      clearSchedule() {
        set({ schedule: [] });
      },

      async applyPreset(name) {
        if (!isPresetName(name)) return;
        const result = resolveConfig(PRESETS[name].config);
        if (!result.ok) {
          notify('error', `Preset "${name}" is invalid: ${result.issues.map((i) => i.message).join('; ')}`);
          return;
        }
        set((state) => ({
          draft: result.config,
          issues: {},
          schedule: [],
          presetName: name,
          pendingReset: fixedChanges(state.config, result.config),
        }));
        if (get().phase === 'ready') await rebuild();
      },

      async setBackendChoice(choice) {
        set({ backendChoice: choice });
        if (get().phase === 'ready') await rebuild(choice);
      },

      dismissNotice(id) {
        set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) }));
      },

      notify,

      async captureRun(withSnapshot) {
        const active = requireClient();
        const { run, config, startConfig, history, eventLog, status, presetName } = get();
        if (!active || !run) return null;
        let snapshot: RunSnapshot | undefined;
        if (withSnapshot) {
          try {
            snapshot = await active.snapshot();
          } catch (error) {
            fail(error);
            return null;
          }
        }
        return {
          id: run.id,
          name: runName(run.datasetTitle, config, presetName),
          createdAt: run.createdAt,
          updatedAt: Date.now(),
          config: startConfig,
          history,
          events: eventLog.events,
          status: status === 'running' ? 'paused' : status,
          wallTimeMs: history.at(-1)?.trainingMs ?? 0,
          ...(snapshot ? { snapshot } : {}),
        };
      },

      async restoreRun(saved) {
        if (!client || get().phase !== 'ready') return false;
        const active = client;
        if (!saved.snapshot) {
          // No weights: open its settings as a fresh run.
          set({ draft: saved.config, issues: draftIssues(saved.config), presetName: null, schedule: [] });
          await rebuild();
          notify(
            'info',
            `“${saved.name}” has no saved weights: its settings are loaded; press Start to run it again.`,
          );
          return true;
        }
        const snapshot = saved.snapshot;
        return serial(async () => {
          runToken++;
          set({ busy: true });
          try {
            const result = await active.restore(snapshot);
            adoptRun(result, { id: saved.id, createdAt: saved.createdAt });
            if (!result.ok) return false;
            const history = snapshot.history;
            const threshold = result.config.training.grokThreshold;
            set({
              draft: result.config,
              issues: draftIssues(result.config),
              pendingReset: [],
              startConfig: saved.config,
              presetName: null,
              schedule: [],
              history,
              eventLog: addEvents(EMPTY_EVENT_LOG, snapshot.events, 'update'),
              milestones: detectMilestones(history, threshold),
              scalarKeys: collectScalarKeys({}, history),
              status: 'paused',
            });
            return true;
          } catch (error) {
            fail(error);
            return false;
          } finally {
            set({ busy: false });
          }
        });
      },

      setClassroom(on) {
        set({ classroom: on });
      },

      setXScale(scale) {
        set({ xScale: scale });
      },
    };
  });
  return store;
}

/** The regularizer ids in card order (the order of the 1–9 shortcuts). */
export const REGULARIZER_ORDER: readonly string[] = REGULARIZER_IDS;

/** Events of the run, for chart markers. */
export const selectEvents = (state: LabState): ConfigEvent[] => state.eventLog.events;

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
