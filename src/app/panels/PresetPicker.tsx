import { useId } from 'react';
import { PRESETS } from '../../engine/presets';
import { RaceButtons } from './RaceButtons';
import { useLab, useLane } from '../store';

const ENTRIES = Object.entries(PRESETS) as [string, { title: string; description: string }][];

/** Picks a preset from the registry (whatever is there) and shows its description. Picking one resets the run. */
export function PresetPicker() {
  const presetName = useLab((state) => state.presetName);
  const applyPreset = useLab((state) => state.applyPreset);
  const busy = useLane((state) => state.busy);
  const id = useId();
  const preset = presetName
    ? (PRESETS as Record<string, { title: string; description: string }>)[presetName]
    : null;
  return (
    <section className="panel preset-picker" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="panel__title">
        Experiment
      </h2>
      <label htmlFor={id} className="field__label">
        Preset
      </label>
      <select
        id={id}
        value={presetName ?? ''}
        disabled={busy}
        onChange={(event) => void applyPreset(event.target.value)}
      >
        <option value="" disabled>
          Custom settings
        </option>
        {ENTRIES.map(([name, entry]) => (
          <option key={name} value={name}>
            {entry.title}
          </option>
        ))}
      </select>
      {preset && <p className="preset-picker__description">{preset.description}</p>}
      <RaceButtons />
    </section>
  );
}
