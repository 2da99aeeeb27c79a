import { useEffect } from 'react';
import { formatInteger } from '../logic/format';
import { useLabStore } from '../store';
import { RunStoreError } from '../../lib/runStore';
import { openRunStore } from './useSavedRuns';

/** While training, the run is also saved this often, so a reload or a crashed tab loses little. */
const SAVE_WHILE_RUNNING_MS = 30_000;
/** "Delete old runs" after a full disk keeps this many (the last run is always kept). */
export const KEEP_AFTER_PRUNE = 3;

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
      if (stopped && state.history.length > 0) saveSoon();
    });
    const timer = setInterval(() => {
      const state = store.getState();
      if (state.status === 'running' && state.history.length > 0) saveSoon();
    }, SAVE_WHILE_RUNNING_MS);

    function saveSoon() {
      if (saving) return;
      saving = true;
      void save().finally(() => (saving = false));
    }

    async function save() {
      const run = await store.getState().captureRun(true);
      if (!run) return;
      try {
        const database = await openRunStore();
        // One transaction: the last-run pointer never names a half-written run (another tab may save too).
        await database.put(run, { makeLast: true });
      } catch (error) {
        const quota = error instanceof RunStoreError && error.kind === 'quota';
        store
          .getState()
          .notify(
            'warning',
            quota
              ? `The browser's storage for the lab is full, so the run was not saved. Delete old runs to make room (the ${KEEP_AFTER_PRUNE} newest are kept).`
              : `The run could not be saved in this browser: ${error instanceof Error ? error.message : String(error)}`,
            quota ? { label: 'Delete old runs and save', run: () => void pruneAndSave() } : undefined,
          );
      }
    }

    async function pruneAndSave() {
      try {
        const database = await openRunStore();
        const deleted = await database.pruneOldest(KEEP_AFTER_PRUNE);
        store
          .getState()
          .notify('info', `Deleted ${deleted.length} old run${deleted.length === 1 ? '' : 's'}.`);
      } catch (error) {
        store.getState().notify('warning', `Old runs could not be deleted: ${String(error)}`);
        return;
      }
      await save();
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

    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, [store]);
}
