/**
 * The lesson being taught: which lesson, which step, and what that step's run is doing. It drives the lab only
 * through the lab's own actions (startLanes, startRace, setFields, start, pause, captureRun, restoreRun,
 * setClassroom) and the sweep's (start, setOpen): there is no other way into the workers. A step's runs are kept
 * when the teacher moves on (a step back reopens them, paused, at the step they had); leaving the lesson returns
 * the lab as it was. Also the lessons offered (built-in and imported) and the editor's draft.
 */
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { BUILTIN_LESSONS } from '../../lessons/builtin';
import { conditionMet, conditionStep, type LaneProgress } from '../../lessons/conditions';
import { moveStep, targetStep, type Move } from '../../lessons/navigation';
import { parseLessonText, type Lesson, type LessonStep } from '../../lessons/schema';
import { SWEEPS, isSweepName } from '../../lib/sweep/registry';
import type { StoredRun } from '../../lib/runStore';
import type { LabStore } from '../lanes/experiment';
import type { Lane } from '../lanes/lane';
import { laneDone, STOPPED } from '../lanes/summary';
import type { LaneSpec } from '../lanes/race';
import type { SweepStore } from '../sweep/sweepStore';
import { buildSetup, currentSetup } from './setups';

/** Where the current step stands: being built, training toward its condition, there, or waiting for →. */
export type StepStage = 'setting-up' | 'waiting' | 'met' | 'ready';

/** The lab as it was before the lesson opened, to return to. */
interface LabBefore {
  record: StoredRun | null;
  lanes: LaneSpec[];
  title: string;
  presetName: ReturnType<LabStore['getState']>['presetName'];
  classroom: boolean;
  sweepOpen: boolean;
}

export interface LessonState {
  /** The lessons offered: the built-in ones, then those imported or saved from the editor. */
  lessons: readonly Lesson[];
  /** The lesson being taught (null: none). */
  lesson: Lesson | null;
  index: number;
  stage: StepStage;
  /** The step at which the current step's condition was met. */
  metAt: number | null;
  /** What went wrong with an imported file (every problem, naming step and field). */
  problems: readonly string[];
  /** The editor's lesson (null: the editor is closed). */
  draft: Lesson | null;
}

export interface LessonActions {
  /** Opens a lesson at a step, in classroom mode; the lab as it is now is remembered. */
  open(lesson: Lesson, index?: number): Promise<void>;
  /** → / ← (queued: three presses go three steps). */
  move(move: Move): Promise<void>;
  /** Back to the lab as it was before the lesson. */
  leave(): Promise<void>;
  /** Reads a lesson file: added to the lessons (replacing one with its id), or `problems` set and nothing opened. */
  importText(text: string): Lesson | null;
  clearProblems(): void;
  /** The editor, on a copy of a lesson (or a new one). */
  edit(lesson?: Lesson): void;
  closeEditor(): void;
  updateDraft(change: (draft: Lesson) => Lesson): void;
  /** Edits a step of the draft. */
  updateStep(index: number, patch: Partial<LessonStep>): void;
  reorderStep(from: number, to: number): void;
  removeStep(index: number): void;
  /** Appends the lab's current setup as a step of the draft. */
  addCurrentSetup(): void;
  /** Keeps the draft among the lessons (after an export, or to teach it now). */
  saveDraft(): void;
}

export type LessonStore = StoreApi<LessonState & LessonActions>;

export interface LessonStoreOptions {
  lab: LabStore;
  sweep?: SweepStore | null;
}

const NEW_LESSON: Lesson = {
  format: 'grok-lab-lesson',
  version: 1,
  id: 'my-lesson',
  title: 'My lesson',
  summary: 'What the class will see.',
  steps: [],
};

export function createLessonStore({ lab, sweep = null }: LessonStoreOptions): LessonStore {
  let before: LabBefore | null = null;
  /** Each step's runs as they stood when the teacher moved on, by step index. */
  let kept = new Map<number, StoredRun>();
  let queue: Promise<void> = Promise.resolve();
  /** A new one per step entered: work for an older step is dropped. */
  let generation = 0;
  let sweepOpened = false;
  /** Some step of this lesson has set the lab up (a `continue` step then goes on with it). */
  let built = false;

  const serial = (work: () => Promise<void>) => {
    queue = queue.then(work, work);
    return queue;
  };

  const store = createStore<LessonState & LessonActions>()((set, get) => {
    const closeSweep = async () => {
      if (!sweep || !sweepOpened) return;
      sweepOpened = false;
      await sweep.getState().pause();
      sweep.getState().setOpen(false);
    };

    /** The step's runs stop and are kept for a step back. */
    const keepStep = async (index: number) => {
      await lab.getState().pause();
      const record = await lab.getState().captureRun(true);
      if (record) kept.set(index, record);
    };

    /** Opens the sweep a step names, ready to start (the one already open if it is that sweep). */
    const openSweep = async (name: string) => {
      if (!sweep || !isSweepName(name)) return;
      const spec = SWEEPS[name].spec;
      if (sweep.getState().sweep?.spec.title !== spec.title)
        await sweep.getState().start(spec, { paused: true });
      sweep.getState().setOpen(true);
      sweepOpened = true;
    };

    /** Builds a step's setup in the lab; false for a step that goes on with what is on screen. */
    const build = async (step: LessonStep): Promise<boolean> => {
      const setup = buildSetup(step.setup);
      if (setup.kind === 'lanes')
        await lab.getState().startLanes(setup.title, setup.lanes, { autoStart: false, preset: setup.preset });
      else if (setup.kind === 'race') await lab.getState().startRace(setup.preset, { autoStart: false });
      else if (setup.kind === 'continue') {
        if (setup.patch) {
          lab.getState().setFields(setup.patch);
          await lab.getState().flushLive();
        }
        return false;
      }
      return setup.kind !== 'sweep';
    };

    /**
     * A step that goes on with the run of the steps before it, entered first (a link to it): that run is built from
     * the last step before it that sets the lab up, with the changes of the steps between applied.
     */
    const buildFromEarlier = async (lesson: Lesson, index: number) => {
      let base = index;
      while (base >= 0 && lesson.steps[base].setup.kind === 'continue') base--;
      if (base < 0) return;
      for (let i = base; i <= index; i++) await build(lesson.steps[i]);
    };

    /** Builds step `index` (or reopens its kept runs) and starts it toward its condition. */
    const enter = async (index: number) => {
      const lesson = get().lesson;
      const step = lesson?.steps[index];
      if (!lesson || !step) return;
      const mine = ++generation;
      set({ index, stage: 'setting-up', metAt: null });
      lab.getState().setClassroom(step.view !== 'lab');
      if (step.setup.kind === 'sweep') await openSweep(step.setup.sweep);
      else await closeSweep();
      const noticesBefore = new Set(lab.getState().notices.map((notice) => notice.id));
      const keptRuns = kept.get(index);
      if (keptRuns) {
        // Shown as they were left, paused: nothing is trained again.
        await lab.getState().restoreRun(keptRuns);
      } else if (step.setup.kind === 'continue' && !built) {
        await buildFromEarlier(lesson, index);
      } else {
        await build(step);
      }
      built = true;
      // The lab says "kept in your runs" of every experiment a step replaces; the lesson keeps those runs itself
      // (a step back reopens them), and a notice per step would crowd the projector.
      for (const notice of lab.getState().notices)
        if (!noticesBefore.has(notice.id) && notice.action?.label === 'Reopen it')
          lab.getState().dismissNotice(notice.id);
      if (mine !== generation) return;
      if (step.do.kind === 'run' && conditionMet(step.do.until, progressOf(lab.getState().lanes))) {
        set({ stage: 'met', metAt: conditionStep(step.do.until, progressOf(lab.getState().lanes)) });
        return;
      }
      set({ stage: step.do.kind === 'run' ? 'waiting' : 'ready' });
      if (step.do.kind === 'run') await lab.getState().start();
    };

    return {
      lessons: BUILTIN_LESSONS,
      lesson: null,
      index: 0,
      stage: 'ready',
      metAt: null,
      problems: [],
      draft: null,

      open(lesson, index = 0) {
        return serial(async () => {
          if (!get().lesson) {
            const state = lab.getState();
            await state.pause();
            before = {
              record: await state.captureRun(true),
              lanes: state.lanes.map((lane) => ({
                name: lane.name,
                difference: lane.difference,
                color: lane.color,
                config: lane.draft,
              })),
              title: state.title,
              presetName: state.presetName,
              classroom: state.classroom,
              sweepOpen: sweep?.getState().open ?? false,
            };
            if (sweep?.getState().open) sweep.getState().setOpen(false);
          } else {
            await lab.getState().pause();
          }
          kept = new Map();
          built = false;
          set({ lesson, draft: null, problems: [] });
          await enter(Math.max(0, Math.min(index, lesson.steps.length - 1)));
        });
      },

      move(move) {
        return serial(async () => {
          const { lesson, index } = get();
          if (!lesson) return;
          const target = targetStep(lesson, index, move);
          if (target === null) return;
          generation++;
          await keepStep(index);
          await enter(target);
        });
      },

      leave() {
        return serial(async () => {
          if (!get().lesson) return;
          generation++;
          await lab.getState().pause();
          await closeSweep();
          const was = before;
          before = null;
          kept = new Map();
          set({ lesson: null, index: 0, stage: 'ready', metAt: null });
          if (!was) return;
          if (was.record) await lab.getState().restoreRun(was.record);
          else
            await lab
              .getState()
              .startLanes(was.title, was.lanes, { autoStart: false, preset: was.presetName });
          lab.getState().setClassroom(was.classroom);
          if (was.sweepOpen) sweep?.getState().setOpen(true);
        });
      },

      importText(text) {
        const result = parseLessonText(text);
        if (!result.ok) {
          set({ problems: result.problems });
          return null;
        }
        const lesson = result.lesson;
        set((state) => ({
          problems: [],
          lessons: [...state.lessons.filter((other) => other.id !== lesson.id), lesson],
        }));
        return lesson;
      },

      clearProblems() {
        set({ problems: [] });
      },

      edit(lesson) {
        set({ draft: structuredClone(lesson ?? NEW_LESSON), problems: [] });
      },

      closeEditor() {
        set({ draft: null });
      },

      updateDraft(change) {
        const draft = get().draft;
        if (draft) set({ draft: change(draft) });
      },

      updateStep(index, patch) {
        get().updateDraft((draft) => ({
          ...draft,
          steps: draft.steps.map((step, i) => (i === index ? { ...step, ...patch } : step)),
        }));
      },

      reorderStep(from, to) {
        get().updateDraft((draft) => ({ ...draft, steps: moveStep(draft.steps, from, to) }));
      },

      removeStep(index) {
        get().updateDraft((draft) => ({ ...draft, steps: draft.steps.filter((_, i) => i !== index) }));
      },

      addCurrentSetup() {
        const state = lab.getState();
        get().updateDraft((draft) => {
          const step: LessonStep = {
            title: `Step ${draft.steps.length + 1}`,
            text: 'What to tell the class about this setup.',
            setup: currentSetup(state),
            ...(state.classroom ? {} : { view: 'lab' as const }),
            do: { kind: 'click' },
            minutes: 2,
          };
          return { ...draft, steps: [...draft.steps, step] };
        });
      },

      saveDraft() {
        const draft = get().draft;
        if (!draft) return;
        set((state) => ({ lessons: [...state.lessons.filter((other) => other.id !== draft.id), draft] }));
      },
    };
  });

  // The current step's condition: when it holds, every lane pauses where it is.
  lab.subscribe((state) => {
    const { stage } = store.getState();
    const step = store.getState().lesson?.steps[store.getState().index];
    if (stage !== 'waiting' || step?.do.kind !== 'run') return;
    const lanes = progressOf(state.lanes);
    if (!conditionMet(step.do.until, lanes)) return;
    store.setState({ stage: 'met', metAt: conditionStep(step.do.until, lanes) });
    void state.pause();
  });
  return store;
}

/** What a condition reads of the lanes; a lane that has stopped for good holds up no "every lane" condition. */
function progressOf(lanes: readonly Lane[]): LaneProgress[] {
  return lanes.map((lane) => ({
    step: lane.step,
    milestones: lane.milestones,
    history: lane.history,
    stopped: laneDone(lane) || STOPPED.includes(lane.status),
  }));
}

const LessonContext = createContext<LessonStore | null>(null);

export function LessonProvider({ store, children }: { store: LessonStore; children: ReactNode }) {
  return createElement(LessonContext.Provider, { value: store }, children);
}

/** The lesson store, or null on a page without lessons (tests of other views). */
export function useLessonStore(): LessonStore | null {
  return useContext(LessonContext);
}

const NO_LESSONS = createStore<{ lesson: null }>()(() => ({ lesson: null }));

/** Reads a slice of the lesson state; without a provider, of an empty one (no lesson open). */
export function useLesson<T>(selector: (state: LessonState & LessonActions) => T): T {
  const store = useLessonStore();
  return useStore((store ?? NO_LESSONS) as LessonStore, selector);
}
