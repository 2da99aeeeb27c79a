import { useEffect } from 'react';
import { formatInteger } from '../logic/format';
import { useLabStore } from '../store';
import { openRunStore } from './useSavedRuns';

/**
 * Saves the run (with its weights) whenever training stops, and on the first load offers to resume the run
 * saved last. Where IndexedDB is unusable this does nothing (the Runs panel says why).
 */
export function useAutosave(): void {
  const store = useLabStore();

  useEffect(() => {
    let offered = false;
    let saving = false;
    const unsubscribe = store.subscribe((state, previous) => {
      if (!offered && state.phase === 'ready' && previous.phase !== 'ready') {
        offered = true;
        void offerResume();
      }
      const stopped = previous.status === 'running' && state.status !== 'running';
      if (stopped && state.history.length > 0 && !saving) {
        saving = true;
        void save().finally(() => (saving = false));
      }
    });

    async function save() {
      const run = await store.getState().captureRun(true);
      if (!run) return;
      try {
        const database = await openRunStore();
        await database.put(run);
        await database.setLastRunId(run.id);
      } catch (error) {
        store.getState().notify('warning', `The run could not be saved in this browser: ${String(error)}`);
      }
    }

    async function offerResume() {
      try {
        const database = await openRunStore();
        const last = await database.getLastRun();
        if (!last?.snapshot) return;
        const step = last.history.at(-1)?.step ?? 0;
        store
          .getState()
          .notify('info', `Resume your last run, “${last.name}” (step ${formatInteger(step)})?`, {
            label: 'Resume',
            run: () => void store.getState().restoreRun(last),
          });
      } catch (_error) {
        // No saved runs available: nothing to offer.
      }
    }

    return unsubscribe;
  }, [store]);
}
