// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { snapshot, snapshotFor, storedRun } from '../../lib/testRuns';
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
      lane.snapshot = async () => ({ ...snapshotFor(lane.config!, 250 + i), history: [] });
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

describe('importing a run file', () => {
  it('refuses a file whose weights do not fit its model, and leaves the run on screen exactly as it was', async () => {
    const { store, clients } = await setup();
    act(() => clients[0].emit({ records: [fakeRecord(0), fakeRecord(235)], status: 'paused' }));
    // A real export (written by the lab of e290f86) with the hidden width edited by hand: the weights no longer fit.
    const text = readFileSync('src/lib/fixtures/v1/single-run.export.json', 'utf8');
    const edited = JSON.parse(text) as { run: { config: { model: { hiddenWidth: number } } } };
    edited.run.config.model.hiddenWidth += 4;
    const file = new File([JSON.stringify(edited)], 'edited.json', { type: 'application/json' });
    const input = document.querySelector<HTMLInputElement>('input[type="file"]')!;
    fireEvent.change(input, { target: { files: [file] } });
    await waitFor(() =>
      expect(store.getState().notices.at(-1)?.text).toMatch(
        /“edited\.json” is not a Grok Lab run: .*config\.model: is not the run.s own model/,
      ),
    );
    expect(clients).toHaveLength(1);
    expect(clients[0].terminated).toBe(false);
    expect(clients[0].methods()).not.toContain('restore');
    expect(store.getState().lanes[0].step).toBe(235);
  });
});
