import { useEffect } from 'react';
import { shortcutFor } from '../logic/shortcuts';
import { REGULARIZER_ORDER, useLabStore } from '../store';

/** Space = start/pause, r = reset, 1–9 = toggle the n-th regularizer (not while typing in a field). */
export function useShortcuts(): void {
  const store = useLabStore();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat) return;
      const action = shortcutFor(event, REGULARIZER_ORDER.length);
      if (!action) return;
      event.preventDefault();
      const state = store.getState();
      if (action.kind === 'togglePlay') void state.togglePlay();
      else if (action.kind === 'reset') void state.reset();
      else state.toggleRegularizer(REGULARIZER_ORDER[action.index]);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store]);
}
