import { useStore } from 'zustand';
import type { PresetName } from '../../engine/presets';
import { useLab } from '../store';
import { raceButtonLabel } from './lanes';
import { useOptionalRaceStore, type RaceStore } from './raceStore';

/** The headline race, always offered. */
const FEATURED: PresetName = 'radialRescue';

function Buttons({ race }: { race: RaceStore }) {
  const presetName = useLab((state) => state.presetName);
  const status = useLab((state) => state.status);
  const pauseLab = useLab((state) => state.pause);
  const busy = useStore(race, (state) => state.busy);
  const start = async (name: PresetName) => {
    // The single run gives its core to the race.
    if (status === 'running') await pauseLab();
    await race.getState().startRace(name);
  };
  const current = presetName ? raceButtonLabel(presetName) : null;
  return (
    <div className="race-buttons">
      <button type="button" className="button" disabled={busy} onClick={() => void start(FEATURED)}>
        Race: plain vs radial penalty
      </button>
      {presetName && presetName !== FEATURED && current && (
        <button type="button" className="button" disabled={busy} onClick={() => void start(presetName)}>
          {current}
        </button>
      )}
    </div>
  );
}

/** Race buttons for the preset area: the featured radial race, and "Race this: …" for a preset with a race. */
export function RaceButtons() {
  const race = useOptionalRaceStore();
  return race ? <Buttons race={race} /> : null;
}
