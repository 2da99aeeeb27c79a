// @vitest-environment jsdom
import { act, cleanup, fireEvent, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { summarize } from '../lanes/summary';
import { connectedPage } from '../testing/connectedPage';
import { useShortcuts } from './useShortcuts';

afterEach(cleanup);

async function setup() {
  const page = await connectedPage();
  renderHook(() => useShortcuts(), { wrapper: page.Providers });
  const press = (key: string) => act(() => void fireEvent.keyDown(window, { key }));
  return { ...page, press };
}

describe('keyboard shortcuts', () => {
  it('act on every lane of a race, in the normal view and in classroom mode alike', async () => {
    const { store, clients, calls, press } = await setup();
    await act(() => store.getState().startRace('radialRescue'));
    const lanes = clients.slice(1);
    const status = () => summarize(store.getState().lanes).status;
    const count = (method: string) => lanes.map((lane) => calls(lane).filter((m) => m === method).length);
    for (const classroom of [false, true]) {
      act(() => store.getState().setClassroom(classroom));
      press(' ');
      await waitFor(() => expect(status()).toBe('paused'));
      press(' ');
      await waitFor(() => expect(status()).toBe('running'));
    }
    expect(count('pause')).toEqual([2, 2]);
    expect(count('start')).toEqual([3, 3]);
    press('r');
    await waitFor(() => expect(count('reset')).toEqual([1, 1]));
    // No other run exists to start: the single run the race replaced was closed.
    expect(calls(clients[0])).toEqual([]);
  });

  it('1–9 toggle a regularizer in the focused lane; l moves the keys to the next lane', async () => {
    const { store, clients, press } = await setup();
    await act(() => store.getState().startRace('radialRescue', { autoStart: false }));
    const [a, b] = clients.slice(1);
    const updates = (client: typeof a) => client.calls.filter((call) => call.method === 'update').length;
    press('1');
    await waitFor(() => expect(updates(a)).toBe(1));
    expect(updates(b)).toBe(0);
    press('l');
    expect(store.getState().focus).toBe(1);
    press('1');
    await waitFor(() => expect(updates(b)).toBe(1));
    press('l');
    expect(store.getState().focus).toBe(0);
  });

  it('act on the single run: space starts, r resets', async () => {
    const { clients, calls, press } = await setup();
    press(' ');
    await waitFor(() => expect(calls(clients[0])).toContain('start'));
    press('l');
    press('r');
    await waitFor(() => expect(calls(clients[0])).toContain('reset'));
  });
});
