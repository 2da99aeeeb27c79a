// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { connectedLabAndRace } from '../testing/labAndRace';
import { RACE_STEP_HINT, RunControls } from './RunControls';

afterEach(cleanup);

/** The top bar's controls on a page with a single run and a race, each driving fake workers. */
async function setup() {
  const { labStore, race, lanes, Providers, labCalls } = await connectedLabAndRace();
  render(
    <Providers>
      <RunControls />
    </Providers>,
  );
  const controls = screen.getByRole('group', { name: 'Run controls' });
  const button = (name: string) => within(controls).getByRole('button', { name });
  const count = (method: string) => lanes.map((lane) => lane.methods().filter((m) => m === method).length);
  return { labStore, race, lanes, button, labCalls, count };
}

describe('the top bar’s run controls', () => {
  it('drive the race while it is shown: Pause/Resume every lane, Reset every lane, Step off and says why', async () => {
    const { labStore, race, lanes, button, labCalls, count } = await setup();
    await act(() => race.getState().startRace('radialRescue'));
    expect(race.getState().phase).toBe('running');

    fireEvent.click(button('Pause'));
    await waitFor(() => expect(race.getState().phase).toBe('paused'));
    expect(count('pause')).toEqual([1, 1]);
    expect(race.getState().lanes.map((lane) => lane.status)).toEqual(['paused', 'paused']);

    fireEvent.click(button('Resume'));
    await waitFor(() => expect(race.getState().phase).toBe('running'));
    expect(count('start')).toEqual([2, 2]);

    // Step has no meaning for lanes that run together: off, with the reason as its tooltip.
    const step = button('Step');
    expect(step.hasAttribute('disabled')).toBe(true);
    expect(step.getAttribute('title')).toBe(RACE_STEP_HINT);
    expect(screen.getByRole('combobox', { name: 'Steps per click' }).hasAttribute('disabled')).toBe(true);

    fireEvent.click(button('Reset'));
    await waitFor(() => expect(count('reset')).toEqual([1, 1]));
    // Every lane back to its starting config: one seed, the same initial weights.
    const seeds = lanes.map(
      (lane) => (lane.calls.find((c) => c.method === 'reset')?.args[0] as { seed: number }).seed,
    );
    expect(seeds[0]).toBe(seeds[1]);

    // The hidden single run was never touched.
    expect(labCalls()).toEqual([]);
    expect(labStore.getState().status).toBe('idle');
    expect(screen.getByTestId('step-counter').textContent).toBe('0');
  });

  it('drive the single run once the race is closed, and in classroom mode (which shows the single run)', async () => {
    const { labStore, race, button, labCalls, count } = await setup();
    await act(() => race.getState().startRace('radialRescue', { autoStart: false }));
    expect(button('Start').getAttribute('title')).toBe('Starts every lane of the race');

    act(() => labStore.getState().setClassroom(true));
    fireEvent.click(button('Start'));
    await waitFor(() => expect(labCalls()).toContain('start'));
    expect(race.getState().phase).toBe('ready');
    expect(count('start')).toEqual([0, 0]);
    fireEvent.click(button('Pause'));
    await waitFor(() => expect(labStore.getState().status).toBe('paused'));

    act(() => labStore.getState().setClassroom(false));
    act(() => race.getState().close());
    expect(button('Step').hasAttribute('title')).toBe(false);
    fireEvent.click(button('Step'));
    await waitFor(() => expect(labCalls()).toContain('step'));
    fireEvent.click(button('Reset'));
    await waitFor(() => expect(labCalls()).toContain('reset'));
  });
});
