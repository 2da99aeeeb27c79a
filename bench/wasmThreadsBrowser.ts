/**
 * `npx tsx bench/wasmThreadsBrowser.ts`: can tfjs-wasm 4.22 run XNNPACK on more than one thread in a worker of a
 * cross-origin isolated page? Serves tfjs's UMD bundles and .wasm files from node_modules on http://localhost
 * (a secure context) with COOP/COEP (Playwright routes; no server), then in a fresh worker per row: optionally
 * reports navigator.hardwareConcurrency doubled, calls setThreadsCount, starts wasm and times a 1024×512·512×512
 * matMul. Finding (2026-11-29, 2 cores): stock 4.22 gives min(asked, hardwareConcurrency / 2) threads, so 1
 * here whatever setThreadsCount asks; doubling hardwareConcurrency in the worker before wasm starts gives 2.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';

const ORIGIN = 'http://localhost:4999';

const WORKER = `
self.onmessage = async (event) => {
  const { threads, doubleCores } = event.data;
  const real = navigator.hardwareConcurrency;
  // The wasm glue reads this when the module starts; backend.cc halves it and caps the thread pool by the half.
  if (doubleCores) Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * real, configurable: true });
  importScripts('/tf.min.js', '/tf-backend-wasm.min.js');
  tf.wasm.setWasmPaths('/wasm/');
  if (threads > 0) tf.wasm.setThreadsCount(threads);
  await tf.setBackend('wasm');
  const a = tf.randomNormal([1024, 512]);
  const b = tf.randomNormal([512, 512]);
  const times = [];
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    for (let i = 0; i < 10; i++) { const c = tf.matMul(a, b); c.dataSync(); c.dispose(); }
    times.push((performance.now() - started) / 10);
  }
  postMessage({
    crossOriginIsolated: self.crossOriginIsolated,
    hardwareConcurrency: real,
    multithreadSupport: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
    threads: tf.wasm.getThreadsCount(),
    matMulMs: Math.min(...times),
  });
};`;

const WASM = 'node_modules/@tensorflow/tfjs-backend-wasm/dist/';
const FILES: Record<string, [Buffer | string, string]> = {
  '/': ['<!doctype html><title>wasm threads</title>', 'text/html'],
  '/worker.js': [WORKER, 'text/javascript'],
  '/tf.min.js': [readFileSync('node_modules/@tensorflow/tfjs/dist/tf.min.js'), 'text/javascript'],
  '/tf-backend-wasm.min.js': [readFileSync(`${WASM}tf-backend-wasm.min.js`), 'text/javascript'],
};
for (const name of [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
])
  FILES[`/wasm/${name}`] = [readFileSync(`${WASM}${name}`), 'application/wasm'];

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.route(`${ORIGIN}/**`, (route) => {
      const file = FILES[new URL(route.request().url()).pathname];
      if (!file) return route.fulfill({ status: 404 });
      return route.fulfill({
        status: 200,
        body: file[0],
        contentType: file[1],
        headers: {
          'Cross-Origin-Opener-Policy': 'same-origin',
          'Cross-Origin-Embedder-Policy': 'require-corp',
          'Cross-Origin-Resource-Policy': 'same-origin',
        },
      });
    });
    await page.goto(`${ORIGIN}/`);
    console.log(`load ${os.loadavg()[0].toFixed(1)} (timings are pessimistic on a shared machine)`);
    const rows: [number, boolean][] = [
      [0, false],
      [2, false],
      [2, true],
      [1, true],
    ];
    for (const [threads, doubleCores] of rows) {
      const result = await page.evaluate(
        ([threads, doubleCores]) =>
          new Promise((resolve, reject) => {
            const worker = new Worker('/worker.js');
            worker.onmessage = (event) => {
              resolve(event.data);
              worker.terminate();
            };
            worker.onerror = (event) => reject(new Error(event.message));
            worker.postMessage({ threads, doubleCores });
          }),
        [threads, doubleCores] as const,
      );
      console.log(
        JSON.stringify({ setThreadsCount: threads || 'not called', doubleCores, ...(result as object) }),
      );
    }
  } finally {
    await browser.close();
  }
}

void main();
