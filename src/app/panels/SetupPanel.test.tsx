// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../engine/config';
import { connectedPage } from '../testing/connectedPage';
import { fakeRecord, type FakeClient } from '../testing/fakeClient';
import { RunControls } from './RunControls';
import { SetupPanel } from './SetupPanel';

afterEach(cleanup);

/** The task panel and the run controls on a page whose store makes a fake worker per lane. */
async function setup() {
  const page = await connectedPage();
  render(
    <page.Providers>
      <SetupPanel />
      <RunControls />
    </page.Providers>,
  );
  fireEvent.change(screen.getByRole('combobox', { name: 'Operation' }), { target: { value: '__custom__' } });
  const box = screen.getByLabelText(/^Operation in a and b/);
  const type = (text: string) => fireEvent.change(box, { target: { value: text } });
  const click = (name: string) =>
    act(async () => {
      fireEvent.click(
        within(screen.getByRole('group', { name: 'Run controls' })).getByRole('button', { name }),
      );
    });
  return { ...page, box, type, start: () => click('Start'), click };
}

/** The operations the worker was asked to build (init and reset), in order. */
const builtOperations = (client: FakeClient) =>
  client.calls
    .filter((call) => call.method === 'init' || call.method === 'reset')
    .map((call) => (call.args[0] as Config | undefined)?.task?.operation);

describe('the task box and Start (issue 25, item 6)', () => {
  // Each follows a valid '7' (accepted: "nothing to learn"), so an ignored edit would train (7) mod 31.
  const INVALID: [string, string, RegExp][] = [
    ['a zero-width space', 'a\u200b+b', /U\+200B at position 2/],
    ['a zero-width joiner', 'a+\u200db', /U\+200D at position 3/],
    ['a byte-order mark', '\ufeffa+b', /U\+FEFF at position 1/],
    ['a soft hyphen', 'a\u00ad+b', /U\+00AD at position 2/],
    ['a right-to-left mark', 'a+b\u200f', /U\+200F at position 4/],
    ['a remainder by zero', 'a % (b*0)', /undefined for every pair/],
    ['a division by zero', 'a/0', /undefined for every pair/],
    ['a division by p', 'b / p', /undefined for every pair/],
    ['nothing', '', /expression is empty/],
    ['only spaces', '   ', /expression is empty/],
  ];

  it.each(INVALID)('refuses to start while the box holds %s, and says why', async (_, text, reason) => {
    const { store, clients, calls, type, box, start } = await setup();
    const client = clients[0];
    type('7');
    expect(box.getAttribute('aria-invalid')).toBe('false');
    type(text);
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toMatch(reason);
    await start();
    expect(calls(client)).not.toContain('start');
    expect(builtOperations(client)).not.toContain('7');
    const notice = store.getState().notices.at(-1);
    expect(notice?.kind).toBe('error');
    expect(notice?.text).toMatch(/^Can’t start: Operation: /);
    expect(notice?.text).toMatch(reason);
    expect(store.getState().lanes[0].status).toBe('idle');
  });

  it('Step, too, refuses a box with an error and builds a changed task before its first step', async () => {
    const { store, clients, calls, type, click } = await setup();
    const client = clients[0];
    type('7');
    type('a\u200b+b');
    await click('Step');
    expect(calls(client)).not.toContain('step');
    expect(store.getState().notices.at(-1)?.text).toMatch(/^Can’t step: Operation: unexpected U\+200B/);
    type('a*b + 1');
    await click('Step');
    // Stepping the run already built would have trained (a + b), not the task in the box.
    expect(calls(client).slice(-2)).toEqual(['reset', 'step']);
    expect(builtOperations(client).at(-1)).toBe('a*b + 1');
  });

  it('past step 0, a changed task is not resumed as the old one: Resume says only Reset applies it', async () => {
    const { store, clients, calls, type, start, click } = await setup();
    const client = clients[0];
    await start();
    act(() => client.emit({ records: [fakeRecord(40)], status: 'paused' }));
    type('a*b');
    await click('Resume');
    expect(calls(client)).toEqual(['start']);
    expect(store.getState().notices.at(-1)?.text).toBe(
      'Can’t resume: Operation changed, which only Reset applies (from step 0). Press Reset, or change it back.',
    );
  });

  it('trains exactly what the box shows once it is valid again', async () => {
    const { clients, calls, type, start } = await setup();
    const client = clients[0];
    type('7');
    type('a\u200b+b');
    await start();
    type('a*a + b');
    await start();
    expect(calls(client).slice(-2)).toEqual(['reset', 'start']);
    expect(builtOperations(client).at(-1)).toBe('a*a + b');
  });
});
