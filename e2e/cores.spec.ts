/**
 * Every core, in the lab page (production build, real workers): a classic-sized run in a single lane gets the
 * machine's cores as wasm threads (src/worker/wasmThreads.ts: runs estimated at ≥ 150 ms/step), says so on the
 * backend badge and trains; a small run gets a new one-thread worker.
 */
import { expect, test, type Page } from '@playwright/test';

const stepCount = async (page: Page): Promise<number> =>
  Number((await page.getByTestId('step-counter').textContent())?.replace(/\D/g, '') ?? 'NaN');

async function choosePreset(page: Page, title: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Preset' }).selectOption({ label: title });
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled({ timeout: 90_000 });
}

test('a classic-sized lane trains on every core as wasm threads; a small run on one', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const threads = Math.min(8, cores);
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('wasm');
  const badge = page.locator('.backend__badge');

  await choosePreset(page, 'Classic grokking');
  await expect(badge).toHaveText(threads > 1 ? `Backend: WASM · ${threads} threads` : 'Backend: WASM');
  await page.getByRole('button', { name: 'Step' }).click();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThan(0);

  await choosePreset(page, 'Fast MLP');
  await expect(badge).toHaveText('Backend: WASM');
  await page.getByRole('button', { name: 'Step' }).click();
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});
