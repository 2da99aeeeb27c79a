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
import { describeWindow, longTaskScenarios, measureScenario, scenarioName } from './longTasks';

/** Short windows: this checks behaviour and reports; the bench measures with longer ones. */
const WINDOW_MS = 3000;

for (const scenario of longTaskScenarios()) {
  test(`long tasks reported while ${scenarioName(scenario)} streams, lab and classroom views`, async ({
    browser,
    baseURL,
  }, testInfo) => {
    test.setTimeout(240_000);
    const windows = await measureScenario(browser, baseURL!, scenario, { windowMs: WINDOW_MS });
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
    // The page kept receiving batches while the run streamed (a slow preset may not step in every short window;
    // across the scenario it must), and the charts redrew with the evaluations: a run that went 200 steps has
    // been evaluated on the way (the adaptive schedule evaluates at least every step/8 steps), a slow one
    // (classic: a few steps a second) may not have been yet.
    expect(classroom.stepAfter).toBeGreaterThan(lab.stepBefore);
    if (classroom.stepAfter - lab.stepBefore >= 200) expect(windows.some((w) => w.chartsChanged)).toBe(true);
  });
}
