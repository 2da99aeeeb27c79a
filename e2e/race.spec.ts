/**
 * Race mode against the production build and two real training workers: start the radial race from the preset
 * area, watch both lanes' metrics arrive and diverge, switch a regularizer in one lane only (its marker and
 * change list appear in that lane only), pause both (button, top bar and space bar: the top bar and the shortcuts
 * drive the race, not the hidden single run), reset both (button and r). A race saved in the runs reopens with both
 * lanes.
 * Screenshot: test-results/race.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { raceLanes } from '../src/app/race/lanes';
import { RUN_DB_NAME, RUN_RECORD_VERSION, type StoredRun } from '../src/lib/runStore';
import { metricRecord } from '../src/lib/testRuns';

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

  // Keyboard shortcuts act on the race while its view is open: space pauses both lanes, then resumes both; the
  // hidden single run does not start.
  const singleRun = page.getByRole('group', { name: 'Run controls' });
  const singleStep = await page.getByTestId('step-counter').textContent();
  await blur(page);
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Resume race' })).toBeVisible();
  await expect(page.getByTestId('lane-0-status')).toHaveText('paused', { timeout: 30_000 });
  await expect(page.getByTestId('lane-1-status')).toHaveText('paused', { timeout: 30_000 });
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Pause race' })).toBeVisible();
  await expect(page.getByTestId('lane-0-status')).toHaveText('running');
  await expect(page.getByTestId('lane-1-status')).toHaveText('running');
  expect(await page.getByTestId('step-counter').textContent()).toBe(singleStep);

  // So do the top bar's controls: its Pause pauses both lanes, Resume resumes both, Step is off while the race is
  // shown; the single run's step counter stays 0.
  await expect(singleRun.getByRole('button', { name: 'Step' })).toBeDisabled();
  await singleRun.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Resume race' })).toBeVisible();
  await expect(page.getByTestId('lane-0-status')).toHaveText('paused', { timeout: 30_000 });
  await expect(page.getByTestId('lane-1-status')).toHaveText('paused', { timeout: 30_000 });
  await expect(page.getByTestId('step-counter')).toHaveText('0');
  await singleRun.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('lane-0-status')).toHaveText('running');
  await expect(page.getByTestId('lane-1-status')).toHaveText('running');

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

  // Space starts the race again; paused, r resets both lanes to step 0. The single run never moved.
  await blur(page);
  await page.keyboard.press('Space');
  await expect.poll(() => laneStep(page, 0), { timeout: 60_000 }).toBeGreaterThan(100);
  await expect.poll(() => laneStep(page, 1), { timeout: 60_000 }).toBeGreaterThan(100);
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Resume race' })).toBeVisible();
  await page.keyboard.press('r');
  await expect.poll(() => laneStep(page, 0), { timeout: 60_000 }).toBe(0);
  await expect.poll(() => laneStep(page, 1), { timeout: 60_000 }).toBe(0);
  await expect(page.locator('.readouts .status')).toHaveText('Ready');
  expect(await page.getByTestId('step-counter').textContent()).toBe(singleStep);
  expect(errors).toEqual([]);
});

/** Keys go to the page, not to the button last clicked (space would press it). */
const blur = (page: Page): Promise<void> =>
  page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

/** A finished radial race as the race store saves it: radial groks at step 3 650, plain at 4 500. */
function savedRace(): StoredRun {
  const race = raceLanes('radialRescue');
  if (!race.ok) throw new Error('the radial race is gone');
  const grokSteps = [3650, 4500];
  const lanes = race.lanes.map((lane, i) => {
    const history = Array.from({ length: (grokSteps[i] + 500) / 50 + 1 }, (_, k) => {
      const step = k * 50;
      return metricRecord(step, {
        trainAccuracy: Math.min(1, step / 400),
        testAccuracy: step >= grokSteps[i] ? 1 : Math.min(0.6, step / 8000),
      });
    });
    return {
      name: lane.name,
      difference: lane.difference,
      config: lane.config,
      history,
      events: [],
      status: 'finished' as const,
      wallTimeMs: history.at(-1)!.trainingMs,
      backend: 'wasm',
      grokStep: grokSteps[i],
    };
  });
  return {
    id: 'saved-race',
    name: `Race · ${race.title}`,
    createdAt: Date.now(),
    updatedAt: Date.now(),
    config: lanes[0].config,
    history: lanes[0].history,
    events: [],
    status: 'finished',
    wallTimeMs: lanes[0].wallTimeMs,
    comparison: {
      kind: 'race',
      title: race.title,
      preset: 'radialRescue',
      evalEvery: 50,
      winner: 0,
      summary: null,
      lanes,
    },
  };
}

test('a race saved in the runs reopens with both lanes: curves, finish lines and the result', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled({ timeout: 90_000 });
  // The runs list has been read: the database exists. Store the race as the lab's run store does.
  await expect(page.getByText(/Runs are saved here/)).toBeVisible();
  const record = { ...savedRace(), recordVersion: RUN_RECORD_VERSION, hasSnapshot: false };
  await page.evaluate(
    ({ name, record }) =>
      new Promise<void>((resolve, reject) => {
        const opening = indexedDB.open(name);
        opening.onerror = () => reject(opening.error);
        opening.onsuccess = () => {
          const transaction = opening.result.transaction('runs', 'readwrite');
          transaction.objectStore('runs').put(record);
          transaction.oncomplete = () => {
            opening.result.close();
            resolve();
          };
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    { name: RUN_DB_NAME, record },
  );
  await page.reload();
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled({ timeout: 90_000 });
  await expect(page.getByText(/race of radial, plain, won by radial/)).toBeVisible();
  await page.getByRole('button', { name: /^Open Race · / }).click();

  const view = page.getByTestId('race-view');
  await expect(view).toBeVisible();
  await expect(view.getByRole('heading', { name: /radial vs plain/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Lane radial' })).toContainText('Radial penalty on');
  await expect(page.getByRole('region', { name: 'Lane plain' })).toContainText('Radial penalty off');
  await expect(page.getByTestId('lane-0-finish')).toHaveText(/^step 3\D650/);
  await expect(page.getByTestId('lane-1-finish')).toHaveText(/^step 4\D500/);
  await expect(page.getByTestId('race-banner')).toContainText(
    /radial grokked at step 3\D650 in [\d.]+ s; plain grokked at step 4\D500/,
  );
  await expect(page.getByTestId('race-saved')).toContainText('reopened from your runs');
  // Both lanes' curves (test and train each) and both finish lines, in the lanes' colours.
  const accuracy = page.locator('figure[data-chart="race-accuracy"]');
  await expect(accuracy.locator('path.recharts-line-curve[d]')).toHaveCount(4);
  await expect(accuracy.locator('.chart__marker-label', { hasText: 'radial grokked' })).toHaveCount(1);
  await expect(accuracy.locator('.chart__marker-label', { hasText: 'plain grokked' })).toHaveCount(1);
  // Read-only: nothing to start; the single run behind it is untouched.
  await expect(page.getByRole('button', { name: 'Start race' })).toBeDisabled();
  await expect(page.getByTestId('step-counter')).toHaveText('0');
  expect(errors).toEqual([]);
});
