/**
 * Runs the radial rescue race to its finish once in headless Chromium (production build, `vite preview`):
 * lane A radial, lane B plain. Records when the radial lane grokked (steps, training wall time, page wall time)
 * and where the plain lane was, writes it to bench/results/race-finish.md and saves the classroom view of the
 * decided race at a projector's 1280×720 as docs/race.png (the picture in docs/classroom.md).
 *
 *   npx tsx bench/raceFinish.ts
 */
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openBrowserSession } from './browserSession';

const PORT = 4181;
const LIMIT_MS = 30 * 60_000;

async function main(): Promise<void> {
  // The lab page itself (index.html), on the next free port if PORT is taken by another job.
  const session = await openBrowserSession({
    outDirName: 'race-finish-dist',
    port: PORT,
    strictPort: false,
    entry: 'index.html',
  });
  const { browser } = session;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${session.baseUrl}#race=radialRescue`);
    // The top bar's Start drives every lane of the race on screen.
    const start = page.getByRole('group', { name: 'Run controls' }).getByRole('button', { name: 'Start' });
    await start.waitFor({ timeout: 120_000 });
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="race-view"]') !== null &&
        ![...document.querySelectorAll<HTMLButtonElement>('.run-controls__buttons button')].some(
          (button) => button.textContent === 'Start' && button.disabled,
        ),
      null,
      { timeout: 120_000 },
    );
    const load = execSync('uptime').toString().trim();
    await start.click();
    const started = Date.now();
    // Decided: the banner names both lanes without "waiting for".
    await page.waitForFunction(
      () => {
        const text = document.querySelector('[data-testid="race-banner"]')?.textContent ?? '';
        return text.includes('grokked at step') && !text.includes('waiting for');
      },
      null,
      { timeout: LIMIT_MS, polling: 1000 },
    );
    const decidedAfter = (Date.now() - started) / 1000;
    const banner = (await page.getByTestId('race-banner').textContent()) ?? '';
    const steps = [
      await page.getByTestId('lane-0-step').textContent(),
      await page.getByTestId('lane-1-step').textContent(),
    ];
    const rates = [
      await page.getByTestId('lane-0-rate').textContent(),
      await page.getByTestId('lane-1-rate').textContent(),
    ];
    // Let the radial lane reach stopAfterGrok (500 steps) and release its worker.
    await page
      .getByTestId('lane-0-status')
      .filter({ hasText: /finished|stopped/ })
      .waitFor({ timeout: 10 * 60_000 })
      .catch(() => undefined);
    const status = [
      await page.getByTestId('lane-0-status').textContent(),
      await page.getByTestId('lane-1-status').textContent(),
    ];
    // What the class sees: the classroom view of the decided race, on the projector's 1280×720.
    await page.getByRole('switch', { name: 'Classroom mode' }).click();
    await page.getByTestId('classroom-race').waitFor();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: fileURLToPath(new URL('../docs/race.png', import.meta.url)) });
    const text = [
      '# The radial race run to its finish (browser)',
      '',
      `\`npx tsx bench/raceFinish.ts\` on ${new Date().toISOString()}, lab page (production build), lane A radial, lane B plain. Load before the start: \`${load}\`.`,
      '',
      `- Banner when the race was decided, ${decidedAfter.toFixed(0)} s of page time after Start: “${banner.trim()}”`,
      `- Steps at that moment: radial ${steps[0]}, plain ${steps[1]}; steps/s then: radial ${rates[0]}, plain ${rates[1]}.`,
      `- Status after the radial lane's stopAfterGrok (500 steps): radial “${status[0]}”, plain “${status[1]}”.`,
      '- Screenshot (classroom view, 1280×720): docs/race.png.',
      '',
    ].join('\n');
    writeFileSync(fileURLToPath(new URL('./results/race-finish.md', import.meta.url)), text);
    console.log(text);
  } finally {
    await session.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
