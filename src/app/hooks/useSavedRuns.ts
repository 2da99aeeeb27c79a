import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../logic/format';
import { RunStore, type RunSummary, type StoredRun } from '../../lib/runStore';
import { tabId } from './tabId';

let opening: Promise<RunStore> | null = null;

/** The browser's run database, opened once per page (rejects where IndexedDB is unusable). */
export function openRunStore(): Promise<RunStore> {
  opening ??= RunStore.open();
  return opening;
}

export interface SavedRuns {
  runs: RunSummary[];
  /** Why saving is unavailable, if it is. */
  error: string | null;
  refresh(): Promise<void>;
  save(run: StoredRun): Promise<void>;
  load(id: string): Promise<StoredRun | null>;
  remove(id: string): Promise<void>;
  /** Deletes all but the `keep` newest runs (and the last run); returns how many went. */
  prune(keep: number): Promise<number>;
}

/** The saved-runs list and its operations. Failures land in `error` (and reject, for the caller to report). */
export function useSavedRuns(): SavedRuns {
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const database = await openRunStore();
      setRuns(await database.list());
      setError(null);
    } catch (caught) {
      setError(errorText(caught));
    }
  }, []);

  const listed = useRef<ReadonlySet<string>>(new Set());
  useEffect(() => {
    listed.current = new Set(runs.map((run) => run.id));
  }, [runs]);

  useEffect(() => {
    // Loading the list, and again when the runs change (a run kept, pruned, deleted, set aside), is the
    // external-system sync this effect is for. Saves of a run already listed (the autosave, every few seconds)
    // do not reload it: the list would read every run's history each time.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void refresh();
    let unsubscribe = () => undefined as unknown;
    let unmounted = false;
    void openRunStore()
      .then((database) => {
        if (unmounted) return;
        unsubscribe = database.subscribe((change) => {
          if (change.kind !== 'saved' || !listed.current.has(change.id)) void refresh();
        });
      })
      .catch(() => undefined);
    return () => {
      unmounted = true;
      unsubscribe();
    };
  }, [refresh]);

  const save = useCallback(
    async (run: StoredRun) => {
      const database = await openRunStore();
      // This tab's save: its autosave of the same run goes on without taking it for another tab's.
      await database.put(run, { makeLast: true, tab: tabId() });
      await refresh();
    },
    [refresh],
  );

  const load = useCallback(async (id: string) => (await openRunStore()).get(id), []);

  const remove = useCallback(
    async (id: string) => {
      await (await openRunStore()).delete(id);
      await refresh();
    },
    [refresh],
  );

  const prune = useCallback(
    async (keep: number) => {
      const deleted = await (await openRunStore()).pruneOldest(keep);
      await refresh();
      return deleted.length;
    },
    [refresh],
  );

  return { runs, error, refresh, save, load, remove, prune };
}
