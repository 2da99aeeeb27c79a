// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StoredRun } from '../../lib/runStore';
import { snapshot, storedRun } from '../../lib/testRuns';
import { openRunStore } from '../hooks/useSavedRuns';
import { fakeRecord } from '../testing/fakeClient';
import { connectedLabAndRace } from '../testing/labAndRace';
import { RunsPanel } from './RunsPanel';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** The runs panel on a page with a single run and a race (fake workers); one single run saved, with weights. */
async function setup() {
  const database = await openRunStore();
  await database.put(storedRun('single', 1000, { name: 'run single', snapshot: snapshot(500) }));
  // As in the app: the race saves itself into the run store.
  const saveRun = vi.fn(async (run: StoredRun) => (await openRunStore()).put(run));
  const { lab, race, lanes, Providers } = await connectedLabAndRace({ saveRun });
  render(
    <Providers>
      <RunsPanel />
    </Providers>,
  );
  const open = await screen.findByRole('button', { name: 'Open run single' });
  return { lab, race, lanes, saveRun, open };
}

describe('opening a saved single run while a race is shown', () => {
  it('asks first when the race is running; no keeps the race, yes saves it, closes the view and opens the run', async () => {
    const { lab, race, lanes, saveRun, open } = await setup();
    await act(() => race.getState().startRace('radialRescue'));
    act(() => lanes.forEach((lane) => lane.emit({ records: [fakeRecord(0), fakeRecord(250)] })));

    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    fireEvent.click(open);
    await waitFor(() => expect(confirm).toHaveBeenCalledTimes(1));
    expect(confirm.mock.calls[0][0]).toMatch(
      /race “.*radial vs plain” is running \(radial at step 250, plain at step 250\)/,
    );
    // No: nothing opens, the race runs on, shown.
    await waitFor(() => expect(open.hasAttribute('disabled')).toBe(false));
    expect(lab.methods()).not.toContain('restore');
    expect(race.getState()).toMatchObject({ open: true, phase: 'running' });
    expect(saveRun).not.toHaveBeenCalled();

    confirm.mockReturnValue(true);
    fireEvent.click(open);
    await waitFor(() => expect(lab.methods()).toContain('restore'));
    // The race was paused, saved as it stood (and listed), then its view closed.
    expect(lanes.every((lane) => lane.methods().includes('pause'))).toBe(true);
    expect(saveRun).toHaveBeenCalledTimes(1);
    expect(race.getState().open).toBe(false);
    expect(await screen.findByText(/race of radial, plain/)).toBeTruthy();
  });

  it('closes a race with nothing to lose (finished and saved) without asking', async () => {
    const { lab, race, lanes, open } = await setup();
    await act(() => race.getState().startRace('radialRescue'));
    act(() => lanes.forEach((lane) => lane.emit({ status: 'finished', records: [fakeRecord(300)] })));
    await waitFor(() => expect(race.getState().savedId).not.toBeNull());
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    fireEvent.click(open);
    await waitFor(() => expect(lab.methods()).toContain('restore'));
    expect(confirm).not.toHaveBeenCalled();
    expect(race.getState().open).toBe(false);
  });
});
