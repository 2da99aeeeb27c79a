/**
 * Main-thread long tasks on the real lab page while a preset streams, view by view — shared by
 * `e2e/jank.spec.ts` (behaviour asserted, numbers reported) and `bench/longTasks.ts` (numbers written to
 * bench/results/long-tasks.{md,json}). Nothing here asserts a duration: the numbers depend on the machine.
 *
 * A scenario opens the production page at 1280×800 on `#preset=NAME` (or `#race=NAME`), presses Start, waits for
 * the first batch, then shows each view in turn (the full lab with every chart, then classroom mode) and, for a
 * fixed window per view, records every `longtask` entry a PerformanceObserver saw (installed before the app's
 * own scripts run), the step counter before and after, and whether the charts' drawn lines changed.
 */
import type { Browser, Page } from 'playwright-core';
import { PRESETS, type PresetName } from '../src/engine/presets';

/**
 * The full lab page (every chart and view panel), the classroom (presentation) layout, or the full lab page with
 * the pointer sweeping to and fro across its first chart all window long (the hover crosshair following it).
 */
export type LabView = 'lab' | 'classroom' | 'hover';

export interface LongTaskScenario {
  preset: PresetName;
  /** The preset's race (two lanes, `#race=NAME`) instead of its single run. */
  race: boolean;
}

export interface LongTaskWindow {
  preset: PresetName;
  race: boolean;
  view: LabView;
  windowMs: number;
  /** Long tasks (> 50 ms, the browser's definition) that started inside the window. */
  count: number;
  worstMs: number;
  /** Sum of the long tasks' durations. */
  totalMs: number;
  /** Every long task's duration, ms, rounded. */
  durations: number[];
  /** The top bar's step counter (the furthest lane) when the window opened and closed. */
  stepBefore: number;
  stepAfter: number;
  /** Whether any chart's drawn lines changed during the window. */
  chartsChanged: boolean;
  /** Charts (figure[data-chart]) on screen with at least one drawn line at the end of the window. */
  chartsDrawn: number;
  /** Whether the run was still running at the end (the play button reads "Pause"). */
  running: boolean;
}

export const VIEWPORT = { width: 1280, height: 800 };

/** Every preset's single run, and the races `races` names (the featured radial race and the fast transformer's). */
export function longTaskScenarios(
  races: readonly PresetName[] = ['radialRescue', 'fastTransformer'],
): LongTaskScenario[] {
  const presets = Object.keys(PRESETS) as PresetName[];
  return [
    ...presets.map((preset) => ({ preset, race: false })),
    ...races.map((preset) => ({ preset, race: true })),
  ];
}

export function scenarioName(scenario: LongTaskScenario): string {
  return scenario.race ? `race ${scenario.preset}` : scenario.preset;
}

interface ObservedWindow {
  longTasks: { start: number; duration: number }[];
}

/** Installs the long-task observer before any of the page's scripts run (buffered: nothing is missed). */
export async function observeLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const target = window as unknown as ObservedWindow;
    target.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        target.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** What the page shows now: the step counter, whether it runs, and a fingerprint of every drawn chart line. */
export async function pageState(page: Page): Promise<{
  step: number;
  running: boolean;
  lines: string;
  chartsDrawn: number;
  now: number;
}> {
  return page.evaluate(() => {
    const counter = document.querySelector('[data-testid="step-counter"]')?.textContent ?? '';
    const play = document.querySelector('.run-controls__buttons button')?.textContent ?? '';
    const figures = [...document.querySelectorAll('figure[data-chart]')];
    const lines = figures
      .map((figure) =>
        [...figure.querySelectorAll('path.chart__line')]
          .map((path) => path.getAttribute('d') ?? '')
          .join('|'),
      )
      .join('#');
    const drawn = figures.filter((figure) => figure.querySelector('path.chart__line[d]')).length;
    // A fingerprint, not the paths themselves (they can be tens of kilobytes).
    let hash = 0;
    for (let i = 0; i < lines.length; i++) hash = (hash * 31 + lines.charCodeAt(i)) | 0;
    return {
      step: Number(counter.replace(/\D/g, '') || '0'),
      running: play.trim() === 'Pause',
      lines: `${lines.length}:${hash}`,
      chartsDrawn: drawn,
      now: performance.now(),
    };
  });
}

/** Switches to `view` and waits until it is on screen. */
async function showView(page: Page, view: LabView, race: boolean): Promise<void> {
  const classroom = await page.locator('.classroom').count();
  if ((view === 'classroom') !== classroom > 0)
    await page.getByRole('switch', { name: 'Classroom mode' }).first().click();
  if (view === 'classroom') {
    await page.locator(race ? '[data-testid="classroom-race"]' : '.classroom__grid').waitFor();
  } else {
    await page.locator(race ? '[data-testid="race-view"]' : '.chart-grid').waitFor();
  }
}

export interface WindowHooks {
  open(page: Page): Promise<void>;
  close(page: Page, window: LongTaskWindow): Promise<void>;
}

/**
 * Opens the scenario in a fresh browser context (no saved runs, no other tab), starts it, and measures each view
 * for `windowMs`. `settleMs` after a view switch is left out of the window (the switch itself renders the view
 * once; the question is what streaming costs).
 */
export async function measureScenario(
  browser: Browser,
  baseUrl: string,
  scenario: LongTaskScenario,
  options: {
    windowMs: number;
    settleMs?: number;
    views?: readonly LabView[];
    /** Called as each window opens and closes (e.g. to record a CPU profile of it). */
    hooks?: WindowHooks;
  },
): Promise<LongTaskWindow[]> {
  const { windowMs, settleMs = 1000, views = ['lab', 'classroom'] } = options;
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    await observeLongTasks(page);
    const url = new URL(baseUrl);
    url.hash = scenario.race ? `race=${scenario.preset}` : `preset=${scenario.preset}`;
    await page.goto(url.toString());
    if (scenario.race) await page.getByTestId('race-view').waitFor({ timeout: 120_000 });
    const start = page.getByRole('group', { name: 'Run controls' }).getByRole('button', { name: 'Start' });
    await start.waitFor({ timeout: 120_000 });
    await page.waitForFunction(
      () => {
        const play = document.querySelector<HTMLButtonElement>('.run-controls__buttons button');
        return play?.textContent === 'Start' && !play.disabled;
      },
      null,
      { timeout: 120_000 },
    );
    await start.click();
    // The first batch: from here on the page streams.
    await page.waitForFunction(
      () =>
        Number(
          document.querySelector('[data-testid="step-counter"]')?.textContent?.replace(/\D/g, '') || '0',
        ) > 0,
      null,
      { timeout: 120_000 },
    );
    const windows: LongTaskWindow[] = [];
    for (const view of views) {
      await showView(page, view, scenario.race);
      await page.waitForTimeout(settleMs);
      await options.hooks?.open(page);
      const before = await pageState(page);
      if (view === 'hover') await sweepPointer(page, windowMs);
      else await page.waitForTimeout(windowMs);
      const after = await pageState(page);
      const tasks = await page.evaluate(
        ({ from, to }) =>
          (window as unknown as ObservedWindow).longTasks.filter(
            (task) => task.start >= from && task.start < to,
          ),
        { from: before.now, to: after.now },
      );
      const durations = tasks.map((task) => Math.round(task.duration));
      const measured: LongTaskWindow = {
        preset: scenario.preset,
        race: scenario.race,
        view,
        windowMs: Math.round(after.now - before.now),
        count: durations.length,
        worstMs: Math.max(0, ...durations),
        totalMs: durations.reduce((sum, duration) => sum + duration, 0),
        durations,
        stepBefore: before.step,
        stepAfter: after.step,
        chartsChanged: before.lines !== after.lines,
        chartsDrawn: after.chartsDrawn,
        running: after.running,
      };
      await options.hooks?.close(page, measured);
      windows.push(measured);
    }
    return windows;
  } finally {
    await context.close();
  }
}

/**
 * Moves the mouse to and fro across the first chart's plot for `windowMs` (in small moves, as a hand does), so
 * the window measures what hovering a streaming chart costs. Ends with the pointer off the chart.
 */
async function sweepPointer(page: Page, windowMs: number): Promise<void> {
  const layer = page.locator('figure[data-chart] .chart__hover').first();
  await layer.scrollIntoViewIfNeeded();
  const box = await layer.boundingBox();
  if (!box) throw new Error('no chart to hover on the page');
  const y = box.y + box.height / 2;
  const ends = [box.x + 2, box.x + box.width - 2];
  await page.mouse.move(ends[0], y);
  const until = Date.now() + windowMs;
  for (let leg = 1; Date.now() < until; leg++) await page.mouse.move(ends[leg % 2], y, { steps: 40 });
  await page.mouse.move(0, 0);
}

/** One line per window, for the console. */
export function describeWindow(window: LongTaskWindow): string {
  const name = scenarioName(window);
  return (
    `${name.padEnd(28)} ${window.view.padEnd(9)} ${String(window.count).padStart(3)} long tasks, ` +
    `worst ${String(window.worstMs).padStart(4)} ms in ${(window.windowMs / 1000).toFixed(1)} s ` +
    `(steps ${window.stepBefore} → ${window.stepAfter}, charts ${window.chartsChanged ? 'updated' : 'unchanged'})`
  );
}
