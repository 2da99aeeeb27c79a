/**
 * Sharing and files against the production build: a share link reproduces the setup in a fresh page, and a run
 * exported as JSON comes back through Import at the same step with its history.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

const stepCount = async (page: Page): Promise<number> =>
  Number((await page.getByTestId('step-counter').textContent())?.replace(/\D/g, '') ?? 'NaN');

async function openLab(page: Page, url = '/'): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled({ timeout: 90_000 });
}

test('a share link reproduces the setup; an exported run imports back at the same step', async ({
  page,
  context,
}) => {
  test.setTimeout(480_000);
  await openLab(page);
  await page.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'Radial penalty rescue' });
  await expect(page.getByText(/weak weight decay/).first()).toBeVisible();
  await expect(page.getByRole('switch', { name: 'Radial penalty' })).toHaveAttribute('aria-checked', 'true');
  // A live change beyond the preset, so the link has to carry more than the preset's name.
  await page.getByRole('switch', { name: 'Grokfast' }).click();
  await expect(page.getByRole('switch', { name: 'Grokfast' })).toHaveAttribute('aria-checked', 'true');
  // The address bar is rewritten on a throttle: wait until it carries the preset *and* the config diff (`c=`)
  // that records the Grokfast switch, not only the preset chosen a moment earlier.
  await expect.poll(() => page.url()).toContain('preset=radialRescue');
  await expect.poll(() => page.url()).toMatch(/[#&]c=[A-Za-z0-9_-]+/);
  const link = page.url();

  const other = await context.newPage();
  await openLab(other, link);
  await expect(other.locator('.topbar__dataset')).toHaveText(/mod 31/);
  await expect(other.getByRole('switch', { name: 'Radial penalty' })).toHaveAttribute('aria-checked', 'true');
  await expect(other.getByRole('switch', { name: 'Grokfast' })).toHaveAttribute('aria-checked', 'true');
  await other.close();

  // Train a little, export, reset, import: the run comes back at the exported step.
  await page.getByRole('button', { name: 'Start' }).click();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThan(30);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: /Resume|Start/ })).toBeVisible({ timeout: 120_000 });
  const exportedStep = await stepCount(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const file = await download.path();
  const exported = JSON.parse(readFileSync(file, 'utf8')) as { run?: { history?: unknown[] } };
  expect(JSON.stringify(exported)).toContain('"history"');

  await page.getByRole('button', { name: 'Reset' }).click();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBe(0);
  await page.locator('input[type="file"][accept*="json"]').setInputFiles(file);
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBe(exportedStep);
  await expect(page.locator('figure[data-chart="accuracy"] path.chart__line[d]').first()).toBeVisible();
});
