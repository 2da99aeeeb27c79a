import { useEffect } from 'react';
import { validateConfig } from '../../engine/config';
import { encodeRaceLink } from '../../lib/raceUrl';
import { linkHash } from '../../lib/tableStore';
import { linkState } from '../logic/link';
import { useLabStore, type LabState } from '../store';

/**
 * The link to what is on screen: one lane, its settings and schedule of changes (a large uploaded table is saved to
 * IndexedDB and linked by reference, tableStore.ts); a preset's race, `#race=name` (plus classroom=1). Null when
 * there is nothing to share (a race of explicit lanes).
 */
export async function hashOf(state: LabState): Promise<string | null> {
  if (state.lanes.length > 1) {
    if (!state.presetName) return null;
    return `#${encodeRaceLink(state.presetName)}${state.classroom ? '&classroom=1' : ''}`;
  }
  const lane = state.lanes[0];
  return linkHash(
    linkState({
      step: lane.step,
      draft: lane.draft,
      startConfig: lane.startConfig,
      events: lane.eventLog.events,
      classroom: state.classroom,
      presetName: state.presetName,
      draftValid: validateConfig(lane.draft).ok,
    }),
  );
}

/** What the link holds; a running step counter matters only when it leaves or returns to 0. */
function linkInputs(state: LabState): unknown[] {
  const lane = state.lanes[0];
  return [
    state.lanes.length,
    lane.draft,
    lane.eventLog,
    lane.startConfig,
    lane.step === 0,
    state.classroom,
    state.presetName,
  ];
}

/** Mirrors the lab into the address bar (replaceState, throttled), so the link always shares what is on screen. */
export function useUrlSync(delayMs = 500): void {
  const store = useLabStore();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last: unknown[] | null = null;
    let written = 0;
    const write = async () => {
      timer = null;
      const mine = ++written;
      const hash = await hashOf(store.getState());
      if (mine !== written) return; // a newer state was written meanwhile
      if (hash === null || hash === location.hash) return;
      history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
    };
    const unsubscribe = store.subscribe((state) => {
      const inputs = linkInputs(state);
      const relevant = !last || inputs.some((value, i) => value !== last![i]);
      last = inputs;
      if (relevant && !timer) timer = setTimeout(() => void write(), delayMs);
    });
    return () => {
      written++; // a write still hashing must not land after unmount
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [store, delayMs]);
}
