/**
 * The sweep kept in this browser, on the store's side: writing its state as it changes, resuming the sweep a
 * reload interrupted, and the list of stored sweeps to reopen. The IndexedDB layer is src/lib/sweepStore.ts
 * (checked with zod when read back); what starts a sweep on screen is the store's `begin`.
 */
import { expandSweep, type ExpandedSweep } from '../../lib/sweep/cells';
import type { CellOutcome } from '../../lib/sweep/cellResult';
import { labSweepCheck } from '../../lib/sweep/size';
import { describeSweepLoss, type StoredSweepStatus } from '../../lib/sweepStore';
import { errorText } from '../logic/format';
import type { Notify, SweepActions, SweepState, SweepStoreOptions } from './sweepState';

export interface SweepSavingContext extends Pick<SweepStoreOptions, 'persistence' | 'losses'> {
  get(): SweepState & SweepActions;
  set(partial: Partial<SweepState>): void;
  now(): number;
  notify: Notify;
  /** Puts a sweep on screen with its finished cells (see the store); false: another tab trains it. */
  begin(
    sweep: ExpandedSweep,
    sweepId: string,
    status: StoredSweepStatus,
    outcomes: Map<string, CellOutcome>,
    runningMs: number,
  ): Promise<boolean>;
}

export function createSweepSaving(context: SweepSavingContext) {
  const { get, set, notify, persistence, now } = context;
  /** Unreadable stored sweeps already reported (the list is read again each time the view opens). */
  const reported = new Set<string>();

  /** Writes the sweep's state (what a reload resumes). */
  const persist = async () => {
    const { sweep, sweepId, status, elsewhere } = get();
    // A tab showing another tab's sweep writes nothing: the stored state is that tab's.
    if (!persistence || !sweep || !sweepId || status === 'idle' || elsewhere) return;
    try {
      await persistence.saveSweep({
        id: sweepId,
        spec: sweep.spec,
        status,
        createdAt: Number(sweepId.split('-')[1]) || now(),
        updatedAt: now(),
        runningMs: get().elapsedMs(),
      });
      context.losses?.sweepSaved(sweepId);
      if (get().sweepId === sweepId) set({ savedStatus: status });
    } catch (error) {
      const reason = errorText(error);
      context.losses?.noteSweepUnsaved(sweepId, sweep.spec.title ?? 'sweep', reason);
      notify(
        'warning',
        `The sweep could not be saved in this browser: ${reason}. A reload cannot resume it; the next load says so.`,
      );
    }
  };

  /** After a reload: the sweep that was running or paused, with its finished cells; a running one goes on. */
  const restore = async () => {
    // What the last page could not save, said once (it is not in IndexedDB to be found).
    for (const loss of context.losses?.take() ?? []) notify('warning', describeSweepLoss(loss));
    if (!persistence) return;
    let stored;
    try {
      stored = await persistence.activeSweep();
    } catch (error) {
      notify('warning', `Stored sweeps could not be read: ${errorText(error)}`);
      return;
    }
    if (!stored) return;
    if (!stored.ok) {
      notify(
        'error',
        `The sweep that was running could not be resumed: ${stored.message}. It is left as it was stored.`,
      );
      return;
    }
    const check = labSweepCheck(stored.value.spec, get().concurrency);
    if (check.level === 'refuse') {
      // Not built (that would hold every load for minutes): set aside, spec and finished cells kept.
      try {
        await persistence.saveSweep({ ...stored.value, status: 'cancelled', updatedAt: now() });
      } catch (_error) {
        // Still stored as active: the next load says the same, as quickly.
      }
      notify(
        'error',
        `The stored sweep “${stored.value.spec.title ?? stored.value.id}” was not resumed: ${check.message}. It is set aside under Saved sweeps.`,
      );
      return;
    }
    let sweep: ExpandedSweep;
    try {
      sweep = expandSweep(stored.value.spec);
    } catch (error) {
      notify('error', `The sweep that was running could not be resumed: ${errorText(error)}`);
      return;
    }
    const { outcomes, unreadable } = await persistence.outcomes(sweep.cells.map((cell) => cell.id));
    if (unreadable.length > 0) {
      notify('warning', `${unreadable.length} stored cell(s) were unreadable and will be trained again.`);
    }
    const { id, status, runningMs } = stored.value;
    if (!(await context.begin(sweep, id, status, outcomes, runningMs))) return;
    notify(
      'info',
      `Resumed the sweep “${sweep.spec.title ?? 'sweep'}”: ${outcomes.size} finished cell(s) kept${status === 'paused' ? '; it is paused' : ''}.`,
    );
  };

  /** Reads the list of stored sweeps (unreadable ones are named in a notice, once). */
  const refreshSaved = async () => {
    if (!persistence) return;
    try {
      const { sweeps, unreadable } = await persistence.listSweeps();
      set({ saved: sweeps });
      const fresh = unreadable.filter((message) => !reported.has(message));
      fresh.forEach((message) => reported.add(message));
      if (fresh.length > 0) notify('warning', `${fresh.join('; ')}. Left as stored.`);
    } catch (error) {
      notify('warning', `Stored sweeps could not be read: ${errorText(error)}`);
    }
  };

  /** Reopens a stored sweep with its finished cells; one not done opens paused (Resume goes on). */
  const openSaved = async (id: string): Promise<boolean> => {
    const stored = get().saved.find((sweep) => sweep.id === id);
    if (!stored || !persistence) return false;
    let sweep: ExpandedSweep;
    try {
      const check = labSweepCheck(stored.spec, get().concurrency);
      if (check.level === 'refuse') throw new Error(check.message);
      sweep = expandSweep(stored.spec);
    } catch (error) {
      notify('error', `The stored sweep cannot be opened: ${errorText(error)}`);
      return false;
    }
    const { outcomes } = await persistence.outcomes(sweep.cells.map((cell) => cell.id));
    if (get().status === 'running') await get().pause();
    await context.begin(sweep, stored.id, 'paused', outcomes, stored.runningMs);
    await refreshSaved();
    return true;
  };

  /** The stored outcomes of `sweep`'s cells (another tab's, or an earlier sweep's), or null when unreadable. */
  const storedOutcomes = (sweep: ExpandedSweep) =>
    persistence
      ? persistence.outcomes(sweep.cells.map((cell) => cell.id)).catch(() => null)
      : Promise.resolve(null);

  return { persist, restore, refreshSaved, openSaved, storedOutcomes };
}
