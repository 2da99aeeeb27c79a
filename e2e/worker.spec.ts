/**
 * The training worker in real Chromium, driven through the test harness page (harness.html), once per forced
 * backend, plus `auto` and liveness. Tiny model (MLP on (a+b) mod 7, 49 examples): WebGPU on this machine's
 * SwiftShader adapter needs ~10 s for its first step (shader compilation) and more for the first evaluation.
 */
import { expect, test, type Page } from '@playwright/test';
import type { BackendName } from '../src/engine/backend';
// The harness's `window.grokHarness` declaration, for the page.evaluate callbacks.
import type {} from '../src/harness/main';

function tiny(maxSteps: number): object {
  return {
    task: { modulus: 7, trainFraction: 0.5 },
    model: { kind: 'mlp', embedDim: 8, hiddenWidth: 32 },
    optimizer: { warmupSteps: 0 },
    training: { maxSteps },
  };
}

async function openHarness(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/harness.html');
  await page.waitForFunction(() => document.title.includes('(ready)'));
  return errors;
}

const status = (page: Page) => page.evaluate(() => window.grokHarness.summary().status);

const CASES: { backend: BackendName; steps: number; timeout: number }[] = [
  { backend: 'webgpu', steps: 3, timeout: 150_000 },
  { backend: 'webgl', steps: 20, timeout: 120_000 },
  // Long enough on a fast machine to outlast several 100 ms batches, so a batch reports a running rate.
  { backend: 'wasm', steps: 2000, timeout: 90_000 },
  { backend: 'cpu', steps: 500, timeout: 90_000 },
];

for (const { backend, steps, timeout } of CASES) {
  test(`trains in the worker on ${backend} (forced) and streams metrics`, async ({ page }) => {
    test.setTimeout(timeout + 30_000);
    const errors = await openHarness(page);
    const init = await page.evaluate(([config, choice]) => window.grokHarness.init(config, choice), [
      tiny(steps),
      backend,
    ] as const);
    expect(init).toMatchObject({ ok: true, backend: { backend, choice: backend }, examples: 49 });
    await page.evaluate(() => window.grokHarness.client!.start());
    await expect.poll(() => status(page), { timeout, intervals: [250, 500, 1000] }).toBe('finished');
    const summary = await page.evaluate(() => window.grokHarness.summary());
    expect(summary).toMatchObject({
      backend, // no fault made it fall back
      step: steps,
      predictions: 49,
      embeddingShape: [7, 8],
      messages: [],
      rewinds: [],
      workerErrors: [],
    });
    expect(summary.records).toBeGreaterThanOrEqual(2);
    expect(summary.lastRecord!.step).toBe(steps);
    expect(Number.isFinite(summary.lastRecord!.trainLoss)).toBe(true);
    expect(summary.maxStepsPerSecond).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
}

test('auto picks a backend by measurement and says why it skipped the others', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = await openHarness(page);
  const init = await page.evaluate((config) => window.grokHarness.init(config, 'auto'), tiny(20));
  expect(init.ok).toBe(true);
  const report = init.backend!;
  expect(report.choice).toBe('auto');
  expect(report.summary).toMatch(/using (WebGPU|WebGL|WASM|CPU)/);
  for (const skip of report.skipped) expect(skip.reason.length).toBeGreaterThan(0);
  // Every backend before the chosen one in the preference order is accounted for.
  const order: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
  for (const earlier of order.slice(0, order.indexOf(report.backend))) {
    expect(report.skipped.map((s) => s.backend)).toContain(earlier);
  }
  const adapter = report.skipped.find((s) => s.backend === 'webgpu');
  test.info().annotations.push({ type: 'backend', description: report.summary });
  if (adapter?.reason.startsWith('software')) expect(report.backend).not.toBe('webgpu');
  await page.evaluate(() => window.grokHarness.client!.start());
  await expect.poll(() => status(page), { timeout: 60_000 }).toBe('finished');
  expect(errors).toEqual([]);
});

test('pause, update and step take effect while training (wasm): nothing trains on after pause', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors = await openHarness(page);
  await page.evaluate((config) => window.grokHarness.init(config, 'wasm'), tiny(1_000_000));
  await page.evaluate(() => window.grokHarness.client!.start());
  await expect
    .poll(() => page.evaluate(() => window.grokHarness.summary().step), { timeout: 120_000 })
    .toBeGreaterThan(100);

  const update = await page.evaluate(() => window.grokHarness.client!.update({ optimizer: { lr: 0.01 } }));
  expect(update).toMatchObject({ ok: true, events: [{ path: 'optimizer.lr', to: 0.01 }] });
  const rejected = await page.evaluate(() => window.grokHarness.client!.update({ optimizer: { lr: -1 } }));
  expect(rejected).toMatchObject({ ok: false, issues: [{ path: 'optimizer.lr' }] });

  const pauseMs = await page.evaluate(async () => {
    const started = performance.now();
    await window.grokHarness.client!.pause();
    return performance.now() - started;
  });
  // How long the pause took is reported, not asserted (one chunk, ~80 ms, plus the closing evaluation when quiet;
  // a loaded machine takes longer). Asserted: once pause() resolves, the worker trains no further.
  test.info().annotations.push({ type: 'pause took', description: `${Math.round(pauseMs)} ms` });
  await expect.poll(() => status(page)).toBe('paused');
  const pausedAt = await page.evaluate(() => window.grokHarness.summary().step);
  expect(await page.evaluate(async () => (await window.grokHarness.client!.snapshot()).step)).toBe(pausedAt);
  const stepped = await page.evaluate(async () => {
    await window.grokHarness.client!.step(7);
    return (await window.grokHarness.client!.snapshot()).step;
  });
  expect(stepped).toBe(pausedAt + 7);
  const summary = await page.evaluate(() => window.grokHarness.summary());
  expect(summary.lastRecord!.learningRate).toBe(0.01);
  expect(summary.workerErrors).toEqual([]);
  expect(errors).toEqual([]);
});

test('wasm on the minified production build runs the threaded binary: its pthread workers start and live', async ({
  page,
}) => {
  // The pthread workers are made from the minified glue's factory.toString() (scripts/vite/threadedWasmGlue.ts);
  // a factory that refers outside itself kills each of them with a ReferenceError, reported as a page error.
  test.setTimeout(90_000);
  const wasmFiles: string[] = [];
  const pthreads: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasmFiles.push(request.url().replace(/.*\//, ''));
  });
  page.on('worker', (worker) => {
    if (worker.url().startsWith('blob:')) pthreads.push(worker.url());
  });
  const errors = await openHarness(page);
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  const init = await page.evaluate((config) => window.grokHarness.init(config, 'wasm'), tiny(50));
  expect(init).toMatchObject({ ok: true, backend: { backend: 'wasm' } });
  expect(wasmFiles).toEqual([expect.stringMatching(/^tfjs-backend-wasm-threaded-simd-.*\.wasm$/)]);
  expect(pthreads.length).toBeGreaterThan(0);
  await page.evaluate(() => window.grokHarness.client!.start());
  await expect.poll(() => status(page), { timeout: 60_000 }).toBe('finished');
  expect(await page.evaluate(() => window.grokHarness.summary().workerErrors)).toEqual([]);
  expect(errors).toEqual([]);
});

test("the lab's WebAssembly SIMD kernels run in the page: on the threaded build's shared memory and on the single-threaded build", async ({
  page,
}) => {
  // Without them training still works (the JavaScript and tfjs paths), only slower: a CSP without
  // 'wasm-unsafe-eval', a memory the module cannot import or a build change would otherwise go unnoticed.
  test.setTimeout(120_000);
  const errors = await openHarness(page);
  const builds: [string, Record<string, boolean>, string][] = [
    ['threaded', {}, 'threaded-simd'],
    ['single', { WASM_HAS_MULTITHREAD_SUPPORT: false }, 'simd'],
  ];
  for (const [key, flags, build] of builds) {
    const opened = await page.evaluate(
      ([name, config, wasmFlags]) =>
        window.grokHarness.openBlocks(name, [config], wasmFlags, { labThreads: 1 }),
      [key, tiny(10), flags] as [string, object, Record<string, boolean>],
    );
    expect(opened).toMatchObject({ build, simdKernels: true });
    // A few steps through the kernels (one-hot products, cross-entropy, AdamW) on that memory.
    const msPerStep = await page.evaluate((name) => window.grokHarness.timeBlock(name, 0, 3), key);
    expect(msPerStep).toBeGreaterThan(0);
    await page.evaluate((name) => window.grokHarness.closeBlocks(name), key);
  }
  expect(errors).toEqual([]);
});

test('wasm threads: a worker given 2 threads runs XNNPACK on 2 and trains with the 1-thread losses', async ({
  page,
}) => {
  // The page names each worker with its thread count (src/worker/wasmThreads.ts); inside, the worker reports twice
  // its cores to the wasm glue, which halves them, so a 2-core machine gets its 2 threads.
  test.setTimeout(150_000);
  const errors = await openHarness(page);
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  // Big enough that XNNPACK splits its matrix products (p 31: 480 training rows, hidden 256).
  const config = {
    task: { modulus: 31, trainFraction: 0.5 },
    model: { kind: 'mlp', embedDim: 64, hiddenWidth: 256 },
    optimizer: { warmupSteps: 0 },
    training: { maxSteps: 40, evalEvery: 10 },
  };
  const losses: number[][] = [];
  for (const threads of [1, 2]) {
    const init = await page.evaluate(
      ([config, threads]) => window.grokHarness.init(config, 'wasm', threads),
      [config, threads] as const,
    );
    expect(init).toMatchObject({ ok: true, backend: { backend: 'wasm' } });
    // The thread count the wasm backend reports (getThreadsCount), not the one asked for.
    expect(init.backend!.threads ?? 1).toBe(threads);
    if (threads > 1) expect(init.backend!.summary).toContain(`${threads} threads`);
    await page.evaluate(() => window.grokHarness.client!.start());
    await expect.poll(() => status(page), { timeout: 90_000 }).toBe('finished');
    const run = await page.evaluate(() => window.grokHarness.trainLosses());
    expect(run.length).toBeGreaterThanOrEqual(4);
    losses.push(run);
    expect(await page.evaluate(() => window.grokHarness.summary().workerErrors)).toEqual([]);
  }
  expect(losses[1].length).toBe(losses[0].length);
  losses[1].forEach((loss, i) => expect(loss).toBeCloseTo(losses[0][i], 4));
  expect(errors).toEqual([]);
});
