import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITE_CONFIG = fileURLToPath(new URL('../vite.config.ts', import.meta.url));

export interface BrowserSession {
  browser: Browser;
  /** The preview's address (the next free port when `strictPort` is off and the port is taken). */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Builds one entry (default: only the harness page, so a bench never depends on the app's page) into
 * bench/results/tmp/<outDirName>, serves it with `vite preview` and launches Debian's Chromium.
 */
export async function openBrowserSession(options: {
  outDirName: string;
  port: number;
  strictPort: boolean;
  entry?: string;
  /** false: keep names readable (for CPU profiles); default: the production build as shipped. */
  minify?: boolean;
}): Promise<BrowserSession> {
  const outDir = fileURLToPath(new URL(`./results/tmp/${options.outDirName}`, import.meta.url));
  const entry = fileURLToPath(new URL(`../${options.entry ?? 'harness.html'}`, import.meta.url));
  await build({
    root: ROOT,
    configFile: VITE_CONFIG,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      rolldownOptions: { input: entry },
      ...(options.minify === false ? { minify: false } : {}),
    },
  });
  const server = await preview({
    root: ROOT,
    configFile: VITE_CONFIG,
    logLevel: 'warn',
    build: { outDir },
    preview: { port: options.port, strictPort: options.strictPort, open: false },
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    browser,
    baseUrl: server.resolvedUrls?.local[0] ?? `http://localhost:${options.port}/`,
    async close() {
      await browser.close();
      await new Promise<void>((resolve, reject) =>
        server.httpServer.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
