/**
 * A lane: one training run on screen, in its own worker. An experiment is an ordered list of lanes (the single run
 * is an experiment of one lane; a race has two or more). This file holds what a lane is and the one reducer that
 * mirrors its worker run — init, batch, update, rollback, failure — the same code for any number of lanes.
 * Pure: no React, no workers; the store dispatches, the unit tests pin it down.
 */
import { applyAnalysis, type NandaAnalysis } from '../../engine/metrics/nandaProgress';
import { deepMerge, type Config, type ConfigIssue } from '../../engine/config';
import type { ClientBatch } from '../../worker/client';
import type {
  BackendName,
  BackendReport,
  ConfigEvent,
  InitResult,
  MetricRecord,
  RunSnapshot,
  RunStatus,
} from '../../worker/protocol';
import { collectScalarKeys } from '../logic/charts';
import { draftIssues, fixedChanges, issueMap, type IssueMap } from '../logic/configEdit';
import { addEvents, EMPTY_EVENT_LOG, rewindEvents, type EventLog } from '../logic/events';
import { detectMilestones, extendMilestones, NO_MILESTONES, type Milestones } from '../logic/milestones';
import { rolledBack, type RolledBack } from '../logic/rollback';
import type { WorkerPhase } from '../logic/status';

/** Where a lane's worker stands. */
export type LanePhase = WorkerPhase;

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

/** What sets a lane apart: its name, the settings in which it differs from the others, its colour. */
export interface LaneIdentity {
  name: string;
  difference: string[];
  color: string;
}

/** The lane's settings as the sidebar edits them, and as its worker applies them. */
export interface LaneSettings {
  /** What the controls show; may be invalid while the user types. */
  draft: Config;
  /** Problems with the draft, by dotted path, shown next to the fields. */
  issues: IssueMap;
  /** The config the worker's run uses now. */
  config: Config;
  /** The config the run started from (before any live change); reset goes back to the draft. */
  startConfig: Config;
  /** Draft changes (task, model, seed) that only a reset applies. */
  pendingReset: string[];
  /** Changes still to apply at given steps (from a shared link), in step order. */
  schedule: ConfigEvent[];
}

/** The page's mirror of the lane's worker run. */
export interface LaneRun {
  phase: LanePhase;
  status: RunStatus;
  /** An init/reset/restore is in flight. */
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
  /** The lane's latest notice from its worker (finished, diverged, recovered, …). */
  message: string | null;
  /** The lane diverged and its worker can roll it back (it keeps its run until then). */
  canRollBack: boolean;
}

export type Lane = LaneIdentity & LaneSettings & LaneRun;

/** A run's data before its first batch (after init/reset; restore fills in the snapshot's history). */
export const EMPTY_RUN: Omit<LaneRun, 'phase' | 'backend' | 'activeBackend' | 'run' | 'busy'> = {
  status: 'idle',
  step: 0,
  stepsPerSecond: 0,
  history: [],
  eventLog: EMPTY_EVENT_LOG,
  milestones: NO_MILESTONES,
  scalarKeys: {},
  predictions: null,
  embedding: null,
  message: null,
  canRollBack: false,
};

/** A new lane that has no worker yet, with `config` as its draft and starting point. */
export function newLane(identity: LaneIdentity, config: Config, schedule: ConfigEvent[] = []): Lane {
  return {
    ...identity,
    draft: config,
    issues: draftIssues(config),
    config,
    startConfig: config,
    pendingReset: [],
    schedule: [...schedule].sort((a, b) => a.step - b.step),
    ...EMPTY_RUN,
    phase: 'disconnected',
    busy: false,
    backend: null,
    activeBackend: null,
    run: null,
  };
}

export type LaneAction =
  /** An init/reset/restore is on its way to the worker. */
  | { type: 'building' }
  /** The worker built the run (init or reset): a fresh run at result.step. */
  | { type: 'built'; result: Extract<InitResult, { ok: true }>; id: string; createdAt: number }
  /** The worker resumed a saved run: built, then the snapshot's history and events. */
  | {
      type: 'restored';
      result: Extract<InitResult, { ok: true }>;
      id: string;
      createdAt: number;
      snapshot: RunSnapshot;
      startConfig: Config;
    }
  /** The build was refused or threw (the worker is still usable unless `failed`). */
  | { type: 'buildFailed'; failed: boolean }
  | { type: 'batch'; batch: ClientBatch; canRollBack: boolean }
  /** A live change the worker applied, with its events. */
  | { type: 'updated'; config: Config; events: ConfigEvent[] }
  | { type: 'rolledBack'; result: RolledBack }
  /** The page set the status ahead of the worker's next batch (start/pause). */
  | { type: 'status'; status: RunStatus }
  /** The worker is gone: failed (it could not be restarted) or closed (released after the lane finished). */
  | { type: 'workerGone'; phase: 'failed' | 'closed'; message?: string }
  /** A saved lane shown without a worker (a finished race reopened from the runs). */
  | { type: 'archived'; history: MetricRecord[]; events: ConfigEvent[]; status: RunStatus }
  /** The sidebar (or a link's schedule) changed the draft. */
  | { type: 'edited'; patch: Record<string, unknown> }
  /** Problems the worker (or validation) found, shown beside the fields: added to, or replacing, the current. */
  | { type: 'issues'; issues: ConfigIssue[]; replace?: boolean }
  /** What is left of a link's schedule. */
  | { type: 'schedule'; schedule: ConfigEvent[] }
  /** The run stopped: Nanda et al.'s after-the-run measures, written into the records they measured. */
  | { type: 'analysed'; analysis: NandaAnalysis };

function runInfo(result: Extract<InitResult, { ok: true }>, id: string, createdAt: number): RunInfo {
  return {
    id,
    createdAt,
    sites: result.sites,
    datasetTitle: result.datasetTitle,
    gridSize: result.gridSize,
    grid: result.grid,
    isTrain: result.isTrain,
    tokenNames: result.tokenNames,
    operandVocabulary: result.operandVocabulary,
  };
}

/** A run's records and what is derived from them: the part of a lane that a headless run (a sweep cell) keeps too. */
export type LaneHistory = Pick<LaneRun, 'history' | 'eventLog' | 'milestones' | 'scalarKeys'>;

/** The history of a run that starts from saved records and events (a restored or archived run). */
export function historyFrom(
  history: MetricRecord[],
  events: ConfigEvent[],
  grokThreshold: number,
): LaneHistory {
  return {
    history,
    eventLog: addEvents(EMPTY_EVENT_LOG, events, 'update'),
    milestones: detectMilestones(history, grokThreshold),
    scalarKeys: collectScalarKeys({}, history),
  };
}

/** The history after a batch from the worker: what a rewind dropped goes, the batch's records and events come. */
export function advanceHistory(run: LaneHistory, batch: ClientBatch, grokThreshold: number): LaneHistory {
  let { history, eventLog, milestones, scalarKeys } = run;
  if (batch.rewoundTo !== null) {
    const rewoundTo = batch.rewoundTo;
    history = history.filter((record) => record.step <= rewoundTo);
    eventLog = rewindEvents(eventLog, rewoundTo);
    milestones = detectMilestones(history, grokThreshold);
  }
  if (batch.records.length > 0) {
    milestones = extendMilestones(milestones, batch.records, grokThreshold);
    history = history.concat(batch.records);
    scalarKeys = collectScalarKeys(scalarKeys, batch.records);
  }
  return { history, milestones, scalarKeys, eventLog: addEvents(eventLog, batch.events, 'stream') };
}

function withHistory(lane: Lane, history: MetricRecord[], events: ConfigEvent[]): Partial<Lane> {
  return historyFrom(history, events, lane.config.training.grokThreshold);
}

/** The lane after `action`. Never mutates; returns the same object when nothing changes. */
export function reduceLane(lane: Lane, action: LaneAction): Lane {
  switch (action.type) {
    case 'building':
      return { ...lane, busy: true, phase: lane.phase === 'ready' ? 'ready' : 'starting' };
    case 'built': {
      const { config } = action.result;
      return {
        ...lane,
        ...EMPTY_RUN,
        step: action.result.step,
        config,
        startConfig: config,
        pendingReset: fixedChanges(config, lane.draft),
        backend: action.result.backend,
        activeBackend: action.result.backend.backend,
        run: runInfo(action.result, action.id, action.createdAt),
        phase: 'ready',
        busy: false,
      };
    }
    case 'restored': {
      const built = reduceLane(lane, { ...action, type: 'built' });
      const { config } = action.result;
      return {
        ...built,
        draft: config,
        issues: draftIssues(config),
        pendingReset: [],
        startConfig: action.startConfig,
        schedule: [],
        status: 'paused',
        ...withHistory(built, action.snapshot.history, action.snapshot.events),
      };
    }
    case 'buildFailed':
      return { ...lane, busy: false, ...(action.failed ? { phase: 'failed', status: 'error' } : {}) };
    case 'analysed':
      return action.analysis.points.length > 0
        ? { ...lane, history: applyAnalysis(lane.history, action.analysis) }
        : lane;
    case 'batch': {
      const { batch } = action;
      return {
        ...lane,
        status: batch.status,
        step: batch.step,
        stepsPerSecond: batch.stepsPerSecond,
        activeBackend: batch.backend,
        ...advanceHistory(lane, batch, lane.config.training.grokThreshold),
        predictions: batch.predictions ?? lane.predictions,
        embedding: batch.embedding ?? lane.embedding,
        message: batch.message ?? lane.message,
        canRollBack: action.canRollBack,
      };
    }
    case 'updated': {
      const thresholdChanged = action.config.training.grokThreshold !== lane.config.training.grokThreshold;
      return {
        ...lane,
        config: action.config,
        eventLog: addEvents(lane.eventLog, action.events, 'update'),
        milestones: thresholdChanged
          ? detectMilestones(lane.history, action.config.training.grokThreshold)
          : lane.milestones,
      };
    }
    case 'rolledBack': {
      const run = rolledBack(lane, action.result);
      const config = action.result.config;
      const draft = {
        ...lane.draft,
        optimizer: config.optimizer,
        regularizers: config.regularizers,
        training: config.training,
      };
      return {
        ...lane,
        ...run,
        draft,
        issues: draftIssues(draft),
        milestones: detectMilestones(run.history, config.training.grokThreshold),
        message: null,
        canRollBack: false,
      };
    }
    case 'status':
      return lane.status === action.status ? lane : { ...lane, status: action.status };
    case 'workerGone':
      return {
        ...lane,
        phase: action.phase,
        busy: false,
        stepsPerSecond: 0,
        canRollBack: false,
        ...(action.phase === 'failed' ? { status: 'error' as const } : {}),
        ...(action.message ? { message: action.message } : {}),
      };
    case 'archived':
      return {
        ...lane,
        ...EMPTY_RUN,
        ...withHistory(lane, action.history, action.events),
        phase: 'closed',
        status: action.status === 'running' ? 'paused' : action.status,
        step: action.history.at(-1)?.step ?? 0,
      };
    case 'edited': {
      const draft = deepMerge(lane.draft, action.patch);
      return { ...lane, draft, issues: draftIssues(draft), pendingReset: fixedChanges(lane.config, draft) };
    }
    case 'issues':
      return {
        ...lane,
        issues: action.replace ? issueMap(action.issues) : { ...lane.issues, ...issueMap(action.issues) },
      };
    case 'schedule':
      return { ...lane, schedule: action.schedule };
  }
}

/** `lanes` with lane `index` reduced by `action` (the other lanes are the same objects). */
export function reduceLanes(lanes: readonly Lane[], index: number, action: LaneAction): Lane[] {
  return lanes.map((lane, i) => (i === index ? reduceLane(lane, action) : lane));
}
