/**
 * A step's setup as the lab's store builds it (lane specs to race or run), and the lab's current setup as a
 * step's (the editor's "save current setup"). Pure: no store, no workers.
 */
import { resolveConfig, type Config } from '../../engine/config';
import { isPresetName, PRESETS, type PresetName, type Preset } from '../../engine/presets';
import { settingsPatch, type Setup } from '../../lessons/schema';
import { configDiff, presetConfig } from '../../lib/urlState';
import type { LabState } from '../lanes/experiment';
import { laneColor, laneDifferences, type LaneSpec } from '../lanes/race';

/** The single run's lane identity (as the store names it). */
export function singleLane(config: Config): LaneSpec {
  return { name: 'run', difference: [], color: laneColor(0), config };
}

function configOf(preset: PresetName | undefined, patch: unknown): Config {
  const result = resolveConfig(patch, presetConfig(preset ?? null));
  // The lesson file was checked when it was read: a failure here is a bug, said as such.
  if (!result.ok) throw new Error(`A lesson step's settings are invalid: ${result.issues[0]?.message}`);
  return result.config;
}

export type BuiltSetup =
  | { kind: 'lanes'; title: string; lanes: LaneSpec[]; preset: PresetName | null }
  | { kind: 'race'; preset: PresetName }
  | { kind: 'continue'; patch: Record<string, unknown> | null }
  | { kind: 'sweep'; sweep: string };

/** What the store does for a step's setup. */
export function buildSetup(setup: Setup): BuiltSetup {
  switch (setup.kind) {
    case 'preset':
      return {
        kind: 'lanes',
        title: '',
        lanes: [singleLane(configOf(setup.preset, settingsPatch(setup.set)))],
        preset: setup.preset,
      };
    case 'config':
      return {
        kind: 'lanes',
        title: '',
        lanes: [singleLane(configOf(setup.preset, setup.config))],
        preset: setup.preset ?? null,
      };
    case 'race':
      return { kind: 'race', preset: setup.preset };
    case 'lanes': {
      const configs = setup.lanes.map((lane) => configOf(lane.preset, settingsPatch(lane.set)));
      const differences = laneDifferences(configs);
      return {
        kind: 'lanes',
        title: setup.title,
        preset: null,
        lanes: setup.lanes.map((lane, index) => ({
          name: lane.name,
          difference: differences[index],
          color: laneColor(index),
          config: configs[index],
        })),
      };
    }
    case 'continue':
      return { kind: 'continue', patch: setup.set ? settingsPatch(setup.set) : null };
    case 'sweep':
      return { kind: 'sweep', sweep: setup.sweep };
  }
}

/** Every leaf of a nested object as dotted key → value (the primitive ones; a lesson's `set` holds only those). */
function dottedLeaves(value: unknown, prefix = ''): [string, number | boolean | string][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, child]) =>
      dottedLeaves(child, prefix ? `${prefix}.${key}` : key),
    );
  }
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string'
    ? [[prefix, value]]
    : [];
}

/** The lab's current setup as a step's: the preset's race, a race of lanes, or a single run's config. */
export function currentSetup(state: Pick<LabState, 'lanes' | 'presetName' | 'title'>): Setup {
  const preset = state.presetName;
  if (state.lanes.length > 1) {
    if (preset && (PRESETS[preset] as Preset).race && state.lanes.length === 2) {
      const race = (PRESETS[preset] as Preset).race!;
      if (state.lanes[0].name === race.presetLane && state.lanes[1].name === race.otherLane)
        return { kind: 'race', preset };
    }
    const base = preset ?? 'classic';
    return {
      kind: 'lanes',
      title: state.title.trim() || 'Race',
      lanes: state.lanes.map((lane) => ({
        name: lane.name,
        preset: base,
        set: Object.fromEntries(dottedLeaves(configDiff(presetConfig(base), lane.draft))),
      })),
    };
  }
  const diff = configDiff(presetConfig(preset), state.lanes[0].draft);
  const config = (diff && typeof diff === 'object' && !Array.isArray(diff) ? diff : {}) as Record<
    string,
    unknown
  >;
  return preset && isPresetName(preset) ? { kind: 'config', preset, config } : { kind: 'config', config };
}
