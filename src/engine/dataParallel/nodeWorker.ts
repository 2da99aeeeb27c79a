/**
 * Starts a worker_thread on a TypeScript entry (the engine's followers, the exchange's test peer). Node 20 does
 * not hand a worker the parent's `--import tsx` (execArgv cannot carry it), so a two-line bootstrap registers
 * tsx's loader inside the worker and then imports the entry. tsx's API is located from this package, not from the
 * working directory an eval'd bootstrap would resolve from.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';

const TsxManifest = z.object({
  exports: z.object({ './esm/api': z.object({ import: z.object({ default: z.string() }) }) }),
});

function tsxLoaderUrl(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = TsxManifest.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
  return pathToFileURL(join(dirname(manifestPath), manifest.exports['./esm/api'].import.default)).href;
}

export function startTypeScriptWorker(entry: URL, workerData: unknown): Worker {
  const bootstrap =
    `import(${JSON.stringify(tsxLoaderUrl())})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}
