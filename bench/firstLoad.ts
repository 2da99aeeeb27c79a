/**
 * First load of the lab page (a bench, not a timed test): bytes on the wire (gzip) and time to interactive, in
 * Debian's Chromium against a production build served by `vite preview` (COOP/COEP and the CSP, as deployed).
 *
 *   npx tsx bench/firstLoad.ts                     # builds the current tree into bench/results/tmp/first-load
 *   npx tsx bench/firstLoad.ts --dist DIR          # an existing build (e.g. an older commit's, for before/after)
 *   npx tsx bench/firstLoad.ts --runs 5 --out bench/results/first-load.json
 *
 * Each run is a fresh browser context (empty cache) with service workers blocked, so it is a first visit; the
 * precache a service worker would then download in the background is reported separately, from its manifest.
 * Bytes are each response's body gzipped here (zlib level 6, a typical static host's setting; `vite preview` itself
 * sends them uncompressed), everything fetched until Start is enabled, in two parts:
 *   - page: the document, its scripts, styles and icons (what the browser needs to show the lab);
 *   - training worker: the worker script (tfjs) and the wasm binary it picks; the page starts it at once, so it
 *     downloads alongside the page, but the page is usable before it arrives.
 * Times, from navigation start, median over the runs: interactive = the app rendered (its heading and controls);
 * ready to train = Start enabled (worker loaded, backend chosen, dataset built). On this shared 2-core machine they
 * depend on the load, so the 1-minute load average is printed beside them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { median } from './stats';
import { flagValue } from './lib/flags';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITE_CONFIG = join(ROOT, 'vite.config.ts');

interface Part {
  requests: number;
  gzipBytes: number;
  rawBytes: number;
  /** By file, the largest first. */
  files: { url: string; gzipBytes: number }[];
}

interface RunResult {
  interactiveMs: number;
  readyMs: number;
  page: Part;
  worker: Part;
}

const isWorkerFile = (url: string): boolean => /worker[^/]*\.js$|\.wasm$/.test(url);

async function measureOnce(baseUrl: string): Promise<RunResult> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await browser.newContext({
      serviceWorkers: 'block',
      viewport: { width: 1280, height: 720 },
    });
    const page = await context.newPage();
    const responses: { url: string; at: number; body: Promise<Buffer | null> }[] = [];
    const started = Date.now();
    context.on('response', (response) => {
      // Only the network: blob: URLs (the wasm backend's pthread scripts) are made in the page from bytes already counted.
      if (!/^https?:/.test(response.url())) return;
      responses.push({
        url: response.url(),
        at: Date.now() - started,
        body: response.body().catch(() => null),
      });
    });
    await page.goto(baseUrl, { waitUntil: 'commit' });
    await page.getByRole('heading', { level: 1, name: 'Grok Lab' }).waitFor({ timeout: 120_000 });
    const interactiveMs = await page.evaluate(() => performance.now());
    await page
      .getByRole('button', { name: 'Start' })
      .and(page.locator(':enabled'))
      .first()
      .waitFor({ timeout: 180_000 });
    const readyAt = Date.now() - started;
    const readyMs = await page.evaluate(() => performance.now());
    const bodies = await Promise.all(responses.map(async (entry) => ({ ...entry, bytes: await entry.body })));
    const fetched = bodies
      .filter((entry) => entry.bytes !== null && entry.at <= readyAt)
      .map((entry) => ({
        url: entry.url.replace(baseUrl, '/'),
        gzipBytes: gzipSync(entry.bytes!, { level: 6 }).length,
        rawBytes: entry.bytes!.length,
      }));
    const part = (files: typeof fetched): Part => ({
      requests: files.length,
      gzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0),
      rawBytes: files.reduce((sum, file) => sum + file.rawBytes, 0),
      files: files
        .map(({ url, gzipBytes }) => ({ url, gzipBytes }))
        .sort((a, b) => b.gzipBytes - a.gzipBytes),
    });
    return {
      interactiveMs: Math.round(interactiveMs),
      readyMs: Math.round(readyMs),
      page: part(fetched.filter((file) => !isWorkerFile(file.url))),
      worker: part(fetched.filter((file) => isWorkerFile(file.url))),
    };
  } finally {
    await browser.close();
  }
}

/** What a service worker would precache, from the manifest in the built sw.js (absent before the SW existed). */
function precacheBytes(dist: string): { files: number; gzipBytes: number } | null {
  const sw = join(dist, 'sw.js');
  if (!existsSync(sw)) return null;
  const urls = [...readFileSync(sw, 'utf8').matchAll(/"?url"?:\s*"([^"]+)"/g)].map((match) => match[1]);
  let gzipBytes = 0;
  for (const url of urls) {
    const file = join(dist, url);
    if (existsSync(file)) gzipBytes += gzipSync(readFileSync(file), { level: 6 }).length;
  }
  return { files: urls.length, gzipBytes };
}

async function main(): Promise<void> {
  const runs = Number(flagValue(process.argv, '--runs') ?? 3);
  let dist = flagValue(process.argv, '--dist');
  if (dist === undefined) {
    dist = join(ROOT, 'bench/results/tmp/first-load');
    await build({
      root: ROOT,
      configFile: VITE_CONFIG,
      logLevel: 'warn',
      build: { outDir: dist, emptyOutDir: true },
    });
  }
  dist = resolve(dist);
  const port = Number(flagValue(process.argv, '--port') ?? 4381);
  const server = await preview({
    root: ROOT,
    configFile: VITE_CONFIG,
    logLevel: 'warn',
    build: { outDir: dist },
    preview: { port, strictPort: true, open: false },
  });
  const baseUrl = `http://localhost:${port}/`;
  const results: RunResult[] = [];
  const loads: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      loads.push(loadavg()[0]);
      results.push(await measureOnce(baseUrl));
    }
  } finally {
    await new Promise<void>((done) => server.httpServer.close(() => done()));
  }
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
  const summary = {
    dist,
    date: new Date().toISOString(),
    runs,
    load1: loads.map((load) => Number(load.toFixed(2))),
    interactiveMs: median(results.map((result) => result.interactiveMs)),
    readyMs: median(results.map((result) => result.readyMs)),
    page: results[0].page,
    worker: results[0].worker,
    precache: precacheBytes(dist),
    allMs: results.map((result) => [result.interactiveMs, result.readyMs]),
  };
  const line = (name: string, part: Part): string =>
    `  ${name}: ${kb(part.gzipBytes)} gzip (${kb(part.rawBytes)} raw, ${part.requests} requests)`;
  console.log(`first load of ${dist} (${runs} runs, 1-min load ${summary.load1.join(', ')})`);
  console.log(
    `  interactive after ${summary.interactiveMs} ms, ready to train after ${summary.readyMs} ms (medians)`,
  );
  console.log(line('page', summary.page));
  for (const file of summary.page.files.slice(0, 4))
    console.log(`    ${kb(file.gzipBytes).padStart(11)}  ${file.url}`);
  console.log(line('training worker', summary.worker));
  for (const file of summary.worker.files) console.log(`    ${kb(file.gzipBytes).padStart(11)}  ${file.url}`);
  if (summary.precache) {
    console.log(
      `  service worker precache: ${summary.precache.files} files, ${kb(summary.precache.gzipBytes)} gzip`,
    );
  }
  const out = flagValue(process.argv, '--out');
  if (out) writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
}

await main();
