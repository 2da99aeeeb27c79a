/**
 * Uploaded CSV tables in the real page (issue 17, items 1 and 7): a small uploaded table can be started after a
 * reset (the pending-change check compared the rows array by identity, so Start did nothing), and a table too large
 * for a link survives a reload (it lives in IndexedDB and the link carries its SHA-256).
 */
import { expect, test, type Page } from '@playwright/test';

function csv(p: number, result: (a: number, b: number) => number): string {
  const lines = ['a,b,result'];
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) lines.push(`${a},${b},${result(a, b) % p}`);
  return `${lines.join('\n')}\n`;
}

async function openLab(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled({ timeout: 90_000 });
}

async function uploadTable(page: Page, name: string, text: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Operation' }).selectOption({ label: 'Custom expression…' });
  await page
    .getByLabel(/upload a table/)
    .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await expect(page.getByText(new RegExp(`Uploaded table “${name.replace('.', '\\.')}”`))).toBeVisible();
}

const stepCount = async (page: Page): Promise<number> =>
  Number(((await page.getByTestId('step-counter').textContent()) ?? '0').replace(/\D/g, ''));

test('an uploaded 7×7 table starts after Reset, and nothing stays pending', async ({ page }) => {
  await openLab(page);
  await uploadTable(
    page,
    'sum7.csv',
    csv(7, (a, b) => a + b),
  );
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.locator('.topbar__dataset')).toHaveText(/sum7\.csv/, { timeout: 60_000 });
  await expect(page.getByText(/Applies when you start/)).toHaveCount(0);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThan(0);
});

test('a table too large for a link survives a reload; the link carries its hash', async ({ page }) => {
  await openLab(page);
  // 61² = 3 721 pairs: ≈ 30 000 characters inline, far over the inline limit; cheap to build a run for.
  await uploadTable(
    page,
    'mul61.csv',
    csv(61, (a, b) => a * b),
  );
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/[#&]c=/);
  const hash = await page.evaluate(() => location.hash);
  expect(hash.length).toBeLessThan(1000);
  const settings = JSON.parse(Buffer.from(/[#&]c=([^&]*)/.exec(hash)![1], 'base64url').toString('utf8'));
  expect(settings.task.table).toMatchObject({
    name: 'mul61.csv',
    pairs: 3721,
    sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
  await page.reload();
  await expect(page.getByText(/Uploaded table “mul61\.csv”: 3721 pairs, values mod 61/)).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByText(/not saved on this device|could not be read|too long/)).toHaveCount(0);
});
