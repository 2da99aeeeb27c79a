/**
 * A race in a shareable link: `#race=radialRescue` opens that preset's race (both lanes built, ready to start).
 * Read beside the single-run link state (urlState.ts ignores parameters it does not know, and so does this).
 */
import { isPresetName, PRESETS, type Preset, type PresetName } from '../engine/presets';
import { rawLinkParameter } from './linkText';

export interface RaceLink {
  race: PresetName | null;
  /** What was wrong with the link's race=, or null. */
  notice: string | null;
}

/** "race=radialRescue" (no leading '#'). */
export function encodeRaceLink(preset: PresetName): string {
  return `race=${preset}`;
}

/** Reads race= from a URL, hash or query string. Never throws. */
export function decodeRaceLink(input: string): RaceLink {
  let value = rawLinkParameter(input, 'race');
  if (value === null) return { race: null, notice: null };
  try {
    value = decodeURIComponent(value);
  } catch (_error) {
    // checked below as it is
  }
  if (!isPresetName(value)) {
    return {
      race: null,
      notice: `The link names an unknown race “${value.slice(0, 40)}”; opened the lab instead.`,
    };
  }
  if (!(PRESETS[value] as Preset).race) {
    return {
      race: null,
      notice: `The preset “${PRESETS[value].title}” defines no race; opened the lab instead.`,
    };
  }
  return { race: value, notice: null };
}
