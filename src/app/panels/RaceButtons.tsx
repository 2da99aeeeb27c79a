import type { PresetName } from '../../engine/presets';
import { useLab } from '../store';
import { raceButtonLabel } from '../lanes/race';

/** The headline race, always offered. */
const FEATURED: PresetName = 'radialRescue';

/**
 * Race buttons for the preset area: the featured radial race, and "Race this: …" for a preset with a race. A race
 * replaces the lanes on screen (a run with progress is kept in the runs first).
 */
export function RaceButtons() {
  const presetName = useLab((state) => state.presetName);
  const racing = useLab((state) => state.lanes.length > 1);
  const busy = useLab((state) => state.lanes.some((lane) => lane.busy));
  const startRace = useLab((state) => state.startRace);
  const closeRace = useLab((state) => state.closeRace);
  const current = presetName ? raceButtonLabel(presetName) : null;
  return (
    <div className="race-buttons">
      <button type="button" className="button" disabled={busy} onClick={() => void startRace(FEATURED)}>
        Race: plain vs radial penalty
      </button>
      {presetName && presetName !== FEATURED && current && (
        <button type="button" className="button" disabled={busy} onClick={() => void startRace(presetName)}>
          {current}
        </button>
      )}
      {racing && (
        <button type="button" className="button" disabled={busy} onClick={() => void closeRace()}>
          Close race
        </button>
      )}
    </div>
  );
}
