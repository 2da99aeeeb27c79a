/**
 * What the lab's run controls act on. The race view, while open, replaces the single run's charts (except in
 * classroom mode, which shows the single run); then the shortcuts and the top bar's Start/Pause and Reset drive
 * the race, and the hidden single run is left alone.
 */
import { useCallback, useSyncExternalStore } from 'react';
import { formatInteger } from '../logic/format';
import type { ShortcutAction } from '../logic/shortcuts';
import { useLab } from '../store';
import { useOptionalRaceStore, type RaceActions, type RaceState, type RaceStore } from './raceStore';

/** Whether the race view is on screen (not the single run). */
export function raceOnScreen(race: Pick<RaceState, 'open'> | null | undefined, classroom: boolean): boolean {
  return race?.open === true && !classroom;
}

/**
 * A run control (shortcut or top-bar button) applied to the race: play/pause pauses or resumes every lane, reset
 * puts every lane back to step 0 from the same initial weights. 1–9 name no lane, so they do nothing here.
 */
export function driveRace(race: RaceActions, action: ShortcutAction): void {
  if (action.kind === 'togglePlay') void race.togglePlay();
  else if (action.kind === 'reset') void race.reset();
}

const NO_SUBSCRIPTION = () => () => undefined;

/** The race store while the race view is on screen, else null; re-renders when that changes. */
export function useRaceOnScreen(): RaceStore | null {
  const race = useOptionalRaceStore();
  const classroom = useLab((state) => state.classroom);
  const subscribe = useCallback(
    (onChange: () => void) => (race ? race.subscribe(onChange) : NO_SUBSCRIPTION()),
    [race],
  );
  const open = useSyncExternalStore(subscribe, () => race?.getState().open === true);
  return race && raceOnScreen({ open }, classroom) ? race : null;
}

/**
 * Whether closing the race view would lose a race: it runs, or has progressed and is not saved as it stands (a
 * finished race is saved; a race reopened from the runs is a saved one).
 */
export function raceAtRisk(race: RaceState): boolean {
  if (!race.open || race.lanes.length === 0) return false;
  if (race.phase === 'finished' && race.savedId !== null) return false;
  return race.phase === 'running' || race.lanes.some((lane) => lane.step > 0);
}

/**
 * Makes way for something that replaces the race view (a run opened from the runs). A race with nothing to lose
 * just closes. A race in progress is never thrown away silently: `confirm` asks, and on yes the race is paused,
 * saved in the runs as it stands (it reopens there read-only) and closed. False, with the race untouched, when the
 * answer is no; false, with the race left open and paused and the error shown in its view, when saving fails.
 */
export async function leaveRace(
  race: RaceStore,
  opening: string,
  confirm: (message: string) => boolean,
): Promise<boolean> {
  const state = race.getState();
  if (!state.open) return true;
  if (!raceAtRisk(state)) {
    state.close();
    return true;
  }
  const steps = state.lanes.map((lane) => `${lane.name} at step ${formatInteger(lane.step)}`).join(', ');
  const question =
    `The race “${state.title}” is ${state.phase === 'running' ? 'running' : 'not finished'} (${steps}). ` +
    `Opening “${opening}” ends the race: it is saved in your runs as it stands (it reopens there read-only) ` +
    'and the race view closes. Open it?';
  if (!confirm(question)) return false;
  await state.pause();
  const errors = race.getState().errors.length;
  await state.save();
  if (race.getState().errors.length > errors) return false;
  race.getState().close();
  return true;
}
