// @vitest-environment jsdom
import { act, cleanup, fireEvent, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { connectedLabAndRace } from '../testing/labAndRace';
import { useShortcuts } from './useShortcuts';

afterEach(cleanup);

/** The hook on a page with a single run and a race, each driving fake workers. */
async function setup() {
  const { labStore, race, lanes, Providers, labCalls } = await connectedLabAndRace();
  renderHook(() => useShortcuts(), { wrapper: Providers });
  const press = (key: string) => act(() => void fireEvent.keyDown(window, { key }));
  return { labStore, race, lanes, labCalls, press };
}

describe('keyboard shortcuts', () => {
  it('act on the race while it is open: space pauses and resumes both lanes, r resets both', async () => {
    const { labStore, race, lanes, labCalls, press } = await setup();
    await act(() => race.getState().startRace('radialRescue'));
    expect(race.getState().phase).toBe('running');

    press(' ');
    await waitFor(() => expect(race.getState().phase).toBe('paused'));
    expect(lanes.map((lane) => lane.methods().filter((m) => m === 'pause').length)).toEqual([1, 1]);
    press(' ');
    await waitFor(() => expect(race.getState().phase).toBe('running'));
    expect(lanes.map((lane) => lane.methods().filter((m) => m === 'start').length)).toEqual([2, 2]);

    press('r');
    await waitFor(() => expect(lanes.every((lane) => lane.methods().includes('reset'))).toBe(true));
    // Both lanes back to their starting configs (one seed: the same initial weights).
    const seeds = lanes.map(
      (lane) => (lane.calls.find((c) => c.method === 'reset')?.args[0] as { seed: number }).seed,
    );
    expect(seeds[0]).toBe(seeds[1]);

    // 1–9 name no lane: nothing happens, in the race or to the hidden single run.
    const regularizers = labStore.getState().config.regularizers;
    press('1');
    expect(labStore.getState().config.regularizers).toEqual(regularizers);
    expect(lanes.every((lane) => !lane.methods().includes('update'))).toBe(true);

    // The hidden single run was never touched.
    expect(labCalls()).toEqual([]);
    expect(labStore.getState().status).toBe('idle');
  });

  it('act on the single run once the race is closed, and in classroom mode (which shows the single run)', async () => {
    const { labStore, race, labCalls, press } = await setup();
    await act(() => race.getState().startRace('radialRescue', { autoStart: false }));
    act(() => labStore.getState().setClassroom(true));
    press(' ');
    await waitFor(() => expect(labCalls()).toContain('start'));
    expect(race.getState().phase).toBe('ready');
    act(() => labStore.getState().setClassroom(false));
    await act(() => labStore.getState().pause());
    act(() => race.getState().close());
    press('r');
    await waitFor(() => expect(labCalls()).toContain('reset'));
  });
});
