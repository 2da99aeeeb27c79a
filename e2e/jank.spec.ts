/**
 * The real lab page while every preset streams (and the featured races), view by view: the full lab with every
 * chart and view panel, then classroom mode, at 1280×800 on the production build. Behaviour is asserted — the
 * page keeps receiving batches, the charts redraw, each view renders its charts — and the main thread's long tasks
 * (> 50 ms, a PerformanceObserver installed before the app loads) are REPORTED per preset and view: console lines
 * and a JSON attachment. No duration is asserted: it depends on the machine (the numbers live in
 * `npm run bench:longtasks`, bench/results/long-tasks.md).
 */
import os from 'node:os';
import { expect, test } from '@playwright/test';
import { MAX_EVALUATION_INTERVAL } from '../src/engine/schedule';
import {
  describeWindow,
  longTaskScenarios,
  measureScenario,
  pageState,
  scenarioName,
  type WindowHooks,
} from './longTasks';

/** Short windows: this checks behaviour and reports; the bench measures with longer ones. */
const WINDOW_MS = 3000;

for (const scenario of longTaskScenarios()) {
  test(`long tasks reported while ${scenarioName(scenario)} streams, lab and classroom views`, async ({
    browser,
    baseURL,
  }, testInfo) => {
    test.setTimeout(480_000);
    // Behaviour is checked as each window closes, by waiting for a state, never by what fits in the window: how
    // many steps a window holds depends on the machine.
    let firstStep: number | null = null;
    let linesAtOpen = '';
    const hooks: WindowHooks = {
      async open(page) {
        const state = await pageState(page);
        firstStep ??= state.step;
        linesAtOpen = state.lines;
      },
      async close(page, measured) {
        // The page keeps receiving batches: its step counter passes the one the first window opened at (or the
        // run has ended: the batch that says so arrived).
        await expect
          .poll(async () => {
            const state = await pageState(page);
            return state.step > firstStep! || !state.running;
          })
          .toBe(true);
        // The charts redraw with the evaluations: a window that saw the run go MAX_EVALUATION_INTERVAL steps saw
        // at least one evaluation made (the adaptive schedule's longest gap; the races' fixed one is shorter),
        // and its charts change once that record is drawn.
        if (measured.stepAfter - measured.stepBefore >= MAX_EVALUATION_INTERVAL)
          await expect.poll(async () => (await pageState(page)).lines).not.toBe(linesAtOpen);
      },
    };
    const windows = await measureScenario(browser, baseURL!, scenario, { windowMs: WINDOW_MS, hooks });
    const load = +os.loadavg()[0].toFixed(1);
    for (const measured of windows) console.log(`jank: ${describeWindow(measured)} (load ${load})`);
    await testInfo.attach(`long-tasks-${scenarioName(scenario).replace(/\s/g, '-')}.json`, {
      body: JSON.stringify({ load, windows }, null, 1),
      contentType: 'application/json',
    });
    testInfo.annotations.push({
      type: 'long tasks',
      description: windows.map((w) => `${w.view}: ${w.count}, worst ${w.worstMs} ms`).join('; '),
    });

    expect(windows.map((w) => w.view)).toEqual(['lab', 'classroom']);
    // Each view rendered its charts: the lab's every chart (7 or more: accuracy, progress, loss, norm, radius,
    // radial share, AGE; a race draws four overlays and the progress chart), the classroom's accuracy (and radius).
    const [lab, classroom] = windows;
    expect(lab.chartsDrawn).toBeGreaterThanOrEqual(scenario.race ? 4 : 6);
    expect(classroom.chartsDrawn).toBeGreaterThanOrEqual(1);
    // That the page kept receiving batches and the charts redrew was checked as each window closed (hooks).
  });
}
