import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/chromium';

// E2E_PORT: another port when several checkouts run their browser tests on one machine.
const PORT = Number(process.env.E2E_PORT ?? 4173);

// Uses the system (Debian) Chromium; Playwright's own browser downloads are never used.
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 180_000,
  // Every wait in a spec is for a state, never for a speed: the default 5 s of an assertion's auto-wait (and of an
  // expect.poll without its own timeout) is a speed assumption that a loaded 2-core machine breaks. A longer wait
  // only delays a real failure; a passing state is seen as soon as it holds.
  expect: { timeout: 60_000 },
  // No retries: a flaky spec is a defect to fix, not to hide. One worker: the specs train real models, and two
  // at once on 2 cores would starve each other's training workers.
  retries: 0,
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://localhost:${PORT}`,
    headless: true,
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    command: `npx vite build && npx vite preview --port ${PORT} --strictPort`,
    url: `http://localhost:${PORT}`,
    reuseExistingServer: !process.env.CI,
    // The production build runs first; on a loaded machine it takes minutes.
    timeout: 600_000,
  },
});
