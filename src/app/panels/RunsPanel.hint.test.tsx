// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { SAVE_WHILE_RUNNING_MS } from '../hooks/useAutosave';
import { connectedPage } from '../testing/connectedPage';
import { RunsPanel } from './RunsPanel';

afterEach(() => cleanup());

it('says how often runs are saved while training, from the interval the autosave uses', async () => {
  const page = await connectedPage();
  render(
    <page.Providers>
      <RunsPanel />
    </page.Providers>,
  );
  const hint = await screen.findByText(/Runs are saved here/);
  expect(hint.textContent).toContain(`every ${SAVE_WHILE_RUNNING_MS / 1000} s while it trains`);
  expect(hint.textContent).not.toMatch(/30 s/);
});
