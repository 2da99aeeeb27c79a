/**
 * The lab's sweep: a grid of runs (cells) trained in workers beside the lab's lanes, at most `concurrency` at
 * once, queued in the sweep's order, each stopping at grok + stopAfterGrok or at its budget (the worker's own
 * stop rules: training.stopAfterGrok and training.maxSteps are in every cell's config). Its own zustand store; it
 * touches the lab's store only to open a cell as a lane, race two cells, and show notices. What to start next,
 * what a finished run means and the live progress are pure functions (src/lib/sweep/labRun.ts); the map is the
 * headless sweep's model (spec, cells, grid, heatmap layout), so both maps are one drawing of one model.
 */
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { newRunId, type StoredRun } from '../../lib/runStore';
import { cellId, expandSweep, type ExpandedSweep, type SweepCell } from '../../lib/sweep/cells';
import type { CellOutcome } from '../../lib/sweep/cellResult';
import { formatKnobValue, type CellProgress } from '../../lib/sweep/heatmap';
import {
  cellsToStart,
  clampConcurrency,
  defaultConcurrency,
  labCellOutcome,
  type EndStatus,
} from '../../lib/sweep/labRun';
import { isSweepName, SWEEPS } from '../../lib/sweep/registry';
import { labSweepCheck } from '../../lib/sweep/size';
import type { SweepOwnership } from '../../lib/sweepOwnership';
import { parseSweepSpec, type SweepSpec } from '../../lib/sweep/spec';
import {
  describeSweepLoss,
  type StoredSweep,
  type StoredSweepStatus,
  type SweepLossLog,
  type SweepPersistence,
} from '../../lib/sweepStore';
import type { BackendChoice, MetricRecord } from '../../worker/protocol';
import type { LaneClient } from '../lanes/driver';
import { errorText } from '../logic/format';
import { laneColor } from '../lanes/race';
import type { LabStore } from '../store';

export type SweepStatus = 'idle' | StoredSweepStatus;

/** What clicking a cell of the map does. */
export type ClickMode = 'open' | 'pick';

export interface SweepState {
  /** The sweep view is on screen (instead of the lanes' views). */
  open: boolean;
  sweep: ExpandedSweep | null;
  sweepId: string | null;
  status: SweepStatus;
  /** Finished runs by cell id. */
  outcomes: ReadonlyMap<string, CellOutcome>;
  /** Runs in flight by cell id: their latest evaluation. */
  progress: Readonly<Record<string, CellProgress>>;
  /** Cell ids with a worker. */
  running: readonly string[];
  /** Runs trained at once (1 … cores). */
  concurrency: number;
  cores: number;
  /** The backend the cells train on (the first cell picks it by measurement; the others are forced onto it). */
  backend: BackendChoice;
  /** Wall time spent running (paused time excluded), ms, up to `since`. */
  runningMs: number;
  /** When the current running stretch began (null: not running). */
  since: number | null;
  clickMode: ClickMode;
  /** The status last written to IndexedDB (what a reload resumes), null before the first write. */
  savedStatus: SweepStatus | null;
  /**
   * Another tab trains this sweep (it holds the sweep's lock): this tab shows it, paused, and trains nothing until
   * the user takes it over.
   */
  elsewhere: boolean;
  /** Points picked for a race (pointKey). */
  picked: readonly string[];
  /** The sweeps stored in this browser (read by refreshSaved), newest first. */
  saved: readonly StoredSweep[];
}

export interface SweepActions {
  setOpen(open: boolean): void;
  setConcurrency(value: number): void;
  setClickMode(mode: ClickMode): void;
  /**
   * Starts a sweep from a spec (anything: it is parsed); false with a notice when it is invalid. `paused`: opened
   * ready to start (a link), Resume starts it.
   */
  start(input: unknown, startOptions?: { paused?: boolean }): Promise<boolean>;
  /** Starts a named sweep of the registry (the preset buttons). */
  startNamed(name: string): Promise<boolean>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Stops every run; finished cells stay. */
  cancel(): Promise<void>;
  /** Takes the sweep from the tab that trains it (that tab stops) and trains it here, with what it finished. */
  takeOver(): Promise<void>;
  /** After a reload: the sweep that was running or paused, with its finished cells; a running one goes on. */
  restore(): Promise<void>;
  /** Reads the list of stored sweeps (unreadable ones are named in a notice). */
  refreshSaved(): Promise<void>;
  /** Reopens a stored sweep with its finished cells; one not done opens paused (Resume goes on). */
  openSaved(id: string): Promise<boolean>;
  /** Opens a finished cell (the first seed of a point) as the lab's lane, with its curves and weights. */
  openCell(xIndex: number, yIndex: number): Promise<boolean>;
  togglePick(key: string): void;
  /** Races the two picked cells' configs as two lanes. */
  racePicked(): Promise<boolean>;
  /** The wall time the sweep has run, ms (now, if running). */
  elapsedMs(): number;
}

export type SweepStore = StoreApi<SweepState & SweepActions>;

export interface SweepStoreOptions {
  createClient(): LaneClient | Promise<LaneClient>;
  cores: number | undefined;
  /** The lab: lanes to open cells in, and its notices. */
  lab: LabStore;
  persistence: SweepPersistence | null;
  /** Which tab trains a sweep (Web Locks in the app); absent: every tab trains what it opens. */
  ownership?: SweepOwnership;
  /** Where a failed save is noted for the next load to say (localStorage in the app); absent: not noted. */
  losses?: SweepLossLog;
  /** Leave one core to the page by default (see docs/sweeps.md, "Phase diagrams in the lab"). */
  leaveOneForPage: boolean;
  /** Asks the user (window.confirm in the app); absent: a sweep that needs asking is started. */
  confirm?: (question: string) => boolean;
  now?: () => number;
}

interface CellHandle {
  cell: SweepCell;
  client: LaneClient;
  /** init() answered: start()/pause() may be called. */
  ready: boolean;
  records: MetricRecord[];
  startedAt: number;
  end(status: EndStatus): void;
  detach: () => void;
  detachSnapshots: () => void;
}

/** A running cell's weights are kept at most this often (the worker posts a snapshot every few seconds). */
const PARTIAL_EVERY_MS = 10_000;

const ENDED: readonly string[] = ['finished', 'diverged', 'error'];

/** A point's name for notices and lanes: "wd 0.1 · λ 0.003" style, from the keys' last parts. */
export function cellName(spec: SweepSpec, cell: Pick<SweepCell, 'xValue' | 'yValue'>): string {
  const short = (key: string) => key.split('.').slice(-2).join('.');
  return `${short(spec.x.key)} ${formatKnobValue(cell.xValue)} · ${short(spec.y.key)} ${formatKnobValue(cell.yValue)}`;
}

export function createSweepStore(options: SweepStoreOptions): SweepStore {
  const now = options.now ?? (() => Date.now());
  const cores = Math.max(1, Math.floor(options.cores ?? 1));
  const handles = new Map<string, CellHandle>();
  /** Bumped when a sweep is replaced or cancelled: callbacks of the old one are ignored. */
  let generation = 0;
  /** Unreadable stored sweeps already reported (the list is read again each time the view opens). */
  const reported = new Set<string>();

  return createStore<SweepState & SweepActions>()((set, get) => {
    const notify = (
      kind: 'error' | 'warning' | 'info',
      text: string,
      action?: { label: string; run(): void },
    ) => options.lab.getState().notify(kind, text, action);

    const persist = async () => {
      const { sweep, sweepId, status, elsewhere } = get();
      // A tab showing another tab's sweep writes nothing: the stored state is that tab's.
      if (!options.persistence || !sweep || !sweepId || status === 'idle' || elsewhere) return;
      try {
        await options.persistence.saveSweep({
          id: sweepId,
          spec: sweep.spec,
          status,
          createdAt: Number(sweepId.split('-')[1]) || now(),
          updatedAt: now(),
          runningMs: get().elapsedMs(),
        });
        options.losses?.sweepSaved(sweepId);
        if (get().sweepId === sweepId) set({ savedStatus: status });
      } catch (error) {
        const reason = errorText(error);
        options.losses?.noteSweepUnsaved(sweepId, sweep.spec.title ?? 'sweep', reason);
        notify(
          'warning',
          `The sweep could not be saved in this browser: ${reason}. A reload cannot resume it; the next load says so.`,
        );
      }
    };

    const title = () => get().sweep?.spec.title ?? 'sweep';

    /** Another tab took the sweep over (stole its lock): stop training it here. */
    const lostToOtherTab = (sweepId: string) => {
      if (get().sweepId !== sweepId) return;
      if (get().status === 'running') stopClock();
      stopAll();
      set({ status: 'paused', elsewhere: true });
      notify(
        'warning',
        `Another tab took over the sweep “${title()}”; this tab stopped training it (the cells it finished are saved).`,
      );
    };

    /** Whether this tab may train `sweepId` now (claims it); false: another tab trains it. */
    const own = (sweepId: string, steal = false): Promise<boolean> =>
      options.ownership
        ? options.ownership.claim(sweepId, { steal, lost: () => lostToOtherTab(sweepId) })
        : Promise.resolve(true);

    const letGo = (sweepId: string | null) => {
      if (sweepId) options.ownership?.release(sweepId);
    };

    const trainingElsewhere = () =>
      notify(
        'info',
        `The sweep “${title()}” is training in another tab; this tab shows it without training it.`,
        {
          label: 'Take over here',
          run: () => void get().takeOver(),
        },
      );

    /** Closes the running stretch into runningMs. */
    const stopClock = () => set((state) => ({ runningMs: state.elapsedMs(), since: null }));

    const forget = (id: string) => {
      const handle = handles.get(id);
      if (handle) {
        handle.detach();
        handle.detachSnapshots();
        handle.client.terminate();
        handles.delete(id);
      }
      set((state) => {
        const progress = { ...state.progress };
        delete progress[id];
        return { running: state.running.filter((running) => running !== id), progress };
      });
    };

    const finishCell = async (handle: CellHandle, status: EndStatus, token: number) => {
      const { cell, client } = handle;
      const snapshot = await client.snapshot().catch(() => null);
      if (token !== generation) return;
      const history = snapshot?.history ?? handle.records;
      const outcome = labCellOutcome(cell.id, cell.config, history, status, now() - handle.startedAt);
      if (status === 'error')
        notify('error', `Sweep cell ${cellName(get().sweep!.spec, cell)} failed in its worker.`);
      forget(cell.id);
      set((state) => ({ outcomes: new Map(state.outcomes).set(cell.id, outcome) }));
      if (options.persistence) {
        await options.persistence
          .saveCell(outcome, { id: cell.id, history, events: snapshot?.events ?? [], snapshot })
          .catch((error: unknown) => {
            const reason = errorText(error);
            const { sweep, sweepId } = get();
            if (sweep && sweepId) options.losses?.noteCellLost(sweepId, sweep.spec.title ?? 'sweep', reason);
            notify(
              'warning',
              `A finished cell could not be saved: ${reason}. Its result stays on this page; a reload trains it again.`,
            );
          });
      }
      if (token !== generation) return;
      const { sweep, outcomes } = get();
      if (sweep && sweep.cells.every((each) => outcomes.has(each.id)) && get().status === 'running') {
        stopClock();
        set({ status: 'done' });
        await persist();
        letGo(get().sweepId);
        return;
      }
      pump();
      // The sweep's clock, kept with each finished cell (a reload resumes it from there).
      await persist();
    };

    const runCell = async (cell: SweepCell, token: number) => {
      set((state) => ({ running: [...state.running, cell.id] }));
      let client: LaneClient;
      try {
        client = await options.createClient();
      } catch (error) {
        notify('error', `A sweep worker could not start: ${errorText(error)}`);
        forget(cell.id);
        return;
      }
      if (token !== generation) {
        client.terminate();
        return;
      }
      let end: (status: EndStatus) => void = () => undefined;
      const ended = new Promise<EndStatus>((resolve) => (end = resolve));
      const handle: CellHandle = {
        cell,
        client,
        ready: false,
        records: [],
        startedAt: now(),
        end,
        detach: () => undefined,
        detachSnapshots: () => undefined,
      };
      handles.set(cell.id, handle);
      handle.detach = client.onBatch((batch) => {
        if (token !== generation) return;
        if (batch.rewoundTo !== null)
          handle.records = handle.records.filter((record) => record.step <= batch.rewoundTo!);
        handle.records.push(...batch.records);
        const last = batch.records.at(-1);
        if (last) {
          set((state) => ({
            progress: { ...state.progress, [cell.id]: { step: last.step, testAccuracy: last.testAccuracy } },
          }));
        }
        if (ENDED.includes(batch.status)) handle.end(batch.status as EndStatus);
      });
      // A cell a reload interrupted goes on from its last kept weights (same config, same run).
      const partial = options.persistence
        ? await options.persistence.partial(cell.id).catch(() => null)
        : null;
      const resumable = partial !== null && cellId(partial.config) === cell.id;
      if (options.persistence && client.onSnapshot) {
        const persistence = options.persistence;
        let keptAt = 0;
        handle.detachSnapshots = client.onSnapshot((snapshot) => {
          if (token !== generation || now() - keptAt < PARTIAL_EVERY_MS) return;
          keptAt = now();
          void persistence.savePartial(cell.id, snapshot).catch(() => undefined);
        });
      }
      try {
        let result = resumable
          ? await client.restore(partial)
          : await client.init(cell.config, get().backend);
        if (resumable && result.ok) handle.records = [...partial.history];
        // Weights the worker refuses: the cell is trained from the start.
        else if (resumable) result = await client.init(cell.config, get().backend);
        if (token !== generation) return;
        if (!result.ok) {
          notify(
            'error',
            `Sweep cell ${cellName(get().sweep!.spec, cell)}: the worker rejected its config: ${result.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
          );
          handle.end('error');
        } else {
          // Every later cell trains on the backend the first one measured as fastest.
          if (get().backend === 'auto') set({ backend: result.backend.backend });
          handle.ready = true;
          handle.startedAt = now();
          if (get().status === 'running') await client.start();
        }
      } catch (error) {
        if (token !== generation) return;
        notify('error', `Sweep cell ${cellName(get().sweep!.spec, cell)}: ${errorText(error)}`);
        handle.end('error');
      }
      const status = await ended;
      if (token === generation) await finishCell(handle, status, token);
    };

    /** Starts queued cells while there are free slots and the sweep runs. */
    const pump = () => {
      const { sweep, status, outcomes, running, concurrency } = get();
      if (!sweep || status !== 'running') return;
      const token = generation;
      const next = cellsToStart(sweep.cells, new Set(outcomes.keys()), new Set(running), concurrency);
      for (const id of next)
        void runCell(
          sweep.cells.find((cell) => cell.id === id)!,
          token,
        );
    };

    const stopAll = () => {
      generation++;
      for (const id of [...handles.keys()]) forget(id);
      set({ running: [], progress: {} });
    };

    const begin = async (
      sweep: ExpandedSweep,
      sweepId: string,
      status: StoredSweepStatus,
      outcomes: Map<string, CellOutcome>,
      runningMs: number,
    ): Promise<boolean> => {
      const previous = get().sweepId;
      stopAll();
      if (previous !== sweepId) letGo(previous);
      const done = sweep.cells.every((cell) => outcomes.has(cell.id));
      let state: SweepStatus = done ? 'done' : status;
      // A running sweep another tab trains is shown here, paused, not trained twice.
      const elsewhere = state === 'running' && !(await own(sweepId));
      if (elsewhere) state = 'paused';
      set({
        open: true,
        sweep,
        sweepId,
        status: state,
        elsewhere,
        outcomes,
        runningMs,
        since: state === 'running' ? now() : null,
        picked: [],
        backend: 'auto',
        savedStatus: null,
      });
      if (elsewhere) trainingElsewhere();
      await persist();
      pump();
      return !elsewhere;
    };

    return {
      open: false,
      sweep: null,
      sweepId: null,
      status: 'idle',
      outcomes: new Map(),
      progress: {},
      running: [],
      concurrency: defaultConcurrency(cores, options.leaveOneForPage),
      cores,
      backend: 'auto',
      runningMs: 0,
      since: null,
      clickMode: 'open',
      savedStatus: null,
      elsewhere: false,
      picked: [],
      saved: [],

      setOpen(open) {
        set({ open });
      },

      setConcurrency(value) {
        const concurrency = clampConcurrency(value, cores);
        if (concurrency === null) return;
        set({ concurrency });
        // More slots start more cells now; fewer let the running ones finish (none is stopped half-way).
        pump();
      },

      setClickMode(mode) {
        set({ clickMode: mode, picked: [] });
      },

      async start(input, startOptions = {}) {
        let sweep: ExpandedSweep;
        let sizeNote: string | null = null;
        try {
          const spec = parseSweepSpec(input);
          // Sized before it is built: a huge plan would hold the page's main thread for minutes.
          const check = labSweepCheck(spec, get().concurrency);
          if (check.level === 'refuse') {
            notify('error', `This sweep cannot run in the lab: ${check.message}.`);
            return false;
          }
          if (check.level === 'ask') {
            if (startOptions.paused) sizeNote = `${check.message} Resume starts it.`;
            else if (options.confirm && !options.confirm(`${check.message} Start it?`)) {
              notify('info', `The sweep was not started. ${check.message}`);
              return false;
            }
          }
          sweep = expandSweep(spec);
        } catch (error) {
          notify('error', `This sweep cannot run: ${errorText(error)}`);
          return false;
        }
        // Cells this browser has already trained (same config, same run) are kept, not trained again.
        const stored = options.persistence
          ? await options.persistence.outcomes(sweep.cells.map((cell) => cell.id)).catch(() => null)
          : null;
        const status = startOptions.paused ? 'paused' : 'running';
        await begin(
          sweep,
          `sweep-${now()}-${newRunId().slice(-6)}`,
          status,
          stored?.outcomes ?? new Map(),
          0,
        );
        if (sizeNote) notify('info', sizeNote);
        return true;
      },

      async startNamed(name) {
        if (!isSweepName(name)) {
          notify('error', `There is no sweep named “${name}”.`);
          return false;
        }
        return get().start(SWEEPS[name].spec);
      },

      async pause() {
        if (get().status !== 'running') return;
        stopClock();
        set({ status: 'paused' });
        await Promise.all(
          [...handles.values()]
            .filter((handle) => handle.ready)
            .map((handle) => handle.client.pause().catch(() => undefined)),
        );
        await persist();
        // Paused: another tab may resume it.
        letGo(get().sweepId);
      },

      async resume() {
        const { status, sweepId } = get();
        if (status !== 'paused' || !sweepId) return;
        if (!(await own(sweepId))) {
          set({ elsewhere: true });
          trainingElsewhere();
          return;
        }
        set({ status: 'running', since: now(), elsewhere: false });
        await Promise.all(
          [...handles.values()]
            .filter((handle) => handle.ready)
            .map((handle) => handle.client.start().catch(() => undefined)),
        );
        await persist();
        pump();
      },

      async cancel() {
        if (get().status !== 'running' && get().status !== 'paused') return;
        // Only the tab that trains a sweep ends it.
        if (get().elsewhere) return;
        if (get().status === 'running') stopClock();
        stopAll();
        set({ status: 'cancelled' });
        await persist();
        letGo(get().sweepId);
      },

      async takeOver() {
        const { sweep, sweepId, elsewhere } = get();
        if (!sweep || !sweepId || !elsewhere) return;
        if (!(await own(sweepId, true))) {
          notify('warning', `The sweep “${title()}” could not be taken over from the other tab.`);
          return;
        }
        // What the other tab finished is in IndexedDB; its cells in flight resume from their kept weights.
        const stored = options.persistence
          ? await options.persistence.outcomes(sweep.cells.map((cell) => cell.id)).catch(() => null)
          : null;
        if (get().sweepId !== sweepId) return;
        set((state) => ({
          elsewhere: false,
          outcomes: stored ? new Map([...state.outcomes, ...stored.outcomes]) : state.outcomes,
          status: 'running',
          since: now(),
        }));
        await persist();
        pump();
      },

      async restore() {
        // What the last page could not save, said once (it is not in IndexedDB to be found).
        for (const loss of options.losses?.take() ?? []) notify('warning', describeSweepLoss(loss));
        if (!options.persistence) return;
        let stored;
        try {
          stored = await options.persistence.activeSweep();
        } catch (error) {
          notify('warning', `Stored sweeps could not be read: ${errorText(error)}`);
          return;
        }
        if (!stored) return;
        if (!stored.ok) {
          notify(
            'error',
            `The sweep that was running could not be resumed: ${stored.message}. It is left as it was stored.`,
          );
          return;
        }
        const check = labSweepCheck(stored.value.spec, get().concurrency);
        if (check.level === 'refuse') {
          // Not built (that would hold every load for minutes): set aside, spec and finished cells kept.
          try {
            await options.persistence.saveSweep({ ...stored.value, status: 'cancelled', updatedAt: now() });
          } catch (_error) {
            // Still stored as active: the next load says the same, as quickly.
          }
          notify(
            'error',
            `The stored sweep “${stored.value.spec.title ?? stored.value.id}” was not resumed: ${check.message}. It is set aside under Saved sweeps.`,
          );
          return;
        }
        let sweep: ExpandedSweep;
        try {
          sweep = expandSweep(stored.value.spec);
        } catch (error) {
          notify('error', `The sweep that was running could not be resumed: ${errorText(error)}`);
          return;
        }
        const { outcomes, unreadable } = await options.persistence.outcomes(
          sweep.cells.map((cell) => cell.id),
        );
        if (unreadable.length > 0) {
          notify('warning', `${unreadable.length} stored cell(s) were unreadable and will be trained again.`);
        }
        const owned = await begin(
          sweep,
          stored.value.id,
          stored.value.status,
          outcomes,
          stored.value.runningMs,
        );
        if (!owned) return;
        const kept = outcomes.size;
        notify(
          'info',
          `Resumed the sweep “${sweep.spec.title ?? 'sweep'}”: ${kept} finished cell(s) kept${stored.value.status === 'paused' ? '; it is paused' : ''}.`,
        );
      },

      async refreshSaved() {
        if (!options.persistence) return;
        try {
          const { sweeps, unreadable } = await options.persistence.listSweeps();
          set({ saved: sweeps });
          const fresh = unreadable.filter((message) => !reported.has(message));
          fresh.forEach((message) => reported.add(message));
          if (fresh.length > 0) notify('warning', `${fresh.join('; ')}. Left as stored.`);
        } catch (error) {
          notify('warning', `Stored sweeps could not be read: ${errorText(error)}`);
        }
      },

      async openSaved(id) {
        const stored = get().saved.find((sweep) => sweep.id === id);
        if (!stored || !options.persistence) return false;
        let sweep: ExpandedSweep;
        try {
          const check = labSweepCheck(stored.spec, get().concurrency);
          if (check.level === 'refuse') throw new Error(check.message);
          sweep = expandSweep(stored.spec);
        } catch (error) {
          notify('error', `The stored sweep cannot be opened: ${errorText(error)}`);
          return false;
        }
        const { outcomes } = await options.persistence.outcomes(sweep.cells.map((cell) => cell.id));
        if (get().status === 'running') await get().pause();
        await begin(sweep, stored.id, 'paused', outcomes, stored.runningMs);
        await get().refreshSaved();
        return true;
      },

      async openCell(xIndex, yIndex) {
        const { sweep, outcomes } = get();
        if (!sweep) return false;
        const cells = sweep.cells.filter((cell) => cell.xIndex === xIndex && cell.yIndex === yIndex);
        const cell = cells.find((each) => outcomes.has(each.id));
        const name = cells[0] ? cellName(sweep.spec, cells[0]) : '';
        if (!cell) {
          notify('info', `Cell ${name} has not finished yet; its curves open once it has.`);
          return false;
        }
        const read = options.persistence
          ? await options.persistence.cellRun(cell.id).catch(() => null)
          : null;
        if (!read || !read.ok) {
          notify(
            'error',
            `The curves of cell ${name} are not stored${read && !read.ok ? `: ${read.message}` : ''}.`,
          );
          return false;
        }
        const outcome = outcomes.get(cell.id)!;
        const record: StoredRun = {
          id: newRunId(),
          name: `Sweep cell · ${name} · seed ${cell.seed}`,
          createdAt: now(),
          updatedAt: now(),
          config: cell.config,
          history: read.value.history,
          events: read.value.events,
          status: outcome.stoppedBecause === 'diverged' ? 'diverged' : 'finished',
          wallTimeMs: read.value.history.at(-1)?.trainingMs ?? 0,
          ...(read.value.snapshot ? { snapshot: read.value.snapshot } : {}),
        };
        set({ open: false });
        return options.lab.getState().restoreRun(record);
      },

      togglePick(key) {
        set((state) => {
          if (state.picked.includes(key)) return { picked: state.picked.filter((each) => each !== key) };
          // Two cells at most: a third pick replaces the older one.
          return { picked: [...state.picked, key].slice(-2) };
        });
      },

      async racePicked() {
        const { sweep, picked } = get();
        if (!sweep || picked.length !== 2) return false;
        const lanes = picked.map((key, i) => {
          const [xIndex, yIndex] = key.split(',').map(Number);
          const cell = sweep.cells.find((each) => each.xIndex === xIndex && each.yIndex === yIndex)!;
          const name = cellName(sweep.spec, cell);
          return {
            name: String.fromCharCode(65 + i),
            difference: [name],
            color: laneColor(i),
            config: cell.config,
          };
        });
        set({ open: false, picked: [] });
        return options.lab
          .getState()
          .startLanes(`Sweep cells: ${lanes[0].difference[0]} vs ${lanes[1].difference[0]}`, lanes);
      },

      elapsedMs() {
        const { runningMs, since } = get();
        return runningMs + (since === null ? 0 : now() - since);
      },
    };
  });
}

const SweepContext = createContext<SweepStore | null>(null);

export function SweepProvider({ store, children }: { store: SweepStore; children: ReactNode }) {
  return createElement(SweepContext.Provider, { value: store }, children);
}

/** The sweep store, or null when the page was built without one (tests of the lab alone). */
export function useSweepStore(): SweepStore | null {
  return useContext(SweepContext);
}

const NO_STORE = createStore<SweepState & SweepActions>()(() => ({}) as SweepState & SweepActions);

/** Reads a slice of the sweep state (re-renders only when it changes). */
export function useSweep<T>(selector: (state: SweepState & SweepActions) => T): T {
  return useStore(useSweepStore() ?? NO_STORE, selector);
}
