import { useEffect } from 'react';
import { shortcutFor, type ShortcutAction } from '../logic/shortcuts';
import { useOptionalRaceStore, type RaceActions } from '../race/raceStore';
import { REGULARIZER_ORDER, useLabStore } from '../store';

/**
 * The race's answer to a shortcut: space pauses or resumes every lane, r resets every lane to the same initial
 * weights. 1–9 name no lane, so they do nothing in a race (and never reach the hidden single run).
 */
function raceShortcut(race: RaceActions, action: ShortcutAction): void {
  if (action.kind === 'togglePlay') void race.togglePlay();
  else if (action.kind === 'reset') void race.reset();
}

/**
 * Space = start/pause, r = reset, 1–9 = toggle the n-th regularizer (not while typing in a field). While the race
 * view is shown they act on the race instead of the single run.
 */
export function useShortcuts(): void {
  const store = useLabStore();
  const race = useOptionalRaceStore();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat) return;
      const action = shortcutFor(event, REGULARIZER_ORDER.length);
      if (!action) return;
      event.preventDefault();
      const state = store.getState();
      // The race view replaces the single run's charts, except in classroom mode (which shows the single run).
      const racing = race?.getState();
      if (racing?.open && !state.classroom) return raceShortcut(racing, action);
      if (action.kind === 'togglePlay') void state.togglePlay();
      else if (action.kind === 'reset') void state.reset();
      else state.toggleRegularizer(REGULARIZER_ORDER[action.index]);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store, race]);
}
