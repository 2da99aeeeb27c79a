/**
 * Security and endurance in real Chromium against the production build (`vite preview`, which sends the
 * Content-Security-Policy header): the app and a training run make no third-party request and trigger no CSP
 * violation (wasm runs under 'wasm-unsafe-eval', no eval, no inline script), and a few thousand steps in the
 * worker leave tf.memory().numTensors constant; a saved run survives a reload.
 */
import { expect, test, type Page } from '@playwright/test';
import type {} from '../src/harness/main';
import { savedSnapshotSteps } from './savedRuns';

const TINY = {
  task: { modulus: 7, trainFraction: 0.5 },
  model: { kind: 'mlp', embedDim: 8, hiddenWidth: 32 },
  optimizer: { warmupSteps: 0 },
  training: { maxSteps: 1_000_000, evalEvery: 100 },
};

interface Watch {
  requests: string[];
  violations: string[];
  errors: string[];
}

/** Records every request (page and workers), CSP violations and page errors from the first byte on. */
async function watch(page: Page): Promise<Watch> {
  const seen: Watch = { requests: [], violations: [], errors: [] };
  page.context().on('request', (request) => seen.requests.push(request.url()));
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) seen.violations.push(message.text());
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`Content-Security-Policy violation: ${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  return seen;
}

function thirdParty(requests: readonly string[], origin: string): string[] {
  return requests.filter((url) => !url.startsWith(`${origin}/`) && !/^(blob|data):/.test(url));
}

test('the preview sends a strict CSP; the app loads with no violation and no third-party request', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const seen = await watch(page);
  const response = await page.goto('/');
  const csp = response!.headers()['content-security-policy'];
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
  expect(csp).toContain("connect-src 'self'");
  // The lab has started its worker and built its first run (wasm loaded): a state, however long it takes.
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled({ timeout: 180_000 });
  expect(seen.violations).toEqual([]);
  expect(seen.errors).toEqual([]);
  expect(thirdParty(seen.requests, baseURL!)).toEqual([]);
});

test('a training run in the worker under the CSP: wasm works, only same-origin requests', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const seen = await watch(page);
  await page.goto('/harness.html');
  await page.waitForFunction(() => document.title.includes('(ready)'));
  const init = await page.evaluate((config) => window.grokHarness.init(config, 'wasm'), TINY);
  expect(init).toMatchObject({ ok: true, backend: { backend: 'wasm' } });
  await page.evaluate(() => window.grokHarness.client!.step(200));
  // The last metric batch may still be on its way when step() resolves.
  await expect.poll(() => page.evaluate(() => window.grokHarness.summary().step)).toBe(200);
  const summary = await page.evaluate(() => window.grokHarness.summary());
  expect(summary.workerErrors).toEqual([]);
  expect(seen.violations).toEqual([]);
  expect(seen.errors).toEqual([]);
  expect(seen.requests.some((url) => url.endsWith('.wasm'))).toBe(true);
  expect(thirdParty(seen.requests, baseURL!)).toEqual([]);
});

test('soak in the worker: 2 500 steps keep tf.memory().numTensors constant', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/harness.html');
  await page.waitForFunction(() => document.title.includes('(ready)'));
  await page.evaluate((config) => window.grokHarness.init(config, 'wasm'), TINY);
  const counts: number[] = [];
  for (let chunk = 0; chunk < 5; chunk++) {
    await page.evaluate(() => window.grokHarness.client!.step(500));
    const memory = await page.evaluate(() => window.grokHarness.memory());
    counts.push(memory!.numTensors);
  }
  test.info().annotations.push({ type: 'numTensors', description: counts.join(', ') });
  console.log(`worker soak: numTensors after each 500 steps: ${counts.join(', ')}`);
  await expect.poll(() => page.evaluate(() => window.grokHarness.summary().step)).toBe(2500);
  expect(new Set(counts).size).toBe(1);
});

test('a saved run survives a reload: the lab offers to resume it at the step it stopped', async ({
  page,
}) => {
  test.setTimeout(420_000);
  const stepCount = async (): Promise<number> =>
    Number((await page.getByTestId('step-counter').textContent())?.replace(/\D/g, '') ?? 'NaN');
  await page.goto('/');
  const start = page.getByRole('button', { name: 'Start' });
  await expect(start).toBeEnabled({ timeout: 90_000 });
  await start.click();
  await expect.poll(stepCount, { timeout: 120_000 }).toBeGreaterThan(50);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.locator('.status')).toHaveText('Paused', { timeout: 120_000 });
  const pausedAt = await stepCount();
  // The autosave on stop goes to IndexedDB: reload once it holds the weights at the paused step.
  await expect.poll(() => savedSnapshotSteps(page)).toContain(pausedAt);
  await page.reload();
  const notices = page.getByRole('list', { name: 'Notices' });
  await expect(notices.getByText(/Resume your last run/)).toBeVisible({ timeout: 90_000 });
  await notices.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(stepCount, { timeout: 120_000 }).toBe(pausedAt);
  await expect(page.locator('.status')).toHaveText('Paused');
});
