import { useEffect } from 'react';
import { shortcutFor } from '../logic/shortcuts';
import { driveRace, raceOnScreen } from '../race/raceOnScreen';
import { useOptionalRaceStore } from '../race/raceStore';
import { REGULARIZER_ORDER, useLabStore } from '../store';

/**
 * Space = start/pause, r = reset, 1–9 = toggle the n-th regularizer (not while typing in a field). While the race
 * view is shown they act on the race instead of the single run (as the top bar's buttons do).
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
      const racing = race?.getState();
      if (racing && raceOnScreen(racing, state.classroom)) return driveRace(racing, action);
      if (action.kind === 'togglePlay') void state.togglePlay();
      else if (action.kind === 'reset') void state.reset();
      else state.toggleRegularizer(REGULARIZER_ORDER[action.index]);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store, race]);
}
