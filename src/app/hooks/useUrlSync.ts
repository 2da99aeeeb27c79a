import { useEffect } from 'react';
import { validateConfig } from '../../engine/config';
import { linkHash } from '../../lib/tableStore';
import { linkState } from '../logic/link';
import { useLabStore, type LabState } from '../store';

/** Async: a large uploaded table is saved to IndexedDB first and linked by reference (tableStore.ts). */
function hashOf(state: LabState): Promise<string> {
  return linkHash(
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
    let written = 0;
    const write = async () => {
      timer = null;
      const mine = ++written;
      const hash = await hashOf(store.getState());
      if (mine !== written) return; // a newer state was written meanwhile
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
      if (relevant && !timer) timer = setTimeout(() => void write(), delayMs);
    });
    return () => {
      written++; // a write still hashing must not land after unmount
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [store, delayMs]);
}
