/**
 * The lab's sweep: a grid of runs (cells) trained beside the lab's lanes, at most `concurrency` at once, queued in
 * the sweep's order, each stopping at grok + stopAfterGrok or at its budget (the worker's own stop rules:
 * training.stopAfterGrok and training.maxSteps are in every cell's config). Its own zustand store; it touches the
 * lab's store only to open a cell as a lane, race two cells, and show notices. The cells run as headless lanes on a
 * pool of workers (cellRunner.ts), the sweep is kept in IndexedDB by sweepSaving.ts; what to start next, what a
 * finished run means and the live progress are pure functions (src/lib/sweep/labRun.ts); the map is the headless
 * sweep's model (spec, cells, grid, heatmap layout), so both maps are one drawing of one model.
 */
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { newRunId, type StoredRun } from '../../lib/runStore';
import { expandSweep, type ExpandedSweep } from '../../lib/sweep/cells';
import type { CellOutcome } from '../../lib/sweep/cellResult';
import { clampConcurrency, defaultConcurrency } from '../../lib/sweep/labRun';
import { isSweepName, SWEEPS } from '../../lib/sweep/registry';
import { labSweepCheck } from '../../lib/sweep/size';
import { parseSweepSpec } from '../../lib/sweep/spec';
import type { StoredSweepStatus } from '../../lib/sweepStore';
import { errorText } from '../logic/format';
import { laneColor } from '../lanes/race';
import { createCellRunner } from './cellRunner';
import { createSweepSaving } from './sweepSaving';
import {
  cellName,
  type SweepActions,
  type SweepState,
  type SweepStatus,
  type SweepStore,
  type SweepStoreOptions,
} from './sweepState';

export type {
  ClickMode,
  SweepActions,
  SweepState,
  SweepStatus,
  SweepStore,
  SweepStoreOptions,
} from './sweepState';
export { cellName } from './sweepState';

export function createSweepStore(options: SweepStoreOptions): SweepStore {
  const now = options.now ?? (() => Date.now());
  const cores = Math.max(1, Math.floor(options.cores ?? 1));
  return createStore<SweepState & SweepActions>()((set, get) => {
    const notify = (
      kind: 'error' | 'warning' | 'info',
      text: string,
      action?: { label: string; run(): void },
    ) => options.lab.getState().notify(kind, text, action);

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

    const runner = createCellRunner({
      ...options,
      get,
      set,
      now,
      notify,
      persist: () => saving.persist(),
      async allFinished() {
        stopClock();
        set({ status: 'done' });
        await saving.persist();
        letGo(get().sweepId);
        // Done: the pool's workers are let go (their cores and memory with them).
        runner.stopAll();
      },
    });
    const stopAll = () => runner.stopAll();
    const pump = () => runner.pump();

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
      await saving.persist();
      pump();
      return !elsewhere;
    };

    const saving = createSweepSaving({ ...options, get, set, now, notify, begin });

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
        const stored = await saving.storedOutcomes(sweep);
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
        await runner.pauseAll();
        await saving.persist();
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
        await runner.startAll();
        await saving.persist();
        pump();
      },

      async togglePause() {
        const { status, elsewhere } = get();
        if (status === 'running') await get().pause();
        else if (status === 'paused' && !elsewhere) await get().resume();
      },

      async cancel() {
        if (get().status !== 'running' && get().status !== 'paused') return;
        // Only the tab that trains a sweep ends it.
        if (get().elsewhere) return;
        if (get().status === 'running') stopClock();
        stopAll();
        set({ status: 'cancelled' });
        await saving.persist();
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
        const stored = await saving.storedOutcomes(sweep);
        if (get().sweepId !== sweepId) return;
        set((state) => ({
          elsewhere: false,
          outcomes: stored ? new Map([...state.outcomes, ...stored.outcomes]) : state.outcomes,
          status: 'running',
          since: now(),
        }));
        await saving.persist();
        pump();
      },

      restore: () => saving.restore(),
      refreshSaved: () => saving.refreshSaved(),
      openSaved: (id) => saving.openSaved(id),

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
