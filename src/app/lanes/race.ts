/**
 * Race bookkeeping, pure: which lanes a preset races, what differs between them, when a lane has finished, who
 * won, whether the race is fair (same backend, same evaluation schedule, same seed) and each lane's speed.
 * No React, no workers: the race store and the race view call these, the unit tests pin them down.
 */
import {
  DEFAULT_CONFIG,
  deepMerge,
  validateConfig,
  type Config,
  type ConfigIssue,
} from '../../engine/config';
import { stepsToGrok } from '../../engine/metrics/stepsToGrok';
import { leafEntries } from '../../engine/plainObjects';
import { PRESETS, isPresetName, type PresetName, type Preset } from '../../engine/presets';
import { REGULARIZERS } from '../../engine/regularizers/registry';
import type { ParamSpec } from '../../engine/regularizers/spec';
import type { BackendName, MetricRecord, RunStatus } from '../../worker/protocol';
import { PALETTE } from '../logic/charts';
import type { Marker } from '../logic/events';
import { FIELD_LABELS } from '../logic/fields';
import { formatInteger, formatPercent, formatSetting } from '../logic/format';

/** Both lanes of a race evaluate on this fixed schedule (the adaptive one would differ with each lane's speed). */
export const RACE_EVAL_EVERY = 50;
/** Lanes in a race by default: two workers, one core each. */
export const DEFAULT_LANES = 2;

/** Lane colours: Okabe–Ito, blue then vermillion, distinguishable with colour-vision deficiencies. */
export const LANE_COLORS: readonly string[] = [
  PALETTE[0],
  PALETTE[5],
  PALETTE[2],
  PALETTE[3],
  PALETTE[4],
  PALETTE[1],
];

export function laneColor(index: number): string {
  return LANE_COLORS[index % LANE_COLORS.length];
}

/** How many lanes this machine can race, one core each (at least 2, so a race is always possible). */
export function laneLimit(hardwareConcurrency: number | undefined): number {
  const cores = Number.isFinite(hardwareConcurrency) ? Math.floor(hardwareConcurrency as number) : 0;
  return Math.max(DEFAULT_LANES, cores);
}

/** What a lane is before it starts: a name, the settings that set it apart, a colour and its full config. */
export interface LaneSpec {
  name: string;
  /** The settings in which this lane differs from the others, e.g. ["Radial penalty off"]. */
  difference: string[];
  color: string;
  config: Config;
}

export type RaceLanesResult =
  { ok: true; title: string; lanes: LaneSpec[] } | { ok: false; issues: ConfigIssue[] };

/** The presets that define a race, in registry order. */
export function racePresets(): PresetName[] {
  return (Object.keys(PRESETS) as PresetName[]).filter(
    (name) => (PRESETS[name] as Preset).race !== undefined,
  );
}

/** "Race this: radial vs plain". */
export function raceButtonLabel(name: PresetName): string | null {
  const race = (PRESETS[name] as Preset).race;
  return race ? `Race this: ${race.presetLane} vs ${race.otherLane}` : null;
}

const DEFINITIONS = REGULARIZERS as unknown as Record<
  string,
  { label: string; params: Record<string, ParamSpec> }
>;

/** One setting as the legend names it: "Radial penalty on", "Radial penalty λ 0.05", "Learning rate 0.003". */
export function describeSetting(path: string, value: unknown): string {
  const parts = path.split('.');
  if (parts[0] === 'regularizers') {
    const definition = DEFINITIONS[parts[1]];
    const name = definition?.label ?? parts[1];
    const key = parts.slice(2).join('.');
    if (key === 'enabled') return `${name} ${value ? 'on' : 'off'}`;
    return `${name} ${definition?.params[key]?.label ?? key} ${formatSetting(value)}`;
  }
  return `${FIELD_LABELS[path] ?? path} ${formatSetting(value)}`;
}

/**
 * The settings in which each config differs from any other, described per lane. A regularizer that is off in a
 * lane has its parameters ignored there, so only its switch is named (not the λ it would use).
 */
export function laneDifferences(configs: readonly Config[]): string[][] {
  const maps = configs.map((config) => new Map(leafEntries(config)));
  const paths = new Set<string>();
  for (const map of maps) {
    for (const [path, value] of map) {
      if (maps.some((other) => !Object.is(other.get(path), value))) paths.add(path);
    }
  }
  return maps.map((map) =>
    [...paths]
      .filter((path) => {
        const parts = path.split('.');
        if (parts[0] !== 'regularizers' || parts[2] === 'enabled') return true;
        // A parameter counts only where its regularizer is on.
        return map.get(`regularizers.${parts[1]}.enabled`) === true;
      })
      .sort()
      .map((path) => describeSetting(path, map.get(path))),
  );
}

/**
 * The lanes of a preset's race: lane A is the preset's config, lane B the preset's config with `race.patch`
 * deep-merged. Both get the same seed (hence identical initial weights) and a fixed evaluation schedule.
 */
export function raceLanes(name: string, evalEvery = RACE_EVAL_EVERY): RaceLanesResult {
  if (!isPresetName(name))
    return { ok: false, issues: [{ path: 'preset', message: `unknown preset “${name}”` }] };
  const preset = PRESETS[name] as Preset;
  if (!preset.race) {
    return { ok: false, issues: [{ path: 'preset', message: `“${preset.title}” defines no race` }] };
  }
  const fixed = { training: { evalEvery } };
  const base = deepMerge(preset.config, fixed);
  const other = deepMerge(deepMerge(preset.config, preset.race.patch), fixed);
  const configs: Config[] = [];
  for (const partial of [base, other]) {
    const result = validateConfig(deepMerge(DEFAULT_CONFIG, partial));
    if (!result.ok) return result;
    configs.push(result.config);
  }
  const differences = laneDifferences(configs);
  const names = [preset.race.presetLane, preset.race.otherLane];
  return {
    ok: true,
    title: `${preset.title}: ${names[0]} vs ${names[1]}`,
    lanes: configs.map((config, i) => ({
      name: names[i],
      difference: differences[i],
      color: laneColor(i),
      config,
    })),
  };
}

// --- finish, winner ------------------------------------------------------------------------------------------

/** What the race bookkeeping needs to know about one lane. */
export interface LaneProgress {
  name: string;
  status: RunStatus;
  /** The step the lane's worker is at. */
  step: number;
  history: readonly MetricRecord[];
  config: Pick<Config, 'training'>;
}

export type FinishReason = 'grokked' | 'budget' | 'diverged' | 'error';

export interface LaneFinish {
  /** Steps-to-grok (first evaluation with test accuracy ≥ the threshold), or null. */
  grokStep: number | null;
  /** Training wall time at that evaluation, ms (the record's trainingMs), or null. */
  grokWallMs: number | null;
  /** The lane has stopped for good: grokked + stopAfterGrok, the step budget, divergence or an error. */
  done: boolean;
  reason: FinishReason | null;
}

/** Where a lane stands: has it grokked (its finish line), has it stopped. */
export function laneFinish(lane: LaneProgress): LaneFinish {
  const { grokThreshold, stopAfterGrok, maxSteps } = lane.config.training;
  const grokStep = stepsToGrok(lane.history, grokThreshold);
  const grokWallMs =
    grokStep === null ? null : (lane.history.find((record) => record.step === grokStep)?.trainingMs ?? null);
  const last = lane.history.at(-1)?.step ?? 0;
  const step = Math.max(lane.step, last);
  let reason: FinishReason | null = null;
  if (lane.status === 'diverged') reason = 'diverged';
  else if (lane.status === 'error') reason = 'error';
  else if (grokStep !== null && stopAfterGrok > 0 && step >= grokStep + stopAfterGrok) reason = 'grokked';
  else if (step >= maxSteps) reason = 'budget';
  else if (lane.status === 'finished') reason = grokStep !== null ? 'grokked' : 'budget';
  return { grokStep, grokWallMs, done: reason !== null, reason };
}

export interface RaceOutcome {
  /** Index of the lane that grokked first (fewest steps; equal steps: less wall time), or null. */
  leader: number | null;
  /**
   * The leader cannot be caught: every other lane has grokked later, stopped, or been evaluated at or past
   * the leader's steps-to-grok without grokking.
   */
  decided: boolean;
  /** Every lane has stopped. */
  over: boolean;
  finishes: LaneFinish[];
}

export function raceOutcome(lanes: readonly LaneProgress[]): RaceOutcome {
  const finishes = lanes.map(laneFinish);
  let leader: number | null = null;
  finishes.forEach((finish, i) => {
    if (finish.grokStep === null) return;
    if (leader === null) return void (leader = i);
    const best = finishes[leader];
    if (
      finish.grokStep < (best.grokStep as number) ||
      (finish.grokStep === best.grokStep && (finish.grokWallMs ?? Infinity) < (best.grokWallMs ?? Infinity))
    )
      leader = i;
  });
  const over = lanes.length > 0 && finishes.every((finish) => finish.done);
  let decided = false;
  if (leader !== null) {
    const line = finishes[leader].grokStep as number;
    decided = lanes.every((lane, i) => {
      if (i === leader) return true;
      const finish = finishes[i];
      if (finish.grokStep !== null || finish.done) return true;
      return (lane.history.at(-1)?.step ?? -1) >= line;
    });
  }
  return { leader, decided, over, finishes };
}

/** "41 s", "2 min 05 s", "4.2 s". */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}

function grokPhrase(name: string, finish: LaneFinish): string {
  const wall = finish.grokWallMs === null ? '' : ` in ${formatSeconds(finish.grokWallMs)}`;
  return `${name} grokked at step ${formatInteger(finish.grokStep as number)}${wall}`;
}

function standingPhrase(lane: LaneProgress, finish: LaneFinish): string {
  if (finish.grokStep !== null) return grokPhrase(lane.name, finish);
  const last = lane.history.at(-1);
  const accuracy = last ? `${formatPercent(last.testAccuracy)} test accuracy` : 'no evaluation yet';
  if (finish.reason === 'diverged') return `${lane.name} diverged at step ${formatInteger(lane.step)}`;
  if (finish.done) return `${lane.name} stopped at step ${formatInteger(lane.step)} with ${accuracy}`;
  return `${lane.name} still at ${accuracy}`;
}

/**
 * The race banner: "radial grokked at step 3 650 in 41 s; plain still at 23% test accuracy". Null while no lane
 * has grokked and the race is still on.
 */
export function raceMessage(lanes: readonly LaneProgress[], outcome = raceOutcome(lanes)): string | null {
  const { leader, decided, over, finishes } = outcome;
  if (leader === null) {
    if (!over) return null;
    return `Nobody grokked: ${lanes.map((lane, i) => standingPhrase(lane, finishes[i])).join('; ')}`;
  }
  const first = grokPhrase(lanes[leader].name, finishes[leader]);
  const others = lanes.flatMap((lane, i) => (i === leader ? [] : [standingPhrase(lane, finishes[i])]));
  if (!decided) {
    const behind = lanes
      .filter((_, i) => i !== leader && finishes[i].grokStep === null)
      .map((lane) => lane.name);
    return `${first}; waiting for ${behind.join(', ')} to reach step ${formatInteger(finishes[leader].grokStep as number)}`;
  }
  return [first, ...others].join('; ');
}

/** A finish line per lane that grokked: a vertical marker at its steps-to-grok, with its wall time. */
export function finishMarkers(
  lanes: readonly (LaneProgress & { color?: string })[],
  finishes = lanes.map(laneFinish),
): Marker[] {
  return lanes.flatMap((lane, i) => {
    const finish = finishes[i];
    if (finish.grokStep === null) return [];
    const wall = finish.grokWallMs === null ? '' : ` · ${formatSeconds(finish.grokWallMs)}`;
    const marker: Marker = { step: finish.grokStep, label: `${lane.name} grokked${wall}`, kind: 'grokked' };
    return [lane.color ? { ...marker, color: lane.color } : marker];
  });
}

// --- fairness ------------------------------------------------------------------------------------------------

export interface FairnessLane {
  name: string;
  /** The backend the lane runs on (null while it starts). */
  backend: BackendName | null;
  config: Pick<Config, 'seed' | 'training'>;
}

/**
 * What makes the race unfair, in words (empty: fair). All lanes must run on one backend, evaluate on the same
 * fixed schedule (evalEvery > 0; the adaptive schedule depends on each lane's speed) and start from one seed.
 */
export function fairnessIssues(lanes: readonly FairnessLane[]): string[] {
  const issues: string[] = [];
  const distinct = <T>(values: T[]) => [...new Set(values)];
  const backends = distinct(lanes.map((lane) => lane.backend).filter((b): b is BackendName => b !== null));
  if (backends.length > 1) {
    issues.push(
      `different backends: ${lanes.map((lane) => `${lane.name} on ${lane.backend ?? '…'}`).join(', ')}`,
    );
  }
  const schedules = distinct(lanes.map((lane) => lane.config.training.evalEvery));
  if (schedules.length > 1) {
    issues.push(
      `different evaluation schedules: ${lanes.map((lane) => `${lane.name} every ${lane.config.training.evalEvery}`).join(', ')}`,
    );
  } else if (schedules[0] === 0) {
    issues.push('the adaptive evaluation schedule depends on each lane’s speed: set training.evalEvery');
  }
  const seeds = distinct(lanes.map((lane) => lane.config.seed));
  if (seeds.length > 1) {
    issues.push(
      `different seeds: ${lanes.map((lane) => `${lane.name} seed ${lane.config.seed}`).join(', ')}`,
    );
  }
  const thresholds = distinct(lanes.map((lane) => lane.config.training.grokThreshold));
  if (thresholds.length > 1) issues.push('different grokking thresholds');
  return issues;
}

/**
 * Steps per second of training measured from the history (Δstep / ΔtrainingMs over the last `window`
 * evaluations; evaluation time excluded), or null with fewer than two records.
 */
export function historyRate(history: readonly MetricRecord[], window = 10): number | null {
  if (history.length < 2) return null;
  const last = history[history.length - 1];
  const first = history[Math.max(0, history.length - 1 - window)];
  const ms = last.trainingMs - first.trainingMs;
  return ms > 0 ? ((last.step - first.step) / ms) * 1000 : null;
}

/** Ratio of the slowest lane's rate to the fastest's (1 = level), or null until every lane reports a rate. */
export function rateBalance(rates: readonly number[]): number | null {
  if (rates.length === 0 || rates.some((rate) => !(rate > 0))) return null;
  return Math.min(...rates) / Math.max(...rates);
}
