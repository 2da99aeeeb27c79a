/**
 * The lab's sweep against the production build and real training workers: open the sweep from the sidebar, start
 * a tiny 2×2 sweep through the form (one worker, 1 000-step budget), watch a running cell show its test accuracy
 * and finished cells fill in, pause and resume, reload mid-sweep (finished cells kept, the rest trained again),
 * open a finished cell's curves as a lane, race two cells, and export JSON, CSV and SVG (checked for content).
 * A malformed sweep link opens the lab with a message. No timed assertions: every wait is for a state.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

const status = (page: Page) => page.getByTestId('sweep-status');
const done = async (page: Page): Promise<number> => Number(await status(page).getAttribute('data-done'));

async function download(page: Page, name: string): Promise<string> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('group', { name: 'Sweep exports' }).getByRole('button', { name }).click(),
  ]);
  return readFileSync((await file.path())!, 'utf8');
}

test('sweep: a 2×2 map fills in live, survives a pause and a reload, opens cells as lanes and exports', async ({
  page,
}) => {
  test.setTimeout(900_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled({ timeout: 90_000 });

  await page.getByRole('button', { name: 'Sweep: phase diagram' }).click();
  const form = page.getByRole('region', { name: 'New sweep' });
  await expect(form.getByRole('button', { name: 'Where does the radial penalty help?' })).toBeVisible();
  await expect(form.getByRole('button', { name: 'How much data?' })).toBeVisible();
  await form.getByLabel('x knob').selectOption('regularizers.weightDecay.coefficient');
  await form.getByLabel('x values').fill('0.3,1');
  await form.getByLabel('y knob').selectOption('regularizers.radial.lambda');
  await form.getByLabel('y values').fill('0,0.01');
  await form.getByLabel('Step budget').fill('1000');
  await form.getByLabel('Seeds').fill('1');
  // A bad value is refused with a message naming it, and nothing starts.
  await form.getByLabel('x values').fill('0.3,abc');
  await form.getByRole('button', { name: 'Start sweep' }).click();
  await expect(form.getByRole('alert')).toContainText('"abc" is not a number');
  await form.getByLabel('x values').fill('0.3,1');
  await form.getByRole('button', { name: 'Start sweep' }).click();
  await page.getByRole('spinbutton', { name: /Workers/ }).fill('1');

  // Live: a running cell shows its current test accuracy; finished cells get a value.
  const map = page.getByTestId('sweep-heatmap');
  await expect(map.locator('[data-point]')).toHaveCount(4);
  await expect(map.locator('[data-point]').filter({ hasText: /%$/ }).first()).toBeVisible({
    timeout: 180_000,
  });
  await expect.poll(() => done(page), { timeout: 300_000 }).toBeGreaterThanOrEqual(1);

  // Pause: nothing runs on; resume.
  await page.getByRole('button', { name: 'Pause sweep' }).click();
  await expect(status(page)).toHaveAttribute('data-status', 'paused');
  const pausedAt = await done(page);
  expect(pausedAt).toBeLessThan(4);
  await page.getByRole('button', { name: 'Resume sweep' }).click();
  await expect(status(page)).toHaveAttribute('data-status', 'running');
  // What a reload resumes is what was last saved in IndexedDB: wait for the resume to be saved.
  await expect(status(page)).toHaveAttribute('data-saved', 'running');

  // A reload mid-sweep: the finished cells are kept, the rest are trained (again) to the end.
  await page.reload();
  await expect(page.getByTestId('sweep-view')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByText(/Resumed the sweep .*finished cell\(s\) kept/)).toBeVisible();
  expect(await done(page)).toBeGreaterThanOrEqual(pausedAt);
  await expect(status(page)).toHaveAttribute('data-status', /running|done/);
  await expect(status(page)).toHaveAttribute('data-status', 'done', { timeout: 600_000 });
  await expect(map.locator('[data-point] > text').filter({ hasText: /%|…/ })).toHaveCount(0);
  // Hover text gives both knob values, the outcome and the seeds counted by outcome.
  await expect(map.locator('[data-point="1,0"]')).toHaveAttribute(
    'aria-label',
    /regularizers\.weightDecay\.coefficient = 1, regularizers\.radial\.lambda = 0: .*\. 1 seed: 1 (grokked|not grokked|diverged)/,
  );

  // Exports, checked for content.
  const json = JSON.parse(await download(page, 'Export JSON')) as {
    kind: string;
    spec: { steps: number };
    cells: { status: string }[];
  };
  expect(json.kind).toBe('grok-lab-sweep');
  expect(json.spec.steps).toBe(1000);
  expect(json.cells).toHaveLength(4);
  expect(json.cells.every((cell) => ['grokked', 'budget', 'diverged'].includes(cell.status))).toBe(true);
  const csv = (await download(page, 'Export CSV')).trim().split('\n');
  expect(csv[0]).toBe(
    'regularizers.weightDecay.coefficient,regularizers.radial.lambda,seed,stepsToGrok,stoppedBecause,finalStep,finalTestAccuracy',
  );
  expect(csv).toHaveLength(5);
  const svg = await download(page, 'Export SVG');
  expect(svg).toContain('<svg');
  expect(svg).toContain('4/4 runs');

  // Share: the link opens the same sweep, ready to start.
  await page.getByRole('button', { name: 'Share link' }).click();
  const link = await page.getByRole('textbox', { name: 'Sweep link' }).inputValue();
  expect(link).toContain('#sweep=');

  // A finished cell opens as a lane with its curves.
  await map.locator('[data-point="1,0"]').click();
  await expect(page.getByTestId('sweep-view')).toHaveCount(0);
  await expect
    .poll(async () => Number((await page.getByTestId('step-counter').textContent())?.replace(/\D/g, '')), {
      timeout: 90_000,
    })
    .toBeGreaterThan(0);

  // Two cells raced as two lanes.
  await page.getByRole('button', { name: 'Sweep: phase diagram' }).click();
  await page.getByRole('radio', { name: /picks cells to race/ }).check();
  await map.locator('[data-point="0,0"]').click();
  await map.locator('[data-point="1,1"]').click();
  await page.getByRole('button', { name: /Race these two cells/ }).click();
  await expect(page.getByTestId('race-view')).toBeVisible({ timeout: 90_000 });

  // The shared link opens that sweep (paused, ready to start); a malformed one opens the lab with a message.
  await page.goto(link);
  await page.reload(); // only the hash changed: load the page anew, as a click on the link would
  await expect(page.getByTestId('sweep-view')).toBeVisible({ timeout: 90_000 });
  await page.goto('/#sweep=%7B%22x%22%3A');
  await page.reload();
  await expect(page.getByText(/The link's sweep cannot be opened: its JSON is cut short/)).toBeVisible({
    timeout: 90_000,
  });
  expect(errors).toEqual([]);
});
