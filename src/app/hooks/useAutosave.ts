import { useEffect } from 'react';
import { RunStoreError, type StoredRun } from '../../lib/runStore';
import { summarize } from '../lanes/summary';
import { formatInteger } from '../logic/format';
import { useLabStore } from '../store';
import { tabId } from './tabId';
import { openRunStore } from './useSavedRuns';

/**
 * While training, the experiment's record (history, events, status) is saved this often; the weights are kept by
 * each lane's worker itself about every second (lib/keptSnapshots.ts), so a reload loses about a second.
 */
export const SAVE_WHILE_RUNNING_MS = 5_000;
/** "Delete old runs" after a full disk keeps this many (the last run is always kept). */
export const KEEP_AFTER_PRUNE = 3;
/** A run saved this recently by someone else is taken to be live in another tab. */
export const LIVE_ELSEWHERE_MS = 15_000;

/** "“Fast MLP: (a + b) mod 31” at step 1 274" or, for a race, "… (radial at step 1 200, plain at step 1 150)". */
export function resumeDescription(run: StoredRun): string {
  const steps = (run.comparison?.lanes ?? [{ name: '', snapshot: run.snapshot, history: run.history }]).map(
    (lane, i) => {
      const snapshot = lane.snapshot ?? (i === 0 ? run.snapshot : null);
      return { name: lane.name, step: snapshot?.step ?? null };
    },
  );
  if (!run.comparison) return `“${run.name}” at step ${formatInteger(steps[0].step ?? 0)}`;
  const lanes = steps
    .map((lane) => `${lane.name} ${lane.step === null ? 'finished' : `at step ${formatInteger(lane.step)}`}`)
    .join(', ');
  return `“${run.name}” (${lanes})`;
}

/** What the class reads when a run's saved weights failed their check and were set aside. */
export function setAsideText({ name, problems }: { name: string; problems: string[] }): string {
  const shown = problems.slice(0, 3).join('; ');
  const more = problems.length > 3 ? `; and ${problems.length - 3} more` : '';
  return (
    `The saved weights of “${name}” are damaged (${shown}${more}), so it cannot be resumed. ` +
    'They were set aside, not deleted; its history stays in your runs and the lab is ready.'
  );
}

/**
 * Saves the experiment (with every lane's weights) every few seconds while it trains and whenever it stops, and
 * on the first load offers to resume this tab's last experiment at the step its weights were saved at. Another
 * tab's run is never offered as this tab's; a record another tab changed is never overwritten (saved as a copy).
 * Where IndexedDB is unusable this does nothing (the Runs panel says why).
 */
export function useAutosave(): void {
  const store = useLabStore();

  useEffect(() => {
    const tab = tabId();
    let offered = false;
    let saving = false;
    /** updatedAt of what this tab last wrote, per record id (another tab writing in between is a conflict). */
    const written = new Map<string, number>();
    const unsubscribe = store.subscribe((state, previous) => {
      const now = summarize(state.lanes);
      const before = summarize(previous.lanes);
      if (!offered && now.phase === 'ready' && before.phase !== 'ready') {
        offered = true;
        void offerResume();
      }
      const stopped = before.status === 'running' && now.status !== 'running';
      // Saved as it starts too: the record (and this tab's pointer) exist before its worker first keeps its weights.
      const started = before.status !== 'running' && now.status === 'running';
      if ((stopped && state.lanes.some((lane) => lane.history.length > 0)) || started) saveSoon();
    });
    // A damaged snapshot found on any read (the resume offer, the Runs panel) is named where the class sees it.
    let unsubscribeRuns = () => undefined as unknown;
    let unmounted = false;
    void openRunStore()
      .then((database) => {
        if (unmounted) return;
        unsubscribeRuns = database.subscribe((change) => {
          if (change.kind === 'set-aside') store.getState().notify('warning', setAsideText(change));
        });
      })
      .catch(() => undefined);
    const timer = setInterval(() => {
      const state = store.getState();
      if (summarize(state.lanes).status === 'running') saveSoon();
    }, SAVE_WHILE_RUNNING_MS);

    /** One save at a time; one asked for meanwhile (the stop right after the start) follows it. */
    let again = false;
    function saveSoon() {
      if (saving) {
        again = true;
        return;
      }
      saving = true;
      void save().finally(() => {
        saving = false;
        if (again) {
          again = false;
          saveSoon();
        }
      });
    }

    async function save() {
      // The weights only where the workers do not keep their own (they write them every second, off this thread).
      const run = await store.getState().captureRun('unless-kept');
      if (!run) return;
      try {
        const database = await openRunStore();
        // One transaction: the last-run pointers never name a half-written run (another tab may save too).
        // What this tab last wrote, else the version it reopened: anything newer was saved by another tab.
        const { experimentId, reopenedAt } = store.getState();
        const expected = written.get(run.id) ?? (experimentId === run.id ? reopenedAt : null);
        await database.put(run, { makeLast: true, tab, expectUpdatedAt: expected });
        written.set(run.id, run.updatedAt);
      } catch (error) {
        if (error instanceof RunStoreError && error.kind === 'conflict') {
          // Another tab saves this run too (both opened it): this tab's goes on as a copy of its own.
          store.getState().forkExperiment();
          store
            .getState()
            .notify(
              'warning',
              `Another tab is saving “${run.name}” too; this tab's run is now saved as a copy.`,
            );
          return;
        }
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
        const own = await database.getLastRun(tab);
        const last = own ?? (await database.getLastRun());
        if (!last?.snapshot) return;
        if (!own && Date.now() - last.updatedAt < LIVE_ELSEWHERE_MS) {
          store
            .getState()
            .notify('info', `Another tab is training “${last.name}”; it is in your runs when you want it.`);
          return;
        }
        store.getState().notify('info', `Resume your last run, ${resumeDescription(last)}?`, {
          label: 'Resume',
          run: () => void store.getState().restoreRun(last),
        });
      } catch (_error) {
        // No saved runs available: nothing to offer.
      }
    }

    return () => {
      unmounted = true;
      unsubscribeRuns();
      unsubscribe();
      clearInterval(timer);
    };
  }, [store]);
}
