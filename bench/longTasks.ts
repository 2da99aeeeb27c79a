/**
 * Main-thread long tasks on the real lab page (production build, `vite preview`, headless Chromium at 1280×800)
 * while each preset streams, in the full lab view (every chart) and in classroom mode, plus the featured races:
 * per preset × view, how many long tasks (> 50 ms) a PerformanceObserver saw in a fixed window and the worst one.
 * Writes bench/results/long-tasks.{json,md}; a run is kept under its label (rerunning a label replaces it), so
 * the file holds "before" and "after" side by side.
 *
 *   npm run bench:longtasks -- [--label after] [--window 8] [--only mlp,classic] [--races radialRescue,fastTransformer]
 *                              [--views lab,hover,classroom] [--profile | --trace]
 *   npm run bench:longtasks -- --render     (rewrites long-tasks.md from long-tasks.json, measures nothing)
 *
 * --profile builds without minifying and records a CPU profile of every window: the functions on the stack during
 * the long tasks go to bench/results/tmp/long-tasks-profile/ and the console (what makes them; not in the results).
 * --trace records a Chrome trace of every window instead and prints the main thread's time per event (style, layout,
 * paint, hit tests, canvas uploads: the work a CPU profile lumps into "(program)"); not in the results either.
 * A bench, not a test: the numbers depend on the machine and its load (noted beside every row).
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { z } from 'zod';
import { isPresetName, PRESETS, type PresetName } from '../src/engine/presets';
import {
  describeWindow,
  longTaskScenarios,
  measureScenario,
  scenarioName,
  type LabView,
  type LongTaskWindow,
  type WindowHooks,
} from '../e2e/longTasks';
import { openBrowserSession } from './browserSession';
import { attribute, busySpans, mainThreadTime, type CpuProfile, type TraceEvent } from './profileTasks';
import { flagValue } from './lib/flags';
import { writeJson } from './lib/resultFiles';

const PORT = 4185;
const RESULTS_JSON = fileURLToPath(new URL('./results/long-tasks.json', import.meta.url));
const RESULTS_MD = fileURLToPath(new URL('./results/long-tasks.md', import.meta.url));
const PROFILE_DIR = fileURLToPath(new URL('./results/tmp/long-tasks-profile/', import.meta.url));

const windowSchema = z.object({
  preset: z.string(),
  race: z.boolean(),
  view: z.enum(['lab', 'classroom', 'hover']),
  windowMs: z.number(),
  count: z.number(),
  worstMs: z.number(),
  totalMs: z.number(),
  durations: z.array(z.number()),
  stepBefore: z.number(),
  stepAfter: z.number(),
  chartsChanged: z.boolean(),
  chartsDrawn: z.number(),
  running: z.boolean(),
  /** 1-minute load average when the window closed. */
  load: z.number(),
});
type MeasuredWindow = z.infer<typeof windowSchema>;

const runSchema = z.object({
  label: z.string(),
  when: z.string(),
  commit: z.string(),
  windowS: z.number(),
  cores: z.number(),
  windows: z.array(windowSchema),
});
type Run = z.infer<typeof runSchema>;
const resultsSchema = z.object({ runs: z.array(runSchema) });

function presetList(text: string | undefined, fallback: PresetName[] | null): PresetName[] | null {
  if (text === undefined) return fallback;
  const names = text.split(',').filter(Boolean);
  for (const name of names) if (!isPresetName(name)) throw new Error(`unknown preset "${name}"`);
  return names as PresetName[];
}

/** Records a CPU profile of each window and prints what the long tasks in it ran. */
async function profiler(page: Page, label: string, windows: string[]): Promise<WindowHooks> {
  let session: CDPSession | null = null;
  return {
    async open() {
      session = await page.context().newCDPSession(page);
      await session.send('Profiler.enable');
      await session.send('Profiler.setSamplingInterval', { interval: 500 });
      await session.send('Profiler.start');
    },
    async close(_page, measured) {
      if (!session) return;
      const { profile } = (await session.send('Profiler.stop')) as { profile: CpuProfile };
      await session.detach();
      const spans = busySpans(profile, 50);
      const { inclusive, self } = attribute(profile, spans, 40);
      const name = `${label}-${scenarioName(measured).replace(/\s/g, '-')}-${measured.view}`;
      mkdirSync(PROFILE_DIR, { recursive: true });
      writeFileSync(`${PROFILE_DIR}${name}.cpuprofile`, JSON.stringify(profile));
      writeFileSync(
        `${PROFILE_DIR}${name}.json`,
        JSON.stringify({ spans: spans.map((s) => Math.round(s.durationMs)), inclusive, self }, null, 1),
      );
      windows.push(name);
      console.log(
        `  profile ${name}: busy spans ≥ 50 ms: ${spans.map((s) => Math.round(s.durationMs)).join(', ')}`,
      );
      for (const entry of inclusive.slice(0, 25))
        console.log(`    incl ${entry.ms.toFixed(0).padStart(6)} ms  ${entry.name}`);
      for (const entry of self.slice(0, 12))
        console.log(`    self ${entry.ms.toFixed(0).padStart(6)} ms  ${entry.name}`);
    },
  };
}

/** Records a Chrome trace of each window and prints where the main thread's time went (style, layout, paint…). */
function tracer(browser: Browser, label: string): WindowHooks {
  return {
    async open(page) {
      await browser.startTracing(page, {
        categories: ['devtools.timeline', 'toplevel', 'blink', 'v8.execute'],
      });
    },
    async close(_page, measured) {
      const trace = JSON.parse((await browser.stopTracing()).toString()) as
        { traceEvents: TraceEvent[] } | TraceEvent[];
      const events = Array.isArray(trace) ? trace : trace.traceEvents;
      const name = `${label}-${scenarioName(measured).replace(/\s/g, '-')}-${measured.view}`;
      const totals = mainThreadTime(events, 40);
      mkdirSync(PROFILE_DIR, { recursive: true });
      writeFileSync(`${PROFILE_DIR}${name}.trace.json`, JSON.stringify(totals, null, 1));
      console.log(`  trace ${name} (main thread, ms and count per event, nested events each counted):`);
      for (const total of totals.slice(0, 25))
        console.log(
          `    ${String(total.ms).padStart(6)} ms ${String(total.count).padStart(5)}×  ${total.name}`,
        );
    },
  };
}

function readResults(): Run[] {
  if (!existsSync(RESULTS_JSON)) return [];
  return resultsSchema.parse(JSON.parse(readFileSync(RESULTS_JSON, 'utf8'))).runs;
}

function summaryRow(run: Run): string {
  const windows = run.windows;
  const count = windows.reduce((sum, w) => sum + w.count, 0);
  const worst = Math.max(0, ...windows.map((w) => w.worstMs));
  const over = windows.filter((w) => w.count > 0).length;
  const loads = windows.map((w) => w.load);
  const total = windows.reduce((sum, w) => sum + w.totalMs, 0);
  return `| ${run.label} | ${run.when} | \`${run.commit}\` | ${windows.length} × ${run.windowS} s | ${count} | ${total} | ${worst} | ${over} of ${windows.length} | ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} |`;
}

function windowRow(w: MeasuredWindow): string {
  const name = w.race ? `race: ${w.preset}` : w.preset;
  return `| ${name} | ${w.view} | ${w.count} | ${w.worstMs || '—'} | ${w.durations.join(', ') || '—'} | ${w.stepBefore} → ${w.stepAfter}${w.running ? '' : ' (stopped)'} | ${w.chartsChanged ? 'yes' : 'no'} | ${w.load.toFixed(1)} |`;
}

function markdown(runs: readonly Run[]): string {
  const lines = [
    '# Long tasks on the real lab page',
    '',
    '`npm run bench:longtasks -- --label NAME` — production build (`vite preview`), headless Chromium (Debian), 1280×800.',
    'For each preset (its single run, and the featured races) the page opens on `#preset=NAME` / `#race=NAME`, Start is',
    'pressed, and after the first batch each view is shown in turn — the full lab with every chart and view panel,',
    'the same with the mouse sweeping to and fro across the first chart (hover: its crosshair follows), then',
    'classroom mode — and measured for a fixed window (after 1 s to settle from the switch) by a',
    '`PerformanceObserver` for `longtask` installed before the app loads. A long task is one of > 50 ms (the',
    "browser's definition); the goal (issue 14) is none while any preset streams. Load = 1-minute load average",
    'on this 2-core machine when the window closed: the machine is shared, so under load the numbers are pessimistic.',
    '',
    '| run | when | commit | windows | long tasks | their total ms | worst ms | windows with any | load |',
    '|---|---|---|---|---|---|---|---|---|',
    ...runs.map(summaryRow),
    '',
  ];
  for (const run of runs) {
    lines.push(
      `## ${run.label} (${run.when}, commit \`${run.commit}\`, ${run.windowS} s per window, ${run.cores} cores)`,
      '',
      '| preset | view | long tasks | worst ms | durations ms | steps in the window | charts updated | load |',
      '|---|---|---|---|---|---|---|---|',
      ...run.windows.map(windowRow),
      '',
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (process.argv.includes('--render')) {
    writeFileSync(RESULTS_MD, markdown(readResults()));
    return;
  }
  const label = flagValue(process.argv, '--label') ?? 'latest';
  const windowS = Number(flagValue(process.argv, '--window') ?? '8');
  const only = presetList(flagValue(process.argv, '--only'), null);
  const races = presetList(flagValue(process.argv, '--races'), ['radialRescue', 'fastTransformer'])!;
  for (const name of races)
    if (!('race' in PRESETS[name])) throw new Error(`preset "${name}" has no race (--races)`);
  const views = (flagValue(process.argv, '--views') ?? 'lab,hover,classroom').split(',').filter(Boolean);
  for (const view of views)
    if (view !== 'lab' && view !== 'hover' && view !== 'classroom')
      throw new Error(`unknown view "${view}" (--views takes lab, hover, classroom)`);
  const profile = process.argv.includes('--profile');
  const trace = process.argv.includes('--trace');
  const scenarios = longTaskScenarios(races).filter(
    (scenario) => only === null || only.includes(scenario.preset),
  );
  const session = await openBrowserSession({
    outDirName: profile ? 'long-tasks-dist-profile' : 'long-tasks-dist',
    port: PORT,
    strictPort: false,
    entry: 'index.html',
    minify: !profile,
  });
  const measured: MeasuredWindow[] = [];
  const profiled: string[] = [];
  const started = Date.now();
  try {
    for (const scenario of scenarios) {
      let hooks: WindowHooks | undefined;
      const windows: LongTaskWindow[] = await measureScenario(session.browser, session.baseUrl, scenario, {
        windowMs: windowS * 1000,
        views: views as LabView[],
        hooks: trace
          ? tracer(session.browser, label)
          : profile
            ? {
                async open(page) {
                  hooks ??= await profiler(page, label, profiled);
                  await hooks.open(page);
                },
                async close(page, done) {
                  await hooks?.close(page, done);
                },
              }
            : undefined,
      });
      for (const each of windows) {
        const load = +loadavg()[0].toFixed(2);
        console.log(`${describeWindow(each)} load ${load.toFixed(1)}`);
        measured.push({ ...each, load });
      }
    }
  } finally {
    await session.close();
  }
  console.log(`${measured.length} windows in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  // A profiling build is not minified, and tracing or profiling costs the page time: not the shipped page's numbers.
  if (profile || trace) return;
  const run: Run = {
    label,
    when: new Date().toISOString().slice(0, 16).replace('T', ' '),
    commit: execSync('git rev-parse --short HEAD').toString().trim(),
    windowS,
    cores: availableParallelism(),
    windows: measured,
  };
  const runs = [...readResults().filter((each) => each.label !== label), run];
  writeJson(RESULTS_JSON, { runs });
  writeFileSync(RESULTS_MD, markdown(runs));
  console.log(`wrote ${RESULTS_MD}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
