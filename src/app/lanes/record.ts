/**
 * An experiment as one saved record, and back. A single run is a record of one lane (its config, history, events
 * and snapshot); a race adds `comparison` with every lane, each with its own snapshot, so every lane resumes after
 * a reload. Records written before lanes existed (a single run; a race whose lanes had no snapshots but the first)
 * read back through the same function: that is the migration, tested against fixtures of the old format.
 */
import { formatIssues, resolveConfig, validateConfig, type Config } from '../../engine/config';
import { isPresetName, PRESETS, type PresetName } from '../../engine/presets';
import { REGULARIZERS } from '../../engine/regularizers/registry';
import type { StoredRun } from '../../lib/runStore';
import type { ConfigEvent, MetricRecord, RunSnapshot, RunStatus } from '../../worker/protocol';
import { schedulePatch } from '../logic/link';
import { fairnessIssues, laneColor, raceMessage, raceOutcome } from './race';
import type { Lane, LaneIdentity } from './lane';

/** A readable name for a saved run: preset, task, enabled regularizers. */
export function runName(datasetTitle: string, config: Config, presetName: PresetName | null): string {
  const enabled = Object.entries(config.regularizers as Record<string, { enabled: boolean }>)
    .filter(([, settings]) => settings.enabled)
    .map(([id]) => (REGULARIZERS as unknown as Record<string, { label: string }>)[id]?.label ?? id);
  const preset = presetName ? `${PRESETS[presetName].title}: ` : '';
  return `${preset}${datasetTitle}${enabled.length > 0 ? ` · ${enabled.join(', ')}` : ''}`;
}

export interface ExperimentIdentity {
  id: string;
  createdAt: number;
  /** The race's title ('' for a single run). */
  title: string;
  presetName: PresetName | null;
}

const savedStatus = (status: RunStatus): RunStatus => (status === 'running' ? 'paused' : status);

/**
 * The experiment as a record; `snapshots[i]` is lane i's weights (null: none, so a stored one is dropped;
 * undefined: left as stored, e.g. kept by the lane's worker itself).
 */
export function experimentRecord(
  experiment: ExperimentIdentity,
  lanes: readonly Lane[],
  snapshots: readonly (RunSnapshot | null | undefined)[],
  now: number,
): StoredRun | null {
  const first = lanes[0];
  if (!first) return null;
  const title = first.run?.datasetTitle ?? '';
  const base = {
    id: experiment.id,
    createdAt: experiment.createdAt,
    updatedAt: now,
    config: first.startConfig,
    history: first.history,
    events: first.eventLog.events,
    status: savedStatus(first.status),
    wallTimeMs: first.history.at(-1)?.trainingMs ?? 0,
    ...(snapshots[0] ? { snapshot: snapshots[0] } : {}),
  };
  if (lanes.length === 1) return { ...base, name: runName(title, first.config, experiment.presetName) };
  const outcome = raceOutcome(lanes);
  const fairness = fairnessIssues(lanes.map((lane) => ({ ...lane, backend: lane.activeBackend })));
  return {
    ...base,
    name: `Race · ${experiment.title}${title ? ` · ${title}` : ''}`,
    comparison: {
      kind: 'race',
      title: experiment.title,
      preset: experiment.presetName,
      evalEvery: first.startConfig.training.evalEvery,
      winner: outcome.decided ? outcome.leader : null,
      summary:
        (raceMessage(lanes, outcome) ?? 'Race in progress') +
        (fairness.length > 0 ? ` (unfair: ${fairness.join('; ')})` : ''),
      lanes: lanes.map((lane, i) => ({
        name: lane.name,
        difference: lane.difference,
        config: lane.startConfig,
        history: lane.history,
        events: lane.eventLog.events,
        status: savedStatus(lane.status),
        wallTimeMs: lane.history.at(-1)?.trainingMs ?? 0,
        backend: lane.activeBackend,
        grokStep: outcome.finishes[i].grokStep,
        ...(snapshots[i] !== undefined ? { snapshot: snapshots[i] } : {}),
      })),
    },
  };
}

/** One lane of a saved record, ready to be shown (and resumed, when it has a snapshot). */
export interface SavedLane extends LaneIdentity {
  startConfig: Config;
  /** The starting config with the recorded changes applied: where the lane's switches ended. */
  endConfig: Config;
  history: MetricRecord[];
  events: ConfigEvent[];
  status: RunStatus;
  snapshot: RunSnapshot | null;
}

export type SavedExperiment =
  | { ok: true; title: string; presetName: PresetName | null; lanes: SavedLane[] }
  | { ok: false; message: string };

function savedLane(
  name: string,
  difference: unknown,
  index: number,
  fields: Pick<StoredRun, 'config' | 'history' | 'events' | 'status'>,
  snapshot: RunSnapshot | null | undefined,
): SavedLane | string {
  const start = validateConfig(fields.config);
  if (!start.ok) return `${name}: ${formatIssues(start.issues)}`;
  if (!Array.isArray(fields.history)) return `${name}: no history`;
  const events = Array.isArray(fields.events) ? fields.events : [];
  const ended = resolveConfig(schedulePatch(events), start.config);
  return {
    name,
    difference: Array.isArray(difference) ? difference.map(String) : [],
    color: laneColor(index),
    startConfig: start.config,
    endConfig: ended.ok ? ended.config : start.config,
    history: fields.history,
    events,
    status: savedStatus(fields.status),
    snapshot: snapshot ?? null,
  };
}

/** The lanes of a saved record (any version this lab wrote), or why it cannot be opened. */
export function savedExperiment(record: StoredRun): SavedExperiment {
  const comparison = record.comparison;
  const built = comparison
    ? comparison.lanes.map((lane, i) =>
        // Races saved before every lane kept its weights: the first lane's are the record's own.
        savedLane(lane.name, lane.difference, i, lane, lane.snapshot ?? (i === 0 ? record.snapshot : null)),
      )
    : [savedLane(record.name, [], 0, record, record.snapshot)];
  const problems = built.filter((lane): lane is string => typeof lane === 'string');
  if (problems.length > 0)
    return { ok: false, message: `“${record.name}” cannot be opened: ${problems.join('; ')}` };
  if (comparison && built.length < 2)
    return { ok: false, message: `“${record.name}” is not a complete race.` };
  const preset = comparison ? comparison.preset : presetOfName(record.name);
  return {
    ok: true,
    title: comparison ? (comparison.title ?? record.name.replace(/^Race · /, '')) : '',
    presetName: preset !== null && isPresetName(preset) ? preset : null,
    lanes: built as SavedLane[],
  };
}

/** The preset a single run's name starts with ("Fast MLP: (a + b) mod 31"), so a restored run keeps it. */
function presetOfName(name: string): PresetName | null {
  const entry = Object.entries(PRESETS).find(([, preset]) => name.startsWith(`${preset.title}: `));
  return entry ? (entry[0] as PresetName) : null;
}
