/**
 * How much training a reload loses (issue "Loses nothing", item 3): the lab page trains the Fast MLP preset, the tab
 * is reloaded at a series of moments while it trains, and the resume offer's step is compared with the step the
 * page showed just before the reload. Writes bench/results/reload-loss.md.
 *
 *   npx tsx bench/reloadLoss.ts [--reloads 6]
 */
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openBrowserSession } from './browserSession';

const number = (text: string | null): number => Number((text ?? '').replace(/[^\d]/g, '') || 'NaN');

async function main(): Promise<void> {
  const reloads = Number(process.argv[process.argv.indexOf('--reloads') + 1]) || 6;
  const session = await openBrowserSession({
    outDirName: 'reload-loss-dist',
    port: 4183,
    strictPort: false,
    entry: 'index.html',
  });
  const rows: { wait: number; shown: number; offered: number; rate: number }[] = [];
  const load = execSync('uptime').toString().trim();
  try {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(session.baseUrl);
    const controls = page.getByRole('group', { name: 'Run controls' });
    for (let i = 0; i < reloads; i++) {
      // A fresh run each time; Start, then reload after a wait that falls at a different point of the save cycle.
      const start = controls.getByRole('button', { name: 'Start' });
      await start.waitFor({ timeout: 120_000 });
      await page.waitForFunction(
        () =>
          ![...document.querySelectorAll('.run-controls__buttons button')].some(
            (b) => (b as HTMLButtonElement).disabled,
          ),
        null,
        { timeout: 120_000 },
      );
      await start.click();
      const wait = 6_000 + i * 1_700;
      await page.waitForTimeout(wait);
      const shown = number(await page.getByTestId('step-counter').textContent());
      const rate = number(await page.getByTestId('steps-per-second').textContent());
      await page.reload();
      const offer = page.getByRole('status').filter({ hasText: /Resume your last run/ });
      await offer.waitFor({ timeout: 120_000 });
      const offered = number(/at step ([\d\s\u202f]+)\?/.exec((await offer.textContent()) ?? '')?.[1] ?? '');
      rows.push({ wait, shown, offered, rate });
      console.log(
        `reload after ${wait} ms: page showed step ${shown} (${rate} steps/s), offer resumes at ${offered}`,
      );
      // Next round from a new run (the reset keeps the resumed one in the runs, which is what it should do).
      await page.getByRole('button', { name: 'Dismiss notice' }).first().click();
    }
  } finally {
    await session.close();
  }
  const lost = rows.map((row) => row.shown - row.offered);
  const seconds = rows.map((row, i) => (row.rate > 0 ? lost[i] / row.rate : Number.NaN));
  const text = [
    '# Work lost on a reload (browser)',
    '',
    `\`npx tsx bench/reloadLoss.ts --reloads ${reloads}\` on ${new Date().toISOString()}, lab page (production build), Fast MLP preset, 1280×800. Load before: \`${load}\`.`,
    '',
    '| reload after (ms of training) | step shown | offer resumes at | steps lost | ≈ seconds lost |',
    '|---|---|---|---|---|',
    ...rows.map(
      (row, i) => `| ${row.wait} | ${row.shown} | ${row.offered} | ${lost[i]} | ${seconds[i].toFixed(1)} |`,
    ),
    '',
    `Worst case: ${Math.max(...lost)} steps, ${Math.max(...seconds).toFixed(1)} s of training (the autosave runs every 5 s while training).`,
    '',
  ].join('\n');
  writeFileSync(fileURLToPath(new URL('./results/reload-loss.md', import.meta.url)), text);
  console.log(text);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
