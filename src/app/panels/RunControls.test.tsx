// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { GROUP } from '../logic/format';
import { summarize } from '../lanes/summary';
import { fakeRecord } from '../testing/fakeClient';
import { connectedPage } from '../testing/connectedPage';
import { RunControls } from './RunControls';

afterEach(cleanup);

/** The top bar's controls on a page whose store makes a fake worker per lane. */
async function setup() {
  const page = await connectedPage();
  render(
    <page.Providers>
      <RunControls />
    </page.Providers>,
  );
  const controls = screen.getByRole('group', { name: 'Run controls' });
  const button = (name: string) => within(controls).getByRole('button', { name });
  return { ...page, button };
}

describe('the top bar’s run controls', () => {
  it('act on every lane of a race on screen, and the readouts describe the race', async () => {
    const { store, clients, button, calls } = await setup();
    await act(() => store.getState().startRace('radialRescue'));
    const lanes = clients.slice(1);
    const count = (method: string) => lanes.map((lane) => calls(lane).filter((m) => m === method).length);
    const status = () => summarize(store.getState().lanes).status;
    expect(status()).toBe('running');
    expect(button('Pause').getAttribute('title')).toBe('Pauses every lane (2)');

    act(() => lanes[0].emit({ records: [fakeRecord(1200)], stepsPerSecond: 30 }));
    act(() => lanes[1].emit({ records: [fakeRecord(1150)], stepsPerSecond: 28 }));
    expect(screen.getByTestId('step-counter').textContent).toBe(`1${GROUP}200`);
    expect(screen.getByTestId('steps-per-second').textContent).toBe('58');

    fireEvent.click(button('Pause'));
    await waitFor(() => expect(status()).toBe('paused'));
    expect(count('pause')).toEqual([1, 1]);

    fireEvent.click(button('Step'));
    await waitFor(() => expect(count('step')).toEqual([1, 1]));

    fireEvent.click(button('Resume'));
    await waitFor(() => expect(status()).toBe('running'));
    expect(count('start')).toEqual([2, 2]);

    fireEvent.click(button('Reset'));
    await waitFor(() => expect(count('reset')).toEqual([1, 1]));
    const seeds = lanes.map(
      (lane) => (lane.calls.find((c) => c.method === 'reset')?.args[0] as { seed: number }).seed,
    );
    expect(seeds[0]).toBe(seeds[1]);
    // The single run the race replaced is gone, not hidden: nothing else was started.
    expect(clients[0].terminated).toBe(true);
    expect(calls(clients[0])).toEqual([]);
  });

  it('act on the one lane of a single run: start, pause, step, reset', async () => {
    const { clients, button, calls } = await setup();
    fireEvent.click(button('Start'));
    await waitFor(() => expect(calls(clients[0])).toContain('start'));
    fireEvent.click(button('Pause'));
    await waitFor(() => expect(calls(clients[0])).toContain('pause'));
    fireEvent.click(button('Step'));
    await waitFor(() => expect(calls(clients[0])).toContain('step'));
    fireEvent.click(button('Reset'));
    await waitFor(() => expect(calls(clients[0])).toContain('reset'));
  });
});
