/**
 * Issue 25, the sweep's part, on the production build: two tabs of one browser never train one sweep twice (the
 * real Web Locks), a sweep link with classroom=1 shows the sweep and says why the layout changed, a valid link of
 * 409 600 cells is refused with its numbers instead of holding the page, and the form refuses 0x10 and repeated
 * values. No timed assertions: every wait is for a state.
 */
import { expect, test, type Page } from '@playwright/test';

const status = (page: Page) => page.getByTestId('sweep-status');

/** x 0.01..1:64:log, y 0..0.1:64, seeds 100 on the mlp preset: the link. */
const HUGE = {
  preset: 'mlp',
  x: { key: 'regularizers.weightDecay.coefficient', range: { from: 0.01, to: 1, count: 64, scale: 'log' } },
  y: { key: 'regularizers.radial.lambda', range: { from: 0, to: 0.1, count: 64, scale: 'linear' } },
  seeds: Array.from({ length: 100 }, (_, i) => i),
  steps: 10_000,
  evalEvery: 50,
};

test('a second tab shows the running sweep without training it, and can take it over', async ({
  context,
}) => {
  test.setTimeout(600_000);
  const first = await context.newPage();
  await first.goto('/#sweep=radial-map');
  await expect(status(first)).toHaveAttribute('data-status', 'paused', { timeout: 90_000 });
  await first.getByRole('button', { name: 'Resume sweep' }).click();
  await expect(status(first)).toHaveAttribute('data-saved', 'running', { timeout: 90_000 });

  // The second tab loads the lab: the stored sweep is running, in the first tab.
  const second = await context.newPage();
  await second.goto('/');
  await expect(status(second)).toHaveAttribute('data-elsewhere', 'true', { timeout: 90_000 });
  await expect(status(second)).toHaveText(/^training in another tab · \d+ done · 0 running/);
  await expect(
    second.getByText(/is training in another tab; this tab shows it without training it/),
  ).toBeVisible();
  await expect(second.getByRole('button', { name: 'Resume sweep' })).toHaveCount(0);
  await expect(status(first)).toHaveAttribute('data-status', 'running');

  // Taking it over: the first tab stops, the second trains.
  await second
    .getByRole('group', { name: 'Sweep controls' })
    .getByRole('button', { name: 'Take over here' })
    .click();
  await expect(status(second)).toHaveAttribute('data-status', 'running');
  await expect(status(first)).toHaveAttribute('data-elsewhere', 'true');
  await expect(status(first)).toHaveText(/^training in another tab · \d+ done · 0 running/);
  await expect(first.getByText(/Another tab took over the sweep/)).toBeVisible();
});

test('a sweep in classroom mode: large type, fits 1280×720, space pauses and resumes the sweep, not the lanes', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1280, height: 720 });
  // A sweep link with classroom=1 opens the sweep's classroom view, paused, ready to start.
  await page.goto('/#sweep=radial-map&classroom=1');
  const view = page.getByTestId('sweep-view');
  await expect(view).toHaveAttribute('data-layout', 'classroom', { timeout: 90_000 });
  const map = view.getByTestId('sweep-heatmap');
  await expect(map.locator('[data-point]')).toHaveCount(16);
  const status = view.getByTestId('sweep-status');
  await expect(status).toHaveAttribute('data-status', 'paused');

  // It fits the screen: nothing scrolls, the header's last control is on screen, and the map fills what the header
  // leaves, so its text is large (its 640×400 canvas drawn at least 1.4× larger: the 12-unit labels are ≥ 16.8 px).
  const scroll = await page.evaluate(() => ({
    width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
  }));
  expect(scroll.width).toBeLessThanOrEqual(1280);
  expect(scroll.height).toBeLessThanOrEqual(720);
  const toggle = (await view.getByRole('switch', { name: 'Classroom mode' }).boundingBox())!;
  expect(toggle.x + toggle.width).toBeLessThanOrEqual(1280);
  const box = (await map.locator('svg').boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(720);
  expect(Math.min(box.width / 640, box.height / 400)).toBeGreaterThanOrEqual(1.4);

  // Space pauses and resumes the sweep on screen.
  await page.keyboard.press('Space');
  await expect(status).toHaveAttribute('data-status', 'running');
  await page.keyboard.press('Space');
  await expect(status).toHaveAttribute('data-status', 'paused');
  // The lanes behind it were not started: back in the lab layout, the lab's run is still ready to start.
  await view.getByRole('switch', { name: 'Classroom mode' }).click();
  await page.getByRole('button', { name: 'Back to the lanes' }).click();
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled({ timeout: 90_000 });
  expect(errors).toEqual([]);
});

test('a link of 409 600 cells is refused with its numbers, and the form refuses 0x10 and repeated values', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`/#sweep=${encodeURIComponent(JSON.stringify(HUGE))}`);
  await expect(page.getByText(/This sweep cannot run in the lab: this sweep is 409 600 cells/)).toBeVisible({
    timeout: 90_000,
  });
  // The page answers: the lab's run is ready and the sweep view opens, empty.
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled({ timeout: 90_000 });
  await page.getByRole('button', { name: 'Sweep: phase diagram' }).click();
  await expect(page.getByText('No sweep yet: start one above.')).toBeVisible();

  const form = page.getByRole('region', { name: 'New sweep' });
  const alert = form.getByRole('alert');
  await form.getByLabel('x values').fill('0x10,1');
  await form.getByRole('button', { name: 'Start sweep' }).click();
  await expect(alert).toContainText('"0x10" is not a decimal number (write 16 if you mean 0x10)');
  await form.getByLabel('x values').fill('0.3,0.30000000000000004');
  await form.getByRole('button', { name: 'Start sweep' }).click();
  await expect(alert).toContainText('0.3 and 0.30000000000000004 are one value');
  await form.getByLabel('x values').fill('1..1:5');
  await form.getByRole('button', { name: 'Start sweep' }).click();
  await expect(alert).toContainText('the range 1..1:5 repeats values');
  await form.getByLabel('x values').fill('0.3,1');
  await form.getByLabel('Seeds').fill('0x2');
  await form.getByRole('button', { name: 'Start sweep' }).click();
  await expect(alert).toContainText(
    'seeds: give a whole number from 1 to 100 ("0x2" is not a decimal number',
  );
  await expect(page.getByTestId('sweep-status')).toHaveCount(0);
  expect(errors).toEqual([]);
});
