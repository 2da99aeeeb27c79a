/**
 * Time-to-grok of one preset in the real lab page (production build, `vite preview`, headless Chromium, the
 * backend the lab picks itself): opens `#preset=NAME`, presses Start and waits for the banner "Grokked at step …".
 * Reports the step, the wall seconds from the Start click, steps/s and the load average before and after, appends
 * them to bench/results/preset-grok.md and saves test-results/preset-grok-NAME.png.
 *
 *   npx tsx bench/presetGrok.ts [PRESET] [--runs N]        (default: fastTransformer, 1 run)
 *
 * A bench, not a timed test: the wall time depends on the machine and its load, so it is reported, not asserted.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isPresetName, PRESETS } from '../src/engine/presets';
import { openBrowserSession } from './browserSession';

const PORT = 4183;
const LIMIT_MS = 10 * 60_000;
const RESULTS = fileURLToPath(new URL('./results/preset-grok.md', import.meta.url));

interface Measurement {
  preset: string;
  backend: string;
  grokStep: number;
  wallSeconds: number;
  /** CPU seconds of every Chromium process from Start to the banner (all threads, both cores). */
  cpuSeconds: number;
  stepsPerSecond: string;
  banner: string;
  load: [number, number];
}

function parseArgs(argv: readonly string[]): { preset: string; runs: number } {
  let preset = 'fastTransformer';
  let runs = 1;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--runs') runs = Math.max(1, Number.parseInt(argv[++i] ?? '1', 10) || 1);
    else preset = arg;
  }
  if (!isPresetName(preset))
    throw new Error(`unknown preset "${preset}" (${Object.keys(PRESETS).join(', ')})`);
  return { preset, runs };
}

const load1 = (): number => +loadavg()[0]!.toFixed(2);

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds used so far by every Chromium process below this one (read from /proc; 0 where there is none).
 * Unlike wall time it hardly depends on what else the machine runs, so it says what the run costs on a quiet one.
 */
function chromiumCpuSeconds(): number {
  if (!existsSync('/proc/self/stat')) return 0;
  const stats = new Map<number, { ppid: number; comm: string; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid … utime(14) stime(15): comm may contain spaces, so split after its ')'.
      const close = text.lastIndexOf(')');
      const fields = text.slice(close + 2).split(' ');
      stats.set(Number(entry), {
        ppid: Number(fields[1]),
        comm: text.slice(text.indexOf('(') + 1, close),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // The process exited while we read.
    }
  }
  const below = (pid: number): boolean => {
    for (let p = stats.get(pid)?.ppid; p !== undefined && p > 1; p = stats.get(p)?.ppid)
      if (p === process.pid) return true;
    return false;
  };
  let ticks = 0;
  for (const [pid, stat] of stats) if (stat.comm.includes('chrom') && below(pid)) ticks += stat.ticks;
  return ticks / TICKS_PER_SECOND;
}

async function main(): Promise<void> {
  const { preset, runs } = parseArgs(process.argv.slice(2));
  const session = await openBrowserSession({
    outDirName: 'preset-grok-dist',
    port: PORT,
    strictPort: false,
    entry: 'index.html',
  });
  const measurements: Measurement[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const page = await session.browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${session.baseUrl}#preset=${preset}`);
      const start = page.getByRole('button', { name: 'Start' });
      await start.waitFor({ timeout: 120_000 });
      await page.waitForFunction(
        () => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Start' && !b.disabled),
        null,
        { timeout: 120_000 },
      );
      const backend = (await page.locator('.backend__badge').textContent())?.trim() ?? '?';
      const loadBefore = load1();
      const cpuBefore = chromiumCpuSeconds();
      await start.click();
      const started = Date.now();
      await page.waitForFunction(
        () => document.querySelector('.grok-banner')?.textContent?.includes('Grokked at step') ?? false,
        null,
        { timeout: LIMIT_MS, polling: 100 },
      );
      const wallSeconds = (Date.now() - started) / 1000;
      const cpuSeconds = chromiumCpuSeconds() - cpuBefore;
      const banner = (await page.locator('.grok-banner').textContent())?.trim() ?? '';
      const stepsPerSecond = (await page.getByTestId('steps-per-second').textContent())?.trim() ?? '?';
      const grokStep = Number(
        /Grokked at step ([\d\s,.\u202f\u00a0]+)/.exec(banner)?.[1]?.replace(/\D/g, ''),
      );
      const measurement: Measurement = {
        preset,
        backend,
        grokStep,
        wallSeconds,
        cpuSeconds,
        stepsPerSecond,
        banner,
        load: [loadBefore, load1()],
      };
      console.log(JSON.stringify(measurement));
      measurements.push(measurement);
      mkdirSync(fileURLToPath(new URL('../test-results', import.meta.url)), { recursive: true });
      await page.screenshot({
        path: fileURLToPath(new URL(`../test-results/preset-grok-${preset}.png`, import.meta.url)),
      });
      await page.close();
    }
  } finally {
    await session.close();
  }
  if (!existsSync(RESULTS)) {
    writeFileSync(
      RESULTS,
      [
        '# Presets: time to grok in the lab page (browser)',
        '',
        '`npx tsx bench/presetGrok.ts PRESET` — production build, headless Chromium 1280×800, the backend the lab picks; wall seconds from the Start click to the banner "Grokked at step …". 1-minute load average before → after (2 cores, shared: wall times are pessimistic under load).',
        '',
        'CPU s = CPU seconds of every Chromium process (page, worker, GPU process…) over the same span: what the run costs whatever the load; on an idle 2-core machine the wall time is at most that (the training worker is one thread, the page another).',
        '',
        '| when | preset | backend | grokked at step | wall s | CPU s | steps/s at grok | load |',
        '|---|---|---|---|---|---|---|---|',
        '',
      ].join('\n'),
    );
  }
  for (const m of measurements) {
    appendFileSync(
      RESULTS,
      `| ${new Date().toISOString().slice(0, 16)} | ${m.preset} | ${m.backend} | ${m.grokStep} | ${m.wallSeconds.toFixed(1)} | ${m.cpuSeconds.toFixed(1)} | ${m.stepsPerSecond} | ${m.load.join(' → ')} |\n`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
