// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { RunStore, type StoredRun } from '../../lib/runStore';
import type { RunStatus } from '../../worker/protocol';
import { App } from '../App';
import { GROUP } from '../logic/format';
import { ROLLBACK_LABEL } from '../logic/rollback';
import { fakeLab, fakeRecord } from '../testing/fakeClient';
import { installJsdomLab } from '../testing/jsdomLab';
import { summarize } from '../lanes/summary';
import { raceLanes } from '../lanes/race';

installJsdomLab();

/** The page on one store whose lanes are fake workers (kept in `clients`, in the order they were made). */
async function renderPage(options: { classroom?: boolean } = {}) {
  const { store, clients } = fakeLab(options);
  render(<App store={store} />);
  await waitFor(() => expect(summarize(store.getState().lanes).phase).toBe('ready'));
  return { store, clients };
}

/** A race as the race view saved it before lanes kept their weights: radial grokked at 3 650, plain at 4 500. */
function savedRace(): StoredRun {
  const built = raceLanes('radialRescue');
  if (!built.ok) throw new Error('no race');
  const histories = [
    [fakeRecord(0), fakeRecord(3650, { testAccuracy: 1, trainingMs: 41_000 })],
    [fakeRecord(0), fakeRecord(4500, { testAccuracy: 1, trainingMs: 52_000 })],
  ];
  const lanes = built.lanes.map((lane, i) => ({
    name: lane.name,
    difference: lane.difference,
    config: lane.config,
    history: histories[i],
    events: [],
    status: 'finished' as RunStatus,
    wallTimeMs: histories[i][1].trainingMs,
    backend: 'wasm',
    grokStep: histories[i][1].step,
  }));
  return {
    id: 'saved-race',
    name: `Race · ${built.title}`,
    createdAt: 1000,
    updatedAt: 2000,
    config: lanes[0].config,
    history: lanes[0].history,
    events: [],
    status: 'finished',
    wallTimeMs: 41_000,
    comparison: {
      kind: 'race',
      title: built.title,
      preset: 'radialRescue',
      evalEvery: 50,
      winner: 0,
      summary: null,
      lanes,
    },
  };
}

describe('the race view', () => {
  it('reopens a race saved in the runs with both lanes, their finish lines and the result', async () => {
    const database = await RunStore.open();
    await database.put(savedRace());
    database.close();
    const { store, clients } = await renderPage();
    const open = await screen.findByRole('button', { name: /^Open Race · / }, { timeout: 10_000 });
    expect(screen.getByText(/race of radial, plain, won by radial/)).toBeTruthy();
    fireEvent.click(open);
    const view = await screen.findByTestId('race-view');
    // The single run gave way (nothing to keep at step 0); finished lanes need no worker.
    expect(clients).toHaveLength(1);
    expect(clients[0].terminated).toBe(true);
    expect(within(view).getByRole('heading', { name: /radial vs plain/ })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Lane radial' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Lane plain' })).toBeTruthy();
    expect(screen.getByTestId('lane-0-finish').textContent).toBe(`step 3${GROUP}650 · 41 s`);
    expect(screen.getByTestId('lane-1-finish').textContent).toBe(`step 4${GROUP}500 · 52 s`);
    expect(screen.getByTestId('lane-1-step').textContent).toBe(`4${GROUP}500`);
    expect(screen.getByTestId('race-banner').textContent).toContain(
      `radial grokked at step 3${GROUP}650 in 41 s; plain grokked at step 4${GROUP}500 in 52 s`,
    );
    expect(screen.getByTestId('race-saved').textContent).toMatch(/saved as one comparison/);
    expect(store.getState().lanes.map((lane) => lane.history.length)).toEqual([2, 2]);
  });

  it('shows a diverged lane’s message and rolls that lane back from its card', async () => {
    const { store, clients } = await renderPage();
    await act(() => store.getState().startRace('radialRescue'));
    const lanes = clients.slice(1);
    const message =
      'Diverged at step 150: the training loss is NaN. Training is paused; roll back to step 100.';
    act(() => lanes[1].emit({ records: [fakeRecord(100)] }));
    act(() =>
      lanes[1].emit({ status: 'diverged', records: [fakeRecord(150, { trainLoss: Number.NaN })], message }),
    );
    const alert = await screen.findByTestId('lane-1-message');
    expect(alert.textContent).toContain(message);
    expect(screen.queryByTestId('lane-0-message')).toBeNull();
    expect(screen.getByTestId('lane-1-status').textContent).toBe('stopped (diverged)');
    lanes[1].rollbackPoint = 100;
    fireEvent.click(within(alert).getByRole('button', { name: `${ROLLBACK_LABEL} (lane plain)` }));
    await waitFor(() => expect(screen.queryByTestId('lane-1-message')).toBeNull());
    expect(lanes[1].methods()).toContain('rollback');
    expect(screen.getByTestId('lane-1-status').textContent).toBe('running');
    expect(screen.getByTestId('lane-1-events').textContent).toMatch(/step 100: Learning rate/);
    expect(lanes[0].methods()).not.toContain('rollback');
  });

  it('in classroom mode shows the race: banner, one accuracy chart of every lane, each lane’s grid and chips', async () => {
    const { store, clients } = await renderPage({ classroom: true });
    await act(() => store.getState().startRace('radialRescue', { autoStart: false }));
    const grid = await screen.findByTestId('classroom-race');
    expect(screen.getByTestId('race-banner')).toBeTruthy();
    expect(within(grid).getByText('Accuracy, lane by lane')).toBeTruthy();
    expect(within(grid).getByRole('region', { name: 'Predictions of lane radial' })).toBeTruthy();
    expect(within(grid).getByRole('region', { name: 'Predictions of lane plain' })).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Regularizers of lane radial' })).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Regularizers of lane plain' })).toBeTruthy();
    expect(screen.getByTestId('classroom-keys').textContent).toMatch(/toggle in radial · L next lane/);
    // The hidden-progress readout, one line per lane (a+b mod p has the measures).
    expect(screen.getByTestId('hidden-progress').textContent).toMatch(
      /^radialHidden progress.*plainHidden progress/,
    );
    // A chip switches that lane's regularizer only.
    fireEvent.click(screen.getByRole('switch', { name: 'plain: Radial penalty' }));
    await waitFor(() => expect(clients[2].methods()).toContain('update'));
    expect(clients[1].methods()).not.toContain('update');
  });
});
