// @vitest-environment jsdom
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PRESETS } from '../engine/presets';
import { REGULARIZER_IDS, REGULARIZERS } from '../engine/regularizers/registry';
import { App } from './App';
import { GROUP } from './logic/format';
import { createLabStore, type LabStore } from './store';
import { FakeClient, fakeRecord, single, supervised } from './testing/fakeClient';
import { installJsdomLab } from './testing/jsdomLab';

// Registered first so that it runs after the stand-ins' cleanup (after-hooks run in reverse).
afterEach(() => {
  document.documentElement.classList.remove('classroom-mode');
});

installJsdomLab();

async function renderLab(
  options: { classroom?: boolean } = {},
): Promise<{ store: LabStore; client: FakeClient }> {
  const client = new FakeClient();
  const store = createLabStore({ createClient: () => supervised(() => client), liveDelayMs: 0, ...options });
  render(<App store={store} />);
  await waitFor(() => expect(single(store).phase).toBe('ready'));
  return { store, client };
}

const updates = (client: FakeClient) =>
  client.calls.filter((call) => call.method === 'update').map((c) => c.args[0]);

describe('the lab page', () => {
  it('shows the loading state, then the backend', async () => {
    const client = new FakeClient();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const init = client.init.bind(client);
    client.init = async (...args) => {
      await gate;
      return init(...args);
    };
    const store = createLabStore({ createClient: () => supervised(() => client), liveDelayMs: 0 });
    render(<App store={store} />);
    expect(screen.getAllByText('Starting backend…').length).toBeGreaterThan(0);
    expect((screen.getByRole('button', { name: 'Start' }) as HTMLButtonElement).disabled).toBe(true);
    await act(async () => release());
    await waitFor(() =>
      expect((screen.getByRole('button', { name: 'Start' }) as HTMLButtonElement).disabled).toBe(false),
    );
    expect(
      screen.getByText('WebGPU is a software adapter here (1.6 s/step); using WASM: 22 ms/step'),
    ).toBeTruthy();
    expect(screen.getByText(/software adapter: 1.6 s\/step/)).toBeTruthy();
  });

  it('gives every control an accessible name', async () => {
    await renderLab();
    let total = 0;
    for (const role of [
      'button',
      'textbox',
      'spinbutton',
      'slider',
      'combobox',
      'switch',
      'checkbox',
    ] as const) {
      const all = screen.queryAllByRole(role);
      const named = screen.queryAllByRole(role, { name: /\S/ });
      expect(named.length, `unnamed ${role}`).toBe(all.length);
      total += all.length;
    }
    expect(total).toBeGreaterThan(30);
    expect(screen.getByLabelText('Import…')).toBeTruthy();
  });

  it('has one regularizer card per registry entry, each with a named switch', async () => {
    await renderLab();
    const panel = screen.getByRole('region', { name: /Regularizers/ });
    const switches = within(panel).getAllByRole('switch');
    expect(switches).toHaveLength(REGULARIZER_IDS.length);
    for (const id of REGULARIZER_IDS) {
      expect(within(panel).getByRole('switch', { name: REGULARIZERS[id].label })).toBeTruthy();
    }
  });

  it('starts, pauses and steps through the worker', async () => {
    const { client } = await renderLab();
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(client.methods()).toContain('start'));
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
    act(() => client.emit({ records: [fakeRecord(0), fakeRecord(1200)], stepsPerSecond: 321 }));
    expect(screen.getByTestId('step-counter').textContent).toBe(`1${GROUP}200`);
    expect(screen.getByTestId('steps-per-second').textContent).toBe('321');
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(client.methods()).toContain('pause'));
    act(() => client.emit({ status: 'paused' }));
    fireEvent.change(screen.getByRole('combobox', { name: 'Steps per click' }), { target: { value: '10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Step' }));
    await waitFor(() => expect(client.calls.at(-1)).toEqual({ method: 'step', args: [10] }));
  });

  it('toggles a regularizer live and tunes its parameter with the slider or the number box', async () => {
    const { store, client } = await renderLab();
    const radial = screen.getByRole('switch', { name: 'Radial penalty' });
    expect(radial.getAttribute('aria-checked')).toBe('false');
    fireEvent.click(radial);
    await waitFor(() =>
      expect(updates(client)).toContainEqual({ regularizers: { radial: { enabled: true } } }),
    );
    expect(radial.getAttribute('aria-checked')).toBe('true');

    const slider = screen.getByRole('slider', { name: 'Radial penalty λ' });
    fireEvent.change(slider, { target: { value: '750' } }); // log scale 1e-4…1: three quarters = 0.1
    await waitFor(() => expect(single(store).config.regularizers.radial.lambda).toBe(0.1));
    const box = screen.getByRole('spinbutton', { name: 'Radial penalty λ value' });
    expect((box as HTMLInputElement).value).toBe('0.1');
    fireEvent.change(box, { target: { value: '0.05' } });
    await waitFor(() => expect(single(store).config.regularizers.radial.lambda).toBe(0.05));
    expect(single(store).eventLog.events.map((event) => event.path)).toEqual([
      'regularizers.radial.enabled',
      'regularizers.radial.lambda',
      'regularizers.radial.lambda',
    ]);
  });

  it('shows a problem next to its field and does not send it', async () => {
    const { client } = await renderLab();
    const lr = screen.getByRole('spinbutton', { name: 'Learning rate value' });
    fireEvent.change(lr, { target: { value: '5' } });
    expect(lr.getAttribute('aria-invalid')).toBe('true');
    const note = document.getElementById(lr.getAttribute('aria-describedby')!);
    expect(note?.textContent).toMatch(/1/);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(updates(client)).toEqual([]);
  });

  it('marks task changes as needing a reset and applies them on reset', async () => {
    const { client } = await renderLab();
    fireEvent.change(screen.getByRole('spinbutton', { name: /Modulus p/ }), { target: { value: '53' } });
    expect(screen.getByText(/Applies when you start: Modulus p/)).toBeTruthy();
    expect(screen.getAllByText('reset to apply').length).toBeGreaterThan(0);
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    await waitFor(() => expect(client.calls.at(-1)?.method).toBe('reset'));
    expect((client.calls.at(-1)?.args[0] as { task: { modulus: number } }).task.modulus).toBe(53);
    await waitFor(() => expect(screen.queryByText(/Applies when you start/)).toBeNull());
  });

  it('announces memorization and grokking', async () => {
    const { client } = await renderLab();
    const banner = screen
      .getAllByRole('status')
      .find((element) => element.classList.contains('grok-banner'))!;
    expect(banner.textContent).toBe('');
    act(() => client.emit({ records: [fakeRecord(410, { trainAccuracy: 1, testAccuracy: 0.1 })] }));
    expect(banner.textContent).toContain('Memorized at step 410');
    act(() => client.emit({ records: [fakeRecord(7340, { trainAccuracy: 1, testAccuracy: 1 })] }));
    expect(banner.textContent).toContain(`Grokked at step 7${GROUP}340 — memorized at step 410`);
  });

  it('applies a preset and shows its description', async () => {
    const { client } = await renderLab();
    const name = Object.keys(PRESETS).find((key) => key !== 'mlp')!;
    const preset = (PRESETS as Record<string, { title: string; description: string }>)[name];
    fireEvent.change(screen.getByRole('combobox', { name: 'Preset' }), { target: { value: name } });
    await waitFor(() => expect(client.methods().at(-1)).toBe('reset'));
    expect(screen.getByText(preset.description)).toBeTruthy();
  });

  it('keyboard: space starts, digits toggle regularizers, r resets; not while typing', async () => {
    const { store, client } = await renderLab();
    fireEvent.keyDown(document.body, { key: '2' });
    await waitFor(() => expect(single(store).draft.regularizers.radial.enabled).toBe(true));
    fireEvent.keyDown(screen.getByRole('spinbutton', { name: 'Seed' }), { key: '1' });
    expect(single(store).draft.regularizers.weightDecay.enabled).toBe(true);
    fireEvent.keyDown(document.body, { key: ' ' });
    await waitFor(() => expect(client.methods()).toContain('start'));
    fireEvent.keyDown(document.body, { key: 'r' });
    await waitFor(() => expect(client.methods().at(-1)).toBe('reset'));
  });

  it('shows worker errors as dismissible notices', async () => {
    const { client } = await renderLab();
    act(() => client.emit({ status: 'error', message: 'WebGPU device lost' }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('WebGPU device lost');
    fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss notice' }));
    expect(screen.queryByText('WebGPU device lost')).toBeNull();
  });

  it('switches to the classroom layout: accuracy, prediction grid, radius', async () => {
    const { store } = await renderLab();
    fireEvent.click(screen.getByRole('switch', { name: 'Classroom mode' }));
    expect(single(store).classroom).toBe(true);
    expect(document.documentElement.classList.contains('classroom-mode')).toBe(true);
    const charts = [...document.querySelectorAll('[data-chart]')].map((figure) =>
      figure.getAttribute('data-chart'),
    );
    expect(charts).toEqual(['accuracy', 'radius']);
    expect(screen.getByRole('heading', { name: 'Predictions on every pair' })).toBeTruthy();
    expect(screen.queryByRole('region', { name: /Task & model/ })).toBeNull();
    fireEvent.click(screen.getByRole('switch', { name: 'Classroom mode' }));
    expect(screen.getByRole('region', { name: /Task & model/ })).toBeTruthy();
  });

  it('draws a chart for each active regularizer that reports scalars', async () => {
    const { client } = await renderLab();
    act(() => client.emit({ records: [fakeRecord(5, { regularizers: { radial: { penalty: 0.2 } } })] }));
    await waitFor(() => expect(document.querySelector('[data-chart="regularizer-radial"]')).not.toBeNull());
  });
});
