import { expect, test } from '@playwright/test';

test('app loads and shows the heading', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Grok Lab' })).toBeVisible();
  // COOP/COEP from the preview server must make the page cross-origin isolated (needed for wasm threads).
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  expect(errors).toEqual([]);

  await page.screenshot({ path: 'test-results/smoke.png' });
});
