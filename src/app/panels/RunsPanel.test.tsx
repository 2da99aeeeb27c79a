// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunSnapshot } from '../../worker/protocol';
import { snapshot, storedRun } from '../../lib/testRuns';
import { openRunStore } from '../hooks/useSavedRuns';
import { summarize } from '../lanes/summary';
import { fakeRecord } from '../testing/fakeClient';
import { connectedPage } from '../testing/connectedPage';
import { RunsPanel } from './RunsPanel';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** The runs panel on a page whose store keeps replaced experiments in the run store (as the app does). */
async function setup() {
  const database = await openRunStore();
  await database.put(storedRun('single', 1000, { name: 'run single', snapshot: snapshot(500) }));
  const page = await connectedPage({ keep: async (run) => (await openRunStore()).put(run) });
  render(
    <page.Providers>
      <RunsPanel />
    </page.Providers>,
  );
  const open = await screen.findByRole('button', { name: 'Open run single' });
  return { ...page, open };
}

describe('opening a saved run while a race is on screen', () => {
  it('pauses the race, keeps it in the runs with every lane, opens the run, and can reopen the race', async () => {
    const { store, clients, open } = await setup();
    await act(() => store.getState().startRace('radialRescue'));
    const lanes = clients.slice(1);
    lanes.forEach((lane, i) => {
      lane.snapshot = async () =>
        ({
          version: 1,
          step: 250 + i,
          config: lane.config,
          history: [],
          events: [],
        }) as unknown as RunSnapshot;
      act(() => lane.emit({ records: [fakeRecord(0), fakeRecord(250 + i)] }));
    });
    fireEvent.click(open);
    await waitFor(() => expect(clients.at(-1)!.methods()).toContain('restore'));
    expect(lanes.every((lane) => lane.methods().includes('pause') && lane.terminated)).toBe(true);
    expect(store.getState().lanes).toHaveLength(1);
    expect(await screen.findByText(/race of radial, plain/)).toBeTruthy();
    const kept = (await (await openRunStore()).list()).find((run) => run.comparison);
    expect(kept?.comparison?.lanes).toEqual(['radial', 'plain']);
    const keptRace = await (await openRunStore()).get(kept!.id);
    expect(keptRace?.comparison?.lanes.map((lane) => lane.snapshot?.step)).toEqual([250, 251]);

    // The notice undoes it: the race comes back, both lanes resumed from their own weights.
    const notice = store.getState().notices.find((each) => each.action?.label === 'Reopen it');
    expect(notice?.text).toMatch(/Race · .* was kept in your runs/);
    await act(async () => notice!.action!.run());
    await waitFor(() => expect(store.getState().lanes).toHaveLength(2));
    await waitFor(() => expect(summarize(store.getState().lanes).phase).toBe('ready'));
    expect(store.getState().lanes.map((lane) => lane.step)).toEqual([250, 251]);
  });
});
