import { deepMerge, patchFromPath, type Config } from '../../engine/config';
import type { PresetName } from '../../engine/presets';
import type { ConfigEvent } from '../../worker/protocol';
import type { EncodableState } from '../../lib/urlState';

export interface LinkInputs {
  step: number;
  draft: Config;
  /** The config the current run started from. */
  startConfig: Config;
  events: readonly ConfigEvent[];
  classroom: boolean;
  presetName: PresetName | null;
  /** The draft has problems (then the last valid start config is shared). */
  draftValid: boolean;
}

/**
 * What the address bar shares. Before training (step 0) it is the settings on screen; once a run is under way it
 * is the run itself: its starting config (with changes made before the first step folded in) plus every later
 * change as a schedule, so the link replays the experiment.
 */
export function linkState(inputs: LinkInputs): EncodableState {
  const { classroom, presetName: preset } = inputs;
  if (inputs.step === 0 && inputs.draftValid) return { config: inputs.draft, classroom, preset };
  let config = inputs.startConfig;
  const schedule: ConfigEvent[] = [];
  for (const event of inputs.events) {
    if (event.step === 0) config = deepMerge(config, patchFromPath(event.path, event.to));
    else schedule.push(event);
  }
  return { config, schedule, classroom, preset };
}

/** Scheduled changes due at `step` (and those before it), and the rest. */
export function dueEntries(
  schedule: readonly ConfigEvent[],
  step: number,
): { due: ConfigEvent[]; later: ConfigEvent[] } {
  return {
    due: schedule.filter((event) => event.step <= step),
    later: schedule.filter((event) => event.step > step),
  };
}

/** One update() patch for several scheduled changes (later ones win). */
export function schedulePatch(entries: readonly ConfigEvent[]): Record<string, unknown> {
  return entries.reduce<Record<string, unknown>>(
    (patch, event) => deepMerge(patch, patchFromPath(event.path, event.to)),
    {},
  );
}
