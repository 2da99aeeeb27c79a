import { useEffect } from 'react';
import { shortcutFor } from '../logic/shortcuts';
import { REGULARIZER_ORDER, useLabStore } from '../store';

/**
 * Space = start/pause every lane, r = reset every lane, 1–9 = toggle the n-th regularizer in the focused lane,
 * l = focus the next lane (a race) — not while typing in a field. They act on what is on screen, as the top bar
 * does: there is no other run.
 */
export function useShortcuts(): void {
  const store = useLabStore();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat) return;
      const action = shortcutFor(event, REGULARIZER_ORDER.length);
      if (!action) return;
      const state = store.getState();
      if (action.kind === 'nextLane' && state.lanes.length < 2) return;
      event.preventDefault();
      if (action.kind === 'togglePlay') void state.togglePlay();
      else if (action.kind === 'reset') void state.reset();
      else if (action.kind === 'nextLane') state.setFocus((state.focus + 1) % state.lanes.length);
      else state.toggleRegularizer(REGULARIZER_ORDER[action.index]);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store]);
}
