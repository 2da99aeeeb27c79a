/**
 * The custom task box and Start, typed with the real keyboard in the production build (issue 25, item 6): Start
 * trained the last valid text ("(7) mod 31") while the box showed an error. It must refuse, saying why, and train
 * exactly what the box shows once it is valid.
 */
import { expect, test, type Page } from '@playwright/test';

const stepCount = async (page: Page): Promise<number> =>
  Number(((await page.getByTestId('step-counter').textContent()) ?? '0').replace(/\D/g, ''));

/** Replaces the box's text as a user does: select all, then type (or paste, which inserts the text at once). */
async function enter(page: Page, text: string, how: 'type' | 'paste'): Promise<void> {
  const box = page.getByLabel(/^Operation in a and b/);
  await box.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  if (how === 'type') await page.keyboard.type(text);
  else await page.keyboard.insertText(text);
  await expect(box).toHaveValue(text);
}

test('Start refuses a task box with an error, says why, and trains what the box shows', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  const start = page.getByRole('button', { name: 'Start' });
  await expect(start).toBeEnabled({ timeout: 90_000 });
  await page.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'Fast MLP' });
  await expect(page.locator('.topbar__dataset')).toHaveText(/mod 31/, { timeout: 60_000 });
  await expect(start).toBeEnabled({ timeout: 60_000 });
  await page.getByRole('combobox', { name: 'Operation' }).selectOption({ label: 'Custom expression…' });
  const box = page.getByLabel(/^Operation in a and b/);
  const notices = page.getByRole('list', { name: 'Notices' });

  const refused: [string, 'type' | 'paste', RegExp][] = [
    [
      'a\u200b+b',
      'paste',
      /Can’t start: Operation: unexpected U\+200B at position 2 \(an invisible character\)/,
    ],
    [
      '\ufeffa+b',
      'paste',
      /Can’t start: Operation: unexpected U\+FEFF at position 1 \(an invisible character\)/,
    ],
    ['a % (b*0)', 'type', /Can’t start: Operation: "a % \(b\*0\)" is undefined for every pair/],
    ['a/0', 'type', /Can’t start: Operation: "a\/0" is undefined for every pair/],
    ['   ', 'type', /Can’t start: Operation: expression is empty/],
  ];
  for (const [text, how, reason] of refused) {
    // First a valid constant (accepted, "nothing to learn"): the text an ignored edit would have trained.
    await enter(page, '7', 'type');
    await expect(box).toHaveAttribute('aria-invalid', 'false');
    await expect(page.getByText(/^Note: the answer is the same for every pair/)).toBeVisible();
    await enter(page, text, how);
    await expect(box).toHaveAttribute('aria-invalid', 'true');
    await start.click();
    // The refusal comes before anything reaches the worker: once it shows, nothing was built or started.
    await expect(notices.getByText(reason)).toBeVisible();
    await expect(page.locator('.topbar__dataset')).toHaveText(/^\(a \+ b\) mod 31/);
    await expect(start).toHaveText('Start');
    expect(await stepCount(page)).toBe(0);
  }

  await enter(page, 'a*a + b', 'type');
  await expect(box).toHaveAttribute('aria-invalid', 'false');
  await start.click();
  await expect(page.locator('.topbar__dataset')).toHaveText(/^\(a\*a \+ b\) mod 31/, { timeout: 60_000 });
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});
