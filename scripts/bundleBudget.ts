/**
 * The page's first-load budget, checked on a production build (`npm test` runs it after the browser tests, whose
 * web server has just built `dist/`; without a `dist/` it builds one):
 *
 *   npx tsx scripts/bundleBudget.ts [--dist DIR]
 *
 * The entry = what index.html loads before any script runs: its module script, the chunks it preloads and its
 * stylesheets, each gzipped (level 6, a typical static host's). It fails (exit 1) past ENTRY_BUDGET_GZIP_BYTES.
 * The workers (tfjs, loaded after the page is up) are reported, not budgeted here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * The entry's gzip budget. Measured 2026-11-29 after the split that keeps tfjs out of the page: ≈ 258 KiB
 * (React, recharts, zod, the app); before it, 519 KiB unminified with tfjs-core. Room for a feature or two; a
 * change that pulls tfjs back into the page (≈ +150 KiB gzip) fails.
 */
export const ENTRY_BUDGET_GZIP_BYTES = 300 * 1024;

export interface EntryFile {
  path: string;
  rawBytes: number;
  gzipBytes: number;
}

/** The files index.html loads up front: module scripts, modulepreloads and stylesheets (same-origin paths). */
export function entryFiles(indexHtml: string): string[] {
  const paths = new Set<string>();
  for (const match of indexHtml.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g))
    paths.add(match[1]);
  for (const match of indexHtml.matchAll(
    /<link\b[^>]*\brel="(?:modulepreload|stylesheet)"[^>]*\bhref="([^"]+)"/g,
  )) {
    paths.add(match[1]);
  }
  return [...paths].filter((path) => !/^[a-z]+:/i.test(path)).map((path) => path.replace(/^\.?\//, ''));
}

export function measure(dist: string, paths: readonly string[]): EntryFile[] {
  return paths.map((path) => {
    const bytes = readFileSync(join(dist, path));
    return { path, rawBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 6 }).length };
  });
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const index = process.argv.indexOf('--dist');
  const dist = resolve(index >= 0 ? process.argv[index + 1] : join(root, 'dist'));
  if (!existsSync(join(dist, 'index.html'))) {
    const { build } = await import('vite');
    await build({
      root,
      configFile: join(root, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: dist },
    });
  }
  const files = measure(dist, entryFiles(readFileSync(join(dist, 'index.html'), 'utf8')));
  const total = files.reduce((sum, file) => sum + file.gzipBytes, 0);
  for (const file of files) console.log(`${kib(file.gzipBytes).padStart(11)} gzip  ${file.path}`);
  const workers = readdirSync(join(dist, 'assets')).filter((name) => /worker.*\.js$/.test(name));
  for (const file of measure(
    dist,
    workers.map((name) => `assets/${name}`),
  )) {
    console.log(`${kib(file.gzipBytes).padStart(11)} gzip  ${file.path} (worker, loaded after the page)`);
  }
  const verdict = total <= ENTRY_BUDGET_GZIP_BYTES ? 'within' : 'OVER';
  console.log(`page entry: ${kib(total)} gzip, ${verdict} the budget of ${kib(ENTRY_BUDGET_GZIP_BYTES)}`);
  if (total > ENTRY_BUDGET_GZIP_BYTES) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
