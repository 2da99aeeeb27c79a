/**
 * Race mode against the production build and two real training workers: start the radial race from the preset
 * area, watch both lanes' metrics arrive and diverge, switch a regularizer in one lane only (its marker and
 * change list appear in that lane only), pause both, reset both. Screenshot: test-results/race.png.
 */
import { expect, test, type Page } from '@playwright/test';

const number = (text: string | null): number => Number((text ?? '').replace(/[^\d.]/g, '') || 'NaN');

const laneStep = async (page: Page, lane: number): Promise<number> =>
  number(await page.getByTestId(`lane-${lane}-step`).textContent());

/** Latest legend values of a race chart, in series order. */
const latest = (page: Page, chart: string): Promise<string[]> =>
  page
    .locator(`figure[data-chart="${chart}"] .chart__latest`)
    .evaluateAll((elements) => elements.map((element) => element.textContent ?? ''));

test('race mode: two lanes train side by side; a change in one lane stays in that lane', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled({ timeout: 90_000 });

  // One button in the preset area starts the radial race.
  await page.getByRole('button', { name: 'Race: plain vs radial penalty' }).click();
  const view = page.getByTestId('race-view');
  await expect(view).toBeVisible();
  await expect(view.getByRole('heading', { name: /radial vs plain/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Lane radial' })).toContainText('Radial penalty on');
  await expect(page.getByRole('region', { name: 'Lane plain' })).toContainText('Radial penalty off');

  // Both lanes train at once, on one backend and one evaluation schedule, each showing its steps/s.
  await expect.poll(() => laneStep(page, 0), { timeout: 90_000 }).toBeGreaterThan(150);
  await expect.poll(() => laneStep(page, 1), { timeout: 90_000 }).toBeGreaterThan(150);
  await expect(page.getByTestId('race-fairness')).toHaveText(
    /Fair race: both lanes on (WASM|WebGL|WebGPU|CPU), evaluated every 50 steps, seed 0/,
  );
  for (const lane of [0, 1]) {
    await expect
      .poll(async () => number(await page.getByTestId(`lane-${lane}-rate`).textContent()))
      .toBeGreaterThan(0);
    await expect(page.getByTestId(`lane-${lane}-test`)).toHaveText(/%/);
  }
  // The overlay charts have a line per lane, and the lanes diverge: the radial lane's hidden radius is held
  // near 1 while the plain lane's drifts away.
  await expect
    .poll(async () => (await latest(page, 'race-accuracy')).filter((text) => text !== '—').length, {
      timeout: 60_000,
    })
    .toBe(4);
  await expect
    .poll(
      async () => {
        const [radial, plain] = (await latest(page, 'race-radius')).map(Number);
        return Math.abs(radial - plain) / Math.max(radial, plain);
      },
      { timeout: 90_000 },
    )
    .toBeGreaterThan(0.02);
  await expect(page.locator('figure[data-chart="race-accuracy"] path.recharts-line-curve[d]')).toHaveCount(4);

  // Switch Grokfast on in the plain lane only: a marker named by that lane, a change in its list, none in radial's.
  await page.getByRole('switch', { name: 'plain: Grokfast' }).click();
  await expect(page.getByTestId('lane-1-events')).toContainText('Grokfast on', { timeout: 30_000 });
  await expect(page.getByTestId('lane-0-events')).toHaveText('');
  await expect(page.getByRole('switch', { name: 'radial: Grokfast' })).toHaveAttribute(
    'aria-checked',
    'false',
  );
  await expect(
    page.locator('figure[data-chart="race-accuracy"] .chart__marker-label', {
      hasText: 'plain: Grokfast on',
    }),
  ).toHaveCount(1, { timeout: 30_000 });
  await expect(
    page.locator('figure[data-chart="race-accuracy"] .chart__marker-label', { hasText: 'radial:' }),
  ).toHaveCount(0);
  // Let the change show in the curves before the picture.
  const at = await laneStep(page, 1);
  await expect.poll(() => laneStep(page, 1), { timeout: 60_000 }).toBeGreaterThan(at + 200);
  // Tall enough for the whole race view (the lab's main column scrolls inside the page).
  await page.setViewportSize({ width: 1400, height: 2000 });
  await page.getByTestId('race-view').screenshot({ path: 'test-results/race.png' });
  await page.setViewportSize({ width: 1400, height: 1000 });

  // Pausing pauses both lanes.
  await page.getByRole('button', { name: 'Pause race' }).click();
  await expect(page.getByRole('button', { name: 'Resume race' })).toBeVisible();
  await expect(page.getByTestId('lane-0-status')).toHaveText('paused', { timeout: 30_000 });
  await expect(page.getByTestId('lane-1-status')).toHaveText('paused', { timeout: 30_000 });
  const paused = [await laneStep(page, 0), await laneStep(page, 1)];
  await page.waitForTimeout(1500);
  expect([await laneStep(page, 0), await laneStep(page, 1)]).toEqual(paused);

  // Reset restarts both lanes from step 0 with their starting settings (the plain lane's change is gone).
  await page.getByRole('button', { name: 'Reset race' }).click();
  await expect.poll(() => laneStep(page, 0), { timeout: 60_000 }).toBe(0);
  await expect.poll(() => laneStep(page, 1), { timeout: 60_000 }).toBe(0);
  await expect(page.getByTestId('lane-1-events')).toHaveText('');
  await expect(page.getByRole('switch', { name: 'plain: Grokfast' })).toHaveAttribute(
    'aria-checked',
    'false',
  );
  await expect(page).toHaveURL(/#race=radialRescue/);
  expect(errors).toEqual([]);
});
