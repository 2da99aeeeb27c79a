/**
 * Race throughput: per-lane steps/s of a two-lane race (two training workers, as race mode runs them) against
 * each lane alone, in headless Chromium on the harness page served by `vite preview`. Target: each lane keeps
 * ≥ 0.8× its solo speed on a 2-core machine (tfjs-wasm is single-threaded, so each worker has a core).
 * The machine is shared: `uptime` is recorded next to every figure. Writes bench/results/race.md and race.json;
 * `npm run bench:throughput` runs the same measurement in its browser session and adds the row to its report.
 *
 *   npm run bench:race [-- --quick]
 */
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { openBrowserSession, type BrowserSession } from './browserSession';
import { writeJson } from './lib/resultFiles';
import { raceLanes } from '../src/app/lanes/race';
// The harness's `window.grokHarness` declaration, for the page.evaluate callbacks.
import type {} from '../src/harness/main';

const QUICK = process.argv.includes('--quick');
const WARMUP_MS = QUICK ? 3_000 : 6_000;
const MEASURE_MS = QUICK ? 8_000 : 25_000;
const PORT = 4179;

const uptime = (): string => execSync('uptime').toString().trim();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Kernel clock ticks per second (utime/stime unit). */
const CLK_TCK = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (_error) {
    return null;
  }
}

/** Pids of this process's descendants (the Chromium it launched), read from /proc. */
function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readText(`/proc/${entry}/stat`);
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parents.set(Number(entry), Number(fields[1]));
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** CPU ticks (user + system) of every dedicated-worker thread of our Chromium, by "pid/tid". */
function workerTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const pid of descendants(process.pid)) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch (_error) {
      continue;
    }
    for (const tid of tids) {
      if (readText(`/proc/${pid}/task/${tid}/comm`)?.trim() !== 'DedicatedWorker') continue;
      const stat = readText(`/proc/${pid}/task/${tid}/stat`);
      if (!stat) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(`${pid}/${tid}`, Number(fields[11]) + Number(fields[12]));
    }
  }
  return ticks;
}

/** CPU seconds the worker threads used between two readings. */
function cpuSeconds(before: Map<string, number>, after: Map<string, number>): number {
  let total = 0;
  for (const [key, value] of after) total += value - (before.get(key) ?? value);
  return total / CLK_TCK;
}

export interface Measurement {
  what: string;
  backend: string | null;
  rates: number[];
  /** CPU the training workers got during the measurement, in cores (CPU seconds ÷ wall seconds). */
  cores: number;
  /** Training steps per CPU second of the workers (how efficient a step is, whatever the scheduler gave). */
  stepsPerCpuSecond: number;
  uptime: string;
}

export interface RaceThroughput {
  date: string;
  chromium: string;
  quick: boolean;
  measurements: Measurement[];
  /** Per-lane steps/s in the race ÷ the same lane alone (mean of its two solo runs): [radial, plain]. */
  ratios: [number, number];
  /** Steps per CPU second in the race ÷ alone: below 1 when the lanes slow each other down per unit of CPU. */
  cpuEfficiency: number;
  /** CPU the lane workers got, in cores: in the race, and alone (mean of the solo runs). */
  cores: { race: number; alone: number };
}

/** Solo, race, solo again on the harness page of an open browser session. */
export async function measureRace(session: BrowserSession): Promise<RaceThroughput> {
  const lanes = raceLanes('radialRescue');
  if (!lanes.ok) throw new Error('radialRescue defines no race');
  const [radial, plain] = lanes.lanes;
  const results: Measurement[] = [];
  const page = await session.browser.newPage();
  try {
    await page.goto(`${session.baseUrl}harness.html`);
    await page.waitForFunction(() => document.title.includes('(ready)'));
    const run = async (what: string, configs: unknown[]) => {
      const before = uptime();
      const measuring = page.evaluate(([c, w, m]) => window.grokHarness.race(c, 'auto', w, m), [
        configs,
        WARMUP_MS,
        MEASURE_MS,
      ] as [unknown[], number, number]);
      await sleep(WARMUP_MS + 500);
      const ticksBefore = workerTicks();
      await sleep(MEASURE_MS - 1000);
      const cpu = cpuSeconds(ticksBefore, workerTicks());
      const result = await measuring;
      const rates = result.lanes.map((lane) => lane.stepsPerSecond);
      const measured = (MEASURE_MS - 1000) / 1000;
      const row: Measurement = {
        what,
        backend: result.backend,
        rates,
        cores: cpu / measured,
        stepsPerCpuSecond: cpu > 0 ? (rates.reduce((sum, rate) => sum + rate, 0) * measured) / cpu : 0,
        uptime: before,
      };
      console.log(
        `${what}: ${rates.map((rate) => rate.toFixed(1)).join(' / ')} steps/s on ${row.backend}; workers got ${row.cores.toFixed(2)} cores, ${row.stepsPerCpuSecond.toFixed(1)} steps per CPU second · ${before}`,
      );
      results.push(row);
      return row;
    };
    // Solo, race, solo again: the repeat shows how much the shared machine's load drifted meanwhile.
    const radialAlone = await run('radial alone', [radial.config]);
    const plainAlone = await run('plain alone', [plain.config]);
    const race = await run('race: radial + plain', [radial.config, plain.config]);
    const radialAgain = await run('radial alone (again)', [radial.config]);
    const plainAgain = await run('plain alone (again)', [plain.config]);
    const solos = [radialAlone, plainAlone, radialAgain, plainAgain];
    const soloRadial = (radialAlone.rates[0] + radialAgain.rates[0]) / 2;
    const soloPlain = (plainAlone.rates[0] + plainAgain.rates[0]) / 2;
    return {
      date: new Date().toISOString(),
      chromium: session.browser.version(),
      quick: QUICK,
      measurements: results,
      ratios: [race.rates[0] / soloRadial, race.rates[1] / soloPlain],
      cpuEfficiency:
        race.stepsPerCpuSecond / (solos.reduce((sum, row) => sum + row.stepsPerCpuSecond, 0) / solos.length),
      cores: { race: race.cores, alone: solos.reduce((sum, row) => sum + row.cores, 0) / solos.length },
    };
  } finally {
    await page.close();
  }
}

/** The one-line verdict (also the row bench:throughput adds). */
export function raceVerdict(result: RaceThroughput): string {
  const [radial, plain] = result.ratios;
  return `per-lane speed in a two-lane race ÷ alone: radial ${radial.toFixed(2)}×, plain ${plain.toFixed(2)}× (target ≥ 0.8×: ${result.ratios.every((ratio) => ratio >= 0.8) ? 'met' : 'NOT met'}); lane workers got ${result.cores.race.toFixed(2)} cores in the race vs ${result.cores.alone.toFixed(2)} alone; steps per CPU second race ÷ alone ${result.cpuEfficiency.toFixed(2)}×`;
}

export function raceMarkdown(result: RaceThroughput): string {
  const lines = [
    '# Race mode throughput: two lanes vs one lane alone',
    '',
    `Generated by \`npm run bench:race${result.quick ? ' -- --quick' : ''}\` on ${result.date}: ${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, Chromium ${result.chromium} (headless), harness page served by \`vite preview\`.`,
    `Preset radialRescue (MLP (a+b) mod 31, 70% train, 2×64 → 256), evalEvery 50 in both lanes; lane A picks the backend by measurement, lane B is forced onto it. Each figure: ${WARMUP_MS / 1000} s warm-up, then steps counted over ${MEASURE_MS / 1000} s of wall time (evaluations included).`,
    '',
    '| run | backend | radial steps/s | plain steps/s | CPU the workers got (cores) | steps per CPU second | `uptime` before the run |',
    '|---|---|---|---|---|---|---|',
    ...result.measurements.map((row) => {
      const radialRate = row.what.startsWith('plain') ? '' : row.rates[0].toFixed(1);
      const plainRate = row.what.startsWith('plain')
        ? row.rates[0].toFixed(1)
        : (row.rates[1]?.toFixed(1) ?? '');
      return `| ${row.what} | ${row.backend ?? '?'} | ${radialRate} | ${plainRate} | ${row.cores.toFixed(2)} | ${row.stepsPerCpuSecond.toFixed(1)} | ${row.uptime} |`;
    }),
    '',
    `**${raceVerdict(result)}.**`,
    '',
    'Steps per CPU second is the load-independent measure of whether two lanes interfere (cache, memory bandwidth). The per-lane ratio needs an otherwise idle machine: the kernel groups CPU time by session (`/proc/sys/kernel/sched_autogroup_enabled` = 1), so while another session keeps a core busy the whole browser gets one core, and two lanes split it instead of taking a core each as they do on an idle 2-core laptop. Compare the load averages in the table.',
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const session = await openBrowserSession({ outDirName: 'race-dist', port: PORT, strictPort: false });
  try {
    const result = await measureRace(session);
    const markdown = raceMarkdown(result);
    writeFileSync(fileURLToPath(new URL('./results/race.md', import.meta.url)), markdown);
    writeJson(fileURLToPath(new URL('./results/race.json', import.meta.url)), result);
    console.log(markdown);
  } finally {
    await session.close();
  }
}

// Run as a script (npm run bench:race), not when bench:throughput imports the measurement.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
