/**
 * What the lab's store holds and offers: an experiment of 1…N lanes, the actions every control calls, and the
 * options the page builds it with. Types only; the behaviour is in src/app/store.ts.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { Config } from '../../engine/config';
import type { PresetName } from '../../engine/presets';
import type { StoredRun } from '../../lib/runStore';
import type { BackendChoice, ConfigEvent } from '../../worker/protocol';
import type { AxisScale } from '../logic/downsample';
import type { WorkerPhase } from '../logic/status';
import type { LaneSpec } from './race';
import type { LaneClient } from './driver';
import type { Lane } from './lane';

/** Where the connection to the training workers stands (the lanes' phases, summarized). */
export type Phase = WorkerPhase;

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
  /**
   * updatedAt of the saved record this experiment was reopened from (null: a new experiment): the version a save
   * from this tab expects to find stored, so reopening a run and training on is not taken for another tab's save.
   */
  reopenedAt: number | null;
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
  /**
   * The experiment as a record to save or export, with every lane's weights when `withSnapshot`; 'unless-kept':
   * without them (left as stored) when the lanes' workers keep their own (LabStoreOptions.keepTab).
   */
  captureRun(withSnapshot: boolean | 'unless-kept'): Promise<StoredRun | null>;
  /** Opens a saved record (single run or race): lanes with weights resume paused, the others are shown. */
  restoreRun(run: StoredRun): Promise<boolean>;
  setClassroom(on: boolean): void;
  setXScale(scale: AxisScale): void;
  /** The experiment goes on under a new id (saved from now on as a copy, e.g. when another tab saves the same). */
  forkExperiment(): void;
}

export type LabStore = StoreApi<LabState & LabActions>;

export interface LabStoreOptions {
  /** One new worker client per lane, its wasm backend on `wasmThreads` threads. */
  createClient: (wasmThreads: number) => LaneClient | Promise<LaneClient>;
  /**
   * How many wasm threads a lane's worker gets, for `laneCount` lanes on screen and the run it is to train
   * (src/worker/wasmThreads.ts). A worker's count is fixed: a lane whose next run wants another gets a new worker.
   * Absent: 1.
   */
  wasmThreads?: (laneCount: number, config: Config) => number;
  initialConfig?: Config;
  presetName?: PresetName | null;
  classroom?: boolean;
  /** Changes to apply when the run reaches their steps (a shared link's schedule). */
  schedule?: ConfigEvent[];
  /** Notes shown at start, e.g. what was wrong with the link. */
  notices?: string[];
  /** Pause before a live edit is sent, so a dragged slider becomes one change (ms). */
  liveDelayMs?: number;
  /**
   * Asked before a run estimated to be heavy (minutes per step, more memory than a school laptop has) starts from
   * step 0 (window.confirm in the app); false: it does not start. Absent: such runs start unasked.
   */
  confirm?: (question: string) => boolean;
  /** Cores available (navigator.hardwareConcurrency): at most one lane each. */
  cores?: number;
  /**
   * Keeps a record somewhere safe (the run store in the app): an experiment with progress that is about to be
   * replaced, and a race that has just finished. Absent: nothing is kept.
   */
  keep?: (run: StoredRun) => Promise<void>;
  /**
   * This tab's id (hooks/tabId.ts): each lane's worker keeps its run in the run store's IndexedDB itself, under the
   * experiment's id, as this tab's (lib/keptSnapshots.ts). Absent: workers keep nothing; saves take the weights.
   */
  keepTab?: string;
  now?: () => number;
}
