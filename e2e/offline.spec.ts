/**
 * The lab as a school uses it: one online visit, then a reload with the network off (service worker precache),
 * training to memorization, saving and exporting a run offline; then a new deployment and the update prompt. And
 * hosting: on a static host that sends no headers, the service worker makes the page cross-origin isolated.
 *
 * Each test builds the lab into its own folder and serves it with a plain static server (e2e/staticHost.ts), so a
 * "deployment" is a rebuild of that folder with another version.
 */
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { buildLab, headersFileHeaders, serveStatic } from './staticHost';

const OUT = join(import.meta.dirname, '..', 'test-results', 'hosting');
// Ports of their own: the Playwright web server has E2E_PORT (4173 by default).
const PORT_WITH_HEADERS = Number(process.env.E2E_PORT ?? 4173) + 11;
const PORT_WITHOUT_HEADERS = PORT_WITH_HEADERS + 1;

/** Resolves once a service worker controls the page (after its install, i.e. its precache, completed). */
async function controlledByServiceWorker(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

test('after one online visit the lab reloads, trains, saves and exports offline; a new deployment prompts', async ({
  page,
  context,
}) => {
  // Two production builds and a training run: minutes each on a loaded machine.
  test.setTimeout(900_000);
  const dir = join(OUT, 'deployed');
  await buildLab(dir, 'e2e-1');
  const host = await serveStatic(dir, PORT_WITH_HEADERS, await headersFileHeaders());
  try {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // The CSP (header and <meta>) must allow the service worker, the manifest and the workers.
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) errors.push(message.text());
    });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(host.url);
    await expect(page.getByRole('heading', { level: 1, name: 'Grok Lab' })).toBeVisible();
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true); // the host sends the headers
    await controlledByServiceWorker(page);

    // Offline: the reload comes from the precache, the worker and its wasm too.
    await context.setOffline(true);
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Grok Lab' })).toBeVisible();
    const start = page.getByRole('button', { name: 'Start' });
    await expect(start).toBeEnabled({ timeout: 90_000 });
    await expect(page.locator('.topbar__dataset')).toHaveText(/mod 31/); // the Fast MLP preset of a first visit
    await start.click();
    await expect(page.getByText(/Memorized at step|Grokked at step/)).toBeVisible({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByRole('button', { name: 'Resume' })).toBeEnabled();

    await page.getByRole('button', { name: 'Save run' }).click();
    await expect(page.locator('.runs-panel__list li').first()).toContainText(/step \d/);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSON' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.json$/);
    expect(errors).toEqual([]);

    // Back online, a new version is deployed; the next visit (a reload) finds it waiting and says so.
    await context.setOffline(false);
    await buildLab(dir, 'e2e-2');
    await page.reload();
    const prompt = page.getByRole('alert').filter({ hasText: 'A new version of Grok Lab is ready' });
    await expect(prompt).toBeVisible({ timeout: 60_000 });
    await expect(prompt).toHaveAttribute('data-version', 'e2e-1');
    const reloaded = page.waitForEvent('load');
    await prompt.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    await expect(page.getByRole('heading', { level: 1, name: 'Grok Lab' })).toBeVisible();
    await expect(prompt).toBeHidden();
    // The saved run survived the update.
    await expect(page.locator('.runs-panel__list li').first()).toContainText(/step \d/);
    expect(errors).toEqual([]);
  } finally {
    await host.close();
  }
});

test('GitHub Pages recipe: under /grok-lab/ with no headers, the service worker isolates the page (threaded wasm)', async ({
  page,
}) => {
  test.setTimeout(480_000);
  const dir = join(OUT, 'no-headers');
  await buildLab(dir, 'e2e-plain', '/grok-lab/'); // npm run build -- --base=/grok-lab/
  // No COOP/COEP, no CSP header (the <meta> CSP applies), a project site's path: a GitHub Pages host.
  const host = await serveStatic(dir, PORT_WITHOUT_HEADERS, {}, '/grok-lab/');
  try {
    const wasm: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('.wasm')) wasm.push(request.url().replace(/.*\//, ''));
    });
    await page.goto(host.url);
    await expect(page.getByRole('heading', { level: 1, name: 'Grok Lab' })).toBeVisible();
    // First load from the network, without the headers: not isolated.
    const isolated = () => page.evaluate(() => window.crossOriginIsolated).catch(() => false);
    // The service worker installs, takes control, and the page reloads itself once through it.
    await expect.poll(isolated, { timeout: 120_000 }).toBe(true);
    await expect(page.getByRole('heading', { level: 1, name: 'Grok Lab' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled({ timeout: 90_000 });
    // The isolated page runs the threaded binary. (Whether the first, unisolated load got as far as fetching the
    // single-threaded one depends on how fast the service worker takes over: not asserted.)
    expect(wasm.at(-1)).toMatch(/^tfjs-backend-wasm-threaded-simd-/);
  } finally {
    await host.close();
  }
});
