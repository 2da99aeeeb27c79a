/**
 * The lab page against the production build and the real training worker: pick a preset, train, watch every
 * chart fill, toggle the radial penalty mid-run (marker + penalty scalar), pause/resume, reset, classroom mode.
 * Screenshots of the main view and of classroom mode go to test-results/.
 */
import { expect, test, type Page } from '@playwright/test';

const stepCount = async (page: Page): Promise<number> =>
  Number((await page.getByTestId('step-counter').textContent())?.replace(/\D/g, '') ?? 'NaN');

/** Every time-series chart on the page and whether it has drawn a line. */
async function chartState(page: Page): Promise<{ id: string; lines: number; latest: string[] }[]> {
  return page.locator('figure[data-chart]').evaluateAll((figures) =>
    figures.map((figure) => ({
      id: figure.getAttribute('data-chart') ?? '',
      lines: figure.querySelectorAll('path.chart__line[d]').length,
      latest: [...figure.querySelectorAll('.chart__latest')].map((element) => element.textContent ?? ''),
    })),
  );
}

test('the lab: preset, live training, a mid-run regularizer change, pause/resume, reset, classroom', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Grok Lab' })).toBeVisible();
  const start = page.getByRole('button', { name: 'Start' });
  await expect(start).toBeEnabled({ timeout: 90_000 });
  await expect(page.locator('.backend__badge')).toHaveText(/WebGPU|WebGL|WASM|CPU/);

  // Pick a preset: the run is rebuilt and its description shown.
  await page.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'Fast MLP' });
  await expect(page.getByText(/A small MLP on \(a\+b\) mod 31/)).toBeVisible();
  await expect(start).toBeEnabled({ timeout: 120_000 });
  await expect(page.locator('.topbar__dataset')).toHaveText(/mod 31/);
  // The run must still be running at every step below, however fast the machine: no stop after grokking, no
  // budget it could reach (the preset's would end it ≈ 12 s in on a quiet machine).
  for (const [label, value] of [
    ['Stop after grokking', '0'],
    ['Step budget', '10000000'],
  ]) {
    await page.getByLabel(label, { exact: true }).fill(value);
    await page.getByLabel(label, { exact: true }).blur();
    await expect(page.getByLabel(label, { exact: true })).toHaveValue(value);
  }

  // Train: the step counter moves and every chart receives data.
  await start.click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThan(20);
  await expect
    .poll(
      async () => (await chartState(page)).filter((chart) => chart.lines === 0 || chart.latest.includes('—')),
      {
        timeout: 120_000,
      },
    )
    .toEqual([]);
  const charts = (await chartState(page)).map((chart) => chart.id);
  expect(charts).toEqual(
    expect.arrayContaining(['accuracy', 'loss', 'weightNorm', 'radius', 'radialShare', 'age']),
  );

  // Hover a streaming chart: a crosshair reads out every series at the nearest step; the keys move it, Esc leaves.
  const accuracy = page.locator('figure[data-chart="accuracy"]');
  const readout = accuracy.locator('.chart__readout');
  const layer = accuracy.locator('.chart__hover');
  // Hovered again if the page's layout moved the chart from under the mouse (the grokking banner appearing).
  let hoveredStep = '';
  await expect(async () => {
    const box = await layer.boundingBox();
    await layer.hover({ position: { x: 30, y: (box?.height ?? 0) / 2 } });
    await expect(readout.locator('li')).toHaveText([/^train\d+(\.\d)?%$/, /^test\d+(\.\d)?%$/], {
      timeout: 1000,
    });
    await expect(accuracy.locator('.chart__crosshair-line')).toBeVisible({ timeout: 1000 });
    hoveredStep = (await readout.locator('.chart__readout-step').textContent({ timeout: 1000 })) ?? '';
  }).toPass({ timeout: 60_000 });
  expect(hoveredStep).toMatch(/^step \d/);
  // The mouse leaves first: while it rests on a streaming chart, Chromium's synthetic mouse moves after each
  // re-render put the crosshair back under it, which is right for a mouse but would race the keys here.
  await page.mouse.move(0, 0);
  await expect(readout).toHaveCount(0);
  // End goes to the latest drawn step; pressed again until the run has drawn one past the hovered step (the
  // hover may have come when a single evaluation was on the chart).
  await expect(async () => {
    await layer.press('End');
    await expect(readout.locator('.chart__readout-step')).toHaveText(/^step \d/, { timeout: 1000 });
    await expect(readout.locator('.chart__readout-step')).not.toHaveText(hoveredStep, { timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  await layer.press('Escape');
  await expect(readout).toHaveCount(0);

  // Mid-run: switch the radial penalty on. A labelled marker appears on every time-series chart and the
  // penalty's own chart starts reporting a changing value.
  const radial = page.getByRole('switch', { name: 'Radial penalty' });
  await expect(radial).toHaveAttribute('aria-checked', 'false');
  await radial.click();
  await expect(radial).toHaveAttribute('aria-checked', 'true');
  const figures = page.locator('figure[data-chart]');
  await expect
    .poll(
      () =>
        figures.evaluateAll(
          (all) => all.filter((figure) => figure.querySelector('.chart__marker--event') === null).length,
        ),
      { timeout: 120_000 },
    )
    .toBe(0);
  await expect(
    page.locator('figure[data-chart="accuracy"] .chart__marker-label', { hasText: 'Radial penalty on' }),
  ).toHaveCount(1);
  const penalty = page.locator('figure[data-chart="regularizer-radial"] .chart__latest');
  await expect(penalty).toBeVisible({ timeout: 120_000 });
  await expect(penalty).not.toHaveText('—');
  const firstPenalty = await penalty.textContent();
  await expect.poll(() => penalty.textContent(), { timeout: 120_000 }).not.toBe(firstPenalty);

  await page.screenshot({ path: 'test-results/lab-main.png' });

  // Pause: the counter stops. Resume: it moves on.
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.locator('.status')).toHaveText('Paused', { timeout: 120_000 });
  const pausedAt = await stepCount(page);
  await page.waitForTimeout(1500);
  expect(await stepCount(page)).toBe(pausedAt);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBeGreaterThan(pausedAt);

  // Classroom mode: large layout, three views, fits 1280×720 without scrolling.
  await page.getByRole('switch', { name: 'Classroom mode' }).click();
  await expect(page.locator('.classroom')).toBeVisible();
  expect(
    await page
      .locator('figure[data-chart]')
      .evaluateAll((all) => all.map((f) => f.getAttribute('data-chart'))),
  ).toEqual(['accuracy', 'radius']);
  await expect(page.getByRole('heading', { name: 'Predictions on every pair' })).toBeVisible();
  const overflow = await page.evaluate(() => ({
    width: document.documentElement.scrollWidth - window.innerWidth,
    height: document.documentElement.scrollHeight - window.innerHeight,
  }));
  expect(overflow).toEqual({ width: 0, height: 0 });
  await page.waitForTimeout(1000);
  await page.screenshot({ path: 'test-results/lab-classroom.png' });
  // The space bar pauses (no field has focus).
  await page.locator('body').focus();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible({ timeout: 120_000 });
  await page.getByRole('switch', { name: 'Classroom mode' }).click();

  // Reset: back to step 0, charts empty, the penalty still on (same seed, same initial weights).
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect.poll(() => stepCount(page), { timeout: 120_000 }).toBe(0);
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
  await expect(page.locator('figure[data-chart="accuracy"] .chart__empty')).toBeVisible();
  await expect(radial).toHaveAttribute('aria-checked', 'true');

  // The address bar shares the experiment.
  expect(page.url()).toContain('preset=mlp');
  expect(errors).toEqual([]);
});
