/**
 * Over 500 lines: every lab action (start, pause, race, restore, recover) keeps the same lane invariants.
 *
 * The lab's one store: an experiment of 1…N lanes, each a run in its own worker. The single run is an experiment
 * of one lane; a race has two or more (lane A picks the backend by measurement, the others are forced onto it; all
 * evaluate on one fixed schedule from one seed). Every control acts on the lanes on screen; an edit meant for one
 * lane names it (`focus`: the lane the sidebar edits). What a worker reports reaches a lane only through the lane
 * reducer (lanes/lane.ts), the same code for every lane count.
 */
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { DEFAULT_CONFIG, patchFromPath, resolveConfig, validateConfig } from '../engine/config';
import { describeRunCost } from '../engine/runCost';
import { PRESETS, isPresetName } from '../engine/presets';
import { REGULARIZER_IDS } from '../engine/regularizers/registry';
import { laneKeepTarget } from '../lib/keptSnapshots';
import { newRunId } from '../lib/runStore';
import type { RunStatus } from '../worker/protocol';
import { draftProblem, fixedChanges } from './logic/configEdit';
import { isLivePath, pendingChangeLabel } from './logic/fields';
import { errorText, formatInteger } from './logic/format';
import { rollbackFailure } from './logic/rollback';
import { newLane, reduceLanes, type Lane, type LaneAction, type LaneIdentity } from './lanes/lane';
import { experimentRecord, savedExperiment } from './lanes/record';
import { STOPPED, summarize } from './lanes/summary';
import { createLaneWorkers } from './lanes/workers';
import type { LabActions, LabState, LabStore, LabStoreOptions, Notice } from './lanes/experiment';
import { laneColor, laneLimit, RACE_EVAL_EVERY, raceLanes } from './lanes/race';
import { lanesToResume, waitingLanesNotice } from './lanes/resumeLanes';

export type { Embedding, Lane, RunInfo } from './lanes/lane';
export type { LabActions, LabState, LabStore, LabStoreOptions, Notice, Phase } from './lanes/experiment';
export type { LaneClient } from './lanes/driver';
export { runName } from './lanes/record';

/** Config sections a race lets differ between lanes (the rest is shared, for a fair race). */
const PER_LANE: readonly string[] = ['regularizers', 'optimizer'];

const SINGLE: LaneIdentity = { name: 'run', difference: [], color: laneColor(0) };

export function createLabStore(options: LabStoreOptions): LabStore {
  const now = options.now ?? (() => Date.now());
  const initialConfig = options.initialConfig ?? DEFAULT_CONFIG;
  let connecting: Promise<void> | null = null;
  let noticeId = 0;
  /** Moves every worker's kept run to the experiment's current id (set once the workers exist). */
  let keepAll = () => undefined as void;

  const store = createStore<LabState & LabActions>()((set, get) => {
    const notify = (kind: Notice['kind'], text: string, action?: Notice['action']) =>
      set((state) => ({
        notices: [...state.notices, { id: ++noticeId, kind, text, ...(action ? { action } : {}) }],
      }));
    const dispatch = (index: number, action: LaneAction) =>
      set((state) => ({ lanes: reduceLanes(state.lanes, index, action) }));
    const workers = createLaneWorkers({
      lanes: () => get().lanes,
      backendChoice: () => get().backendChoice,
      identity: () => ({ id: get().experimentId, createdAt: get().createdAt }),
      dispatch,
      notify,
      createClient: options.createClient,
      wasmThreads: options.wasmThreads,
      rollback: (index) => void get().rollback(index),
      laneStopped: () => checkOver(),
      keepTarget: (index) =>
        options.keepTab ? laneKeepTarget(get().experimentId, index, options.keepTab) : null,
      liveDelayMs: options.liveDelayMs ?? 200,
    });

    keepAll = () => workers.keepAll();

    /** Every lane of a race has stopped: it is kept in the runs (once). */
    const checkOver = () => {
      const { lanes, savedId, experimentId } = get();
      if (lanes.length < 2 || savedId === experimentId || !summarize(lanes).over) return;
      set({ savedId: experimentId });
      void keepExperiment('finished');
    };

    /**
     * Keeps the experiment (the run store) as it stands, with every lane's weights. Its step is taken first: the
     * lanes on screen may be replaced by the time the record is stored.
     */
    const keepExperiment = async (why: 'finished' | 'replaced'): Promise<void> => {
      if (!options.keep) return;
      const step = formatInteger(summarize(get().lanes).step);
      const record = await get().captureRun(true);
      if (!record) return;
      try {
        await options.keep(record);
        if (why === 'replaced') {
          notify('info', `“${record.name}” (step ${step}) was kept in your runs.`, {
            label: 'Reopen it',
            run: () => void get().restoreRun(record),
          });
        }
      } catch (error) {
        notify('warning', `“${record.name}” could not be kept: ${errorText(error)}`);
      }
    };

    /**
     * Before the lanes on screen are replaced: an experiment with progress not saved as it stands is kept, once.
     * It is claimed (savedId) before anything is awaited, and a second replacement arriving meanwhile (six preset
     * clicks in a row) waits for that keep: it neither keeps it again nor replaces the lanes while they are read.
     */
    let keeping: Promise<void> = Promise.resolve();
    const keepBeforeReplacing = (): Promise<void> => {
      const before = get();
      if (before.lanes.some((lane) => lane.step > 0) && before.savedId !== before.experimentId) {
        set({ savedId: before.experimentId });
        keeping = (async () => {
          await get().pause();
          await keepExperiment('replaced');
        })();
      }
      return keeping;
    };

    /**
     * Before Start or Step: the lanes must train exactly the settings on screen. A draft that cannot run (a task
     * box with an error) is refused with the reason, and so are settings waiting for a reset past step 0 (only
     * Reset applies them); at step 0 they are built first (`pendingAtStepZero`). Synchronous, so that a pause right
     * after Start still finds Start's run token taken.
     */
    const mayTrain = (action: 'start' | 'step'): boolean => {
      const problems = get().lanes.map((lane) => draftProblem(lane.draft));
      const distinct = [...new Set(problems.filter((problem) => problem !== null))];
      if (distinct.length > 0) {
        // A shared setting (the task) is wrong in every lane alike: said once.
        const text =
          distinct.length === 1 && problems.every((problem) => problem === distinct[0])
            ? distinct[0]
            : problems
                .flatMap((problem, index) => (problem ? [`${workers.label(index)}${problem}`] : []))
                .join(' ');
        notify('error', `Can’t ${action}: ${text}`);
        return false;
      }
      const waiting = get().lanes.filter(
        (lane) => lane.pendingReset.length > 0 && lane.step > 0 && !STOPPED.includes(lane.status),
      );
      if (waiting.length > 0) {
        const fields = [...new Set(waiting.flatMap((lane) => lane.pendingReset))].map(pendingChangeLabel);
        notify(
          'info',
          `Can’t ${action === 'start' ? 'resume' : 'step'}: ${fields.join(', ')} changed, which only Reset applies (from step 0). Press Reset, or change ${fields.length > 1 ? 'them' : 'it'} back.`,
        );
        return false;
      }
      return true;
    };

    /** Settings waiting for a reset at step 0: Start and Step build with them first. */
    const pendingAtStepZero = () =>
      get().lanes.some((lane) => lane.pendingReset.length > 0 && lane.step === 0);

    /** Replaces the lanes (keeping what had progress) and builds them. */
    const replaceLanes = async (
      lanes: Lane[],
      fields: Partial<LabState>,
      autoStart = false,
    ): Promise<boolean> => {
      await keepBeforeReplacing();
      const token = workers.replace(lanes.length);
      set({
        ...fields,
        lanes,
        focus: 0,
        experimentId: newRunId(),
        createdAt: now(),
        savedId: null,
        reopenedAt: null,
      });
      const built = workers.build('init');
      // connect() (the page's first effect) finds these lanes already being built.
      connecting = built.then(() => undefined);
      const ok = await built;
      if (token !== workers.generation) return false;
      if (ok && autoStart) await get().start();
      return ok;
    };

    return {
      lanes: [newLane(SINGLE, initialConfig, options.schedule)],
      focus: 0,
      experimentId: newRunId(),
      createdAt: now(),
      title: '',
      presetName: options.presetName ?? null,
      backendChoice: 'auto',
      savedId: null,
      reopenedAt: null,
      notices: (options.notices ?? []).map((text) => ({ id: ++noticeId, kind: 'info' as const, text })),
      classroom: options.classroom ?? false,
      xScale: 'log',

      connect() {
        connecting ??= (async () => {
          const token = workers.replace(get().lanes.length);
          // A link's draft that cannot run opens the defaults (its problems are shown beside the fields).
          await workers.build('init', 'defaults');
          if (token !== workers.generation) return;
          // Live edits in the draft (a link's, or made while the backend was starting) reach the worker now.
          await workers.flushLive();
        })();
        return connecting;
      },

      async restartWorker(index = get().focus) {
        const client = workers.driver(index)?.client;
        if (client) await client.recover('restarted from the page');
        // No worker (it could not start): a new one and a fresh run.
        else await workers.build('init');
      },

      async rollback(index = get().focus) {
        const driver = workers.driver(index);
        if (!driver || get().lanes[index]?.phase !== 'ready') return;
        const token = workers.generation;
        await driver.serial(async () => {
          driver.runToken++;
          try {
            const result = await driver.client.rollback();
            if (token !== workers.generation) return;
            if (!result.ok)
              return notify('error', `${workers.label(index)}${rollbackFailure(result.issues)}`);
            dispatch(index, { type: 'rolledBack', result });
          } catch (error) {
            workers.fail(index, error);
          }
        });
        // A race lane rejoins the race at once when the others run.
        if (get().lanes.some((lane, i) => i !== index && lane.status === 'running')) {
          dispatch(index, { type: 'status', status: 'running' });
          await workers.train(index, driver, ++driver.runToken);
        }
      },

      async start() {
        if (!mayTrain('start')) return;
        const heavy = get()
          .lanes.filter((lane) => lane.step === 0)
          .map((lane) => validateConfig(lane.draft))
          .flatMap((checked) => (checked.ok ? [describeRunCost(checked.config)] : []))
          .find((cost) => cost.level === 'warn');
        if (heavy && options.confirm && !options.confirm(heavy.text)) return;
        if (pendingAtStepZero()) await get().reset();
        // Taken before anything a pause() could interleave with: a pause during the flush cancels the start.
        const tokens = new Map(workers.live().map(([index, driver]) => [index, ++driver.runToken]));
        await workers.flushLive();
        const ready = workers.live().filter(([index, driver]) => {
          const lane = get().lanes[index];
          return (
            driver.runToken === tokens.get(index) &&
            lane.status !== 'running' &&
            !STOPPED.includes(lane.status) &&
            lane.pendingReset.length === 0
          );
        });
        await Promise.all(
          ready.map(([index, driver]) => {
            dispatch(index, { type: 'status', status: 'running' });
            return workers.train(index, driver, driver.runToken);
          }),
        );
      },

      async pause() {
        await Promise.all(
          workers.live().map(async ([index, driver]) => {
            driver.runToken++;
            try {
              await driver.client.pause();
              if (get().lanes[index].status === 'running')
                dispatch(index, { type: 'status', status: 'paused' });
            } catch (error) {
              workers.fail(index, error);
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
        if (!mayTrain('step')) return;
        if (pendingAtStepZero()) await get().reset();
        await workers.flushLive();
        await Promise.all(
          workers
            .live()
            .map(([index, driver]) => driver.client.step(count).catch((error) => workers.fail(index, error))),
        );
      },

      async reset() {
        const { lanes } = get();
        if (lanes.some((lane) => lane.busy)) {
          // A build that takes too long (a config far too big for the device) is abandoned: its workers end and
          // the lanes are built anew from the settings shown, so Reset always answers.
          workers.replace(lanes.length);
          connecting = Promise.resolve();
          notify('info', 'Stopped building the run; building it again from the settings shown.');
          await workers.build('init');
          return;
        }
        if (lanes.some((lane) => lane.phase === 'disconnected' || lane.phase === 'starting')) return;
        const moved = lanes.some((lane) => lane.step > 0);
        // Progress is never thrown away: what had moved is kept in the runs (with a way back) before it restarts.
        if (moved) await keepBeforeReplacing();
        // A link's schedule belongs to the run it opened; once that run has moved, a reset starts afresh.
        if (moved) lanes.forEach((_, index) => dispatch(index, { type: 'schedule', schedule: [] }));
        set({
          savedId: null,
          ...(moved ? { experimentId: newRunId(), createdAt: now(), reopenedAt: null } : {}),
        });
        workers.forgetFinal();
        await workers.build('reset');
      },

      setField(path, value) {
        get().setFields(patchFromPath(path, value));
      },

      setFields(patch) {
        const { focus, lanes } = get();
        // In a race, regularizers and the optimizer differ per lane; everything else (task, model, seed, the
        // evaluation schedule and stop rules) is the same in every lane, so the race stays fair.
        const entries = Object.entries(patch);
        const own = Object.fromEntries(entries.filter(([key]) => PER_LANE.includes(key)));
        const shared = Object.fromEntries(entries.filter(([key]) => !PER_LANE.includes(key)));
        const everyLane = lanes.length === 1 ? [focus] : lanes.map((_, i) => i);
        if (Object.keys(own).length > 0) dispatch(focus, { type: 'edited', patch: own });
        if (Object.keys(shared).length > 0)
          everyLane.forEach((index) => dispatch(index, { type: 'edited', patch: shared }));
        if (!Object.keys(patch).some(isLivePath)) return;
        for (const index of Object.keys(shared).some(isLivePath) ? everyLane : [focus])
          workers.scheduleLive(index);
      },

      flushLive: () => workers.flushLive(),

      toggleRegularizer(id, index = get().focus) {
        const configs = get().lanes[index]?.draft.regularizers as
          Record<string, { enabled: boolean }> | undefined;
        if (!configs?.[id]) return;
        dispatch(index, {
          type: 'edited',
          patch: { regularizers: { [id]: { enabled: !configs[id].enabled } } },
        });
        workers.driver(index)?.clearLiveTimer();
        void workers.sendLive(index);
      },

      setFocus(index) {
        if (index >= 0 && index < get().lanes.length) set({ focus: index });
      },

      clearSchedule() {
        get().lanes.forEach((_, index) => dispatch(index, { type: 'schedule', schedule: [] }));
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
        const fields = { title, presetName: startOptions.preset ?? null };
        return replaceLanes(lanes, fields, startOptions.autoStart !== false);
      },

      async closeRace() {
        const { lanes, focus, presetName } = get();
        if (lanes.length < 2) return;
        await replaceLanes([newLane(SINGLE, lanes[focus].startConfig)], { title: '', presetName });
      },

      async setBackendChoice(choice) {
        set({ backendChoice: choice });
        if (get().lanes.some((lane) => lane.phase === 'ready')) await workers.build('init');
      },

      dismissNotice(id) {
        set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) }));
      },

      notify,

      async captureRun(withSnapshot) {
        const { lanes, experimentId, createdAt, title, presetName } = get();
        if (!lanes.some((lane) => lane.run !== null || lane.history.length > 0)) return null;
        const take = withSnapshot === 'unless-kept' ? !options.keepTab : withSnapshot;
        const snapshots = take ? await workers.snapshots() : lanes.map(() => undefined);
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
        await keepBeforeReplacing();
        const token = workers.replace(
          lanes.length,
          saved.lanes.map((lane) => lane.snapshot),
        );
        connecting = Promise.resolve();
        const { title, presetName } = saved;
        set({
          lanes,
          focus: 0,
          title,
          presetName,
          experimentId: record.id,
          createdAt: record.createdAt,
          savedId: record.id,
          reopenedAt: record.updatedAt,
        });
        if (weightless) {
          await workers.build('init');
          notify(
            'info',
            `“${record.name}” has no saved weights: its settings are loaded; press Start to run it again.`,
          );
          return true;
        }
        const identity = { id: record.id, createdAt: record.createdAt };
        const { resume, wait } = lanesToResume(saved.lanes, laneLimit(options.cores));
        const results = await Promise.all(
          saved.lanes.map(async (lane, index) => {
            // A race lane that had finished, or that waits for a core, is shown as it was saved (its weights
            // stay with the experiment); the others resume from their weights, one worker each.
            if (!resume.includes(index)) {
              dispatch(index, {
                type: 'archived',
                history: lane.history,
                events: lane.events,
                status: lane.status,
              });
              return true;
            }
            return workers.restore(index, lane.snapshot!, identity);
          }),
        );
        if (token !== workers.generation) return false;
        if (wait.length > 0) notify('warning', waitingLanesNotice(saved.lanes, resume, wait));
        const refused = results.flatMap((result, index) =>
          Array.isArray(result) ? [{ index, result }] : [],
        );
        if (refused.length > 0) {
          // The saved record stays as it is; what trains on from here is saved as a new run.
          set({ experimentId: newRunId(), savedId: null, reopenedAt: null });
          for (const { index, result } of refused) {
            notify(
              'error',
              `${workers.label(index)}The saved weights of “${record.name}” could not be resumed ` +
                `(${result.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}). ` +
                'The run starts afresh from its settings; the saved run is kept as it was.',
            );
          }
          await Promise.all(refused.map(({ index }) => workers.rebuild(index)));
          return false;
        }
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
        set({ experimentId: newRunId(), savedId: null, reopenedAt: null });
      },
    };
  });
  // The workers keep their runs under the experiment's id: a new id (a fork, a reopened run) moves them.
  store.subscribe((state, previous) => {
    if (state.experimentId !== previous.experimentId) keepAll();
  });
  return store;
}

/** The regularizer ids in card order (the order of the 1–9 shortcuts). */
export const REGULARIZER_ORDER: readonly string[] = REGULARIZER_IDS;

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
