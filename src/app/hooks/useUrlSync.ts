import { useEffect } from 'react';
import { validateConfig } from '../../engine/config';
import { urlStateToHash } from '../../lib/urlState';
import { linkState } from '../logic/link';
import { useLabStore, type LabState } from '../store';

function hashOf(state: LabState): string {
  return urlStateToHash(
    linkState({
      step: state.step,
      draft: state.draft,
      startConfig: state.startConfig,
      events: state.eventLog.events,
      classroom: state.classroom,
      presetName: state.presetName,
      draftValid: validateConfig(state.draft).ok,
    }),
  );
}

/** Mirrors the lab into the address bar (replaceState, throttled), so the link always shares what is on screen. */
export function useUrlSync(delayMs = 500): void {
  const store = useLabStore();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last: Pick<
      LabState,
      'step' | 'draft' | 'eventLog' | 'classroom' | 'presetName' | 'startConfig'
    > | null = null;
    const write = () => {
      timer = null;
      const hash = hashOf(store.getState());
      const url = `${location.pathname}${location.search}${hash}`;
      if (hash !== location.hash) history.replaceState(history.state, '', url);
    };
    const unsubscribe = store.subscribe((state) => {
      // Only what the link holds; a running step counter matters only when it leaves or returns to 0.
      const relevant =
        !last ||
        state.draft !== last.draft ||
        state.eventLog !== last.eventLog ||
        state.classroom !== last.classroom ||
        state.presetName !== last.presetName ||
        state.startConfig !== last.startConfig ||
        (state.step === 0) !== (last.step === 0);
      last = state;
      if (relevant && !timer) timer = setTimeout(write, delayMs);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [store, delayMs]);
}
