/**
 * What the lab's sweep store holds and offers, and the options the page builds it with. Types (and the cells'
 * names) only: the store is src/app/sweep/sweepStore.ts, the cells' runs cellRunner.ts, its saving sweepSaving.ts.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { ExpandedSweep, SweepCell } from '../../lib/sweep/cells';
import type { CellOutcome } from '../../lib/sweep/cellResult';
import { formatKnobValue, type CellProgress } from '../../lib/sweep/heatmap';
import type { SweepOwnership } from '../../lib/sweepOwnership';
import type { SweepSpec } from '../../lib/sweep/spec';
import type { StoredSweep, StoredSweepStatus, SweepLossLog, SweepPersistence } from '../../lib/sweepStore';
import type { BackendChoice } from '../../worker/protocol';
import type { LaneClient } from '../lanes/driver';
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
  /** Space on the sweep view: pauses a running sweep, resumes a paused one (not one another tab trains). */
  togglePause(): Promise<void>;
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
  /** A new worker for the sweep's pool (supervised in the app); at most `concurrency` are started and reused. */
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

/** A point's name for notices and lanes: "wd 0.1 · λ 0.003" style, from the keys' last parts. */
export function cellName(spec: SweepSpec, cell: Pick<SweepCell, 'xValue' | 'yValue'>): string {
  const short = (key: string) => key.split('.').slice(-2).join('.');
  return `${short(spec.x.key)} ${formatKnobValue(cell.xValue)} · ${short(spec.y.key)} ${formatKnobValue(cell.yValue)}`;
}

export type Notify = (
  kind: 'error' | 'warning' | 'info',
  text: string,
  action?: { label: string; run(): void },
) => void;
