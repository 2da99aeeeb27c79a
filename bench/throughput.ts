/**
 * `npm run bench:throughput`: ms per training step (forward + backward + AdamW, full batch) of the `classic` and
 * `mlp` presets on every backend: wasm and cpu in Node, and webgpu / webgl / wasm / cpu in a worker of headless
 * Chromium (the harness page's bench worker, served by `vite preview`). Each measurement times the first step
 * alone (shader compilation, allocation), then up to MAX_STEPS more within MAX_MS; a first step longer than
 * MAX_FIRST_MS is reported on its own. Writes bench/results/throughput.{md,json}.
 *
 *   npm run bench:throughput            # everything (a few minutes on 2 cores)
 *   npm run bench:throughput -- --node  # Node only
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import type { BackendName } from '../src/engine/backend';
import { resolveConfig } from '../src/engine/config';
import { initNodeBackend } from '../src/engine/node';
import { PRESETS, type PresetName } from '../src/engine/presets';
import { Trainer } from '../src/engine/trainer';
import { timeSteps, type StepTiming, type TimingLimits } from '../src/worker/backendChoice';
import { createTfHost } from '../src/worker/tfHost';
import type { BenchResult } from '../src/harness/bench.worker';
// The harness's `window.grokHarness` declaration, for the page.evaluate callbacks.
import type {} from '../src/harness/main';

// SwiftShader's first step (shader compilation) takes tens of seconds; allow it, then time up to 20 steps / 20 s.
const LIMITS: TimingLimits = { maxSteps: 20, maxMs: 20_000, maxFirstStepMs: 60_000 };
/** In the browser a measurement is abandoned (its worker terminated) after this long. */
const HARD_CAP_MS = 120_000;
const PRESET_NAMES: PresetName[] = ['classic', 'mlp'];
const PORT = 4175;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
/** The same flags as playwright.config.ts (DESIGN §4: without them Chromium floods refused connections). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

interface Row extends StepTiming {
  where: 'node' | 'chromium worker';
  backend: BackendName;
  variant: string;
  preset: PresetName;
  device: string | null;
  error?: string;
  /** The first step had not finished after this long; the measurement was stopped. */
  cappedAtMs?: number;
}

interface Variant {
  backend: BackendName;
  variant: string;
  flags?: Record<string, number | boolean>;
  presets: PresetName[];
}

const BROWSER_VARIANTS: Variant[] = [
  { backend: 'webgpu', variant: 'default', presets: PRESET_NAMES },
  // DESIGN §4: WebGPU hands ops on small tensors to the CPU by default; measure what that does for small models.
  {
    backend: 'webgpu',
    variant: 'CPU handoff off',
    flags: { WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD: 0 },
    presets: ['mlp'],
  },
  { backend: 'webgl', variant: 'default', presets: PRESET_NAMES },
  { backend: 'wasm', variant: 'threaded build (page is cross-origin isolated)', presets: PRESET_NAMES },
  {
    backend: 'wasm',
    variant: 'single-threaded build',
    flags: { WASM_HAS_MULTITHREAD_SUPPORT: false },
    presets: PRESET_NAMES,
  },
  { backend: 'cpu', variant: 'default', presets: PRESET_NAMES },
];

function configOf(preset: PresetName): unknown {
  return PRESETS[preset].config;
}

function log(row: Row): void {
  const timing = row.error ? `error: ${row.error}` : `${describe(row)}`;
  console.log(
    `${row.where.padEnd(15)} ${row.backend.padEnd(6)} ${row.variant.padEnd(20).slice(0, 20)} ${row.preset.padEnd(7)} ${timing}`,
  );
}

function describe(row: Row): string {
  if (row.error) return `error: ${row.error.slice(0, 80)}`;
  if (row.cappedAtMs) return `> ${ms(row.cappedAtMs)} (first step unfinished; stopped)`;
  if (row.steps === 0) return `≥ ${ms(row.firstStepMs)} (first step only)`;
  return `${ms(row.msPerStep)} (${row.steps} steps; first ${ms(row.firstStepMs)})`;
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value >= 100 ? 0 : 1)} ms`;
}

async function benchNode(): Promise<Row[]> {
  await initNodeBackend('wasm');
  const host = createTfHost();
  const rows: Row[] = [];
  for (const backend of ['wasm', 'cpu'] as const) {
    await host.activate(backend);
    for (const preset of PRESET_NAMES) {
      const resolved = resolveConfig(configOf(preset));
      if (!resolved.ok) throw new Error(`preset ${preset} is invalid`);
      const trainer = new Trainer(resolved.config);
      try {
        const timing = await timeSteps(trainer, performance, LIMITS);
        rows.push({ where: 'node', backend, variant: 'default', preset, device: null, ...timing });
      } finally {
        trainer.dispose();
      }
      log(rows.at(-1)!);
    }
  }
  return rows;
}

async function benchBrowser(): Promise<{ rows: Row[]; browserVersion: string }> {
  const outDir = fileURLToPath(new URL('./results/tmp/dist', import.meta.url));
  // Only the harness entry: the bench must not depend on the app's page building.
  await build({
    root: ROOT,
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      rolldownOptions: { input: fileURLToPath(new URL('../harness.html', import.meta.url)) },
    },
  });
  const server = await preview({
    root: ROOT,
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    logLevel: 'warn',
    build: { outDir },
    preview: { port: PORT, strictPort: true, open: false },
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const rows: Row[] = [];
  try {
    const page = await browser.newPage();
    await page.goto(`http://localhost:${PORT}/harness.html`);
    await page.waitForFunction(() => document.title.includes('(ready)'));
    for (const { backend, variant, flags, presets } of BROWSER_VARIANTS) {
      for (const preset of presets) {
        let row: Row;
        try {
          const result: BenchResult | null = await page.evaluate(
            ([config, name, limits, extra, cap]) =>
              window.grokHarness.bench(config, name, limits, extra, cap),
            [configOf(preset), backend, LIMITS, flags ?? {}, HARD_CAP_MS] as const,
          );
          const stopped = {
            device: null,
            firstStepMs: Number.NaN,
            msPerStep: Number.NaN,
            steps: 0,
            cappedAtMs: HARD_CAP_MS,
          };
          row = { ...(result ?? stopped), where: 'chromium worker', backend, variant, preset };
        } catch (error) {
          const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
          row = {
            where: 'chromium worker',
            backend,
            variant,
            preset,
            device: null,
            firstStepMs: NaN,
            msPerStep: NaN,
            steps: 0,
            error: message,
          };
        }
        rows.push(row);
        log(row);
      }
    }
    return { rows, browserVersion: browser.version() };
  } finally {
    await browser.close();
    await new Promise<void>((resolve, reject) =>
      server.httpServer.close((error) => (error ? reject(error) : resolve())),
    );
  }
}

function markdown(rows: Row[], meta: Record<string, string>): string {
  const keys = [...new Set(rows.map((row) => `${row.where}|${row.backend}|${row.variant}`))];
  const lines = [
    '# Training throughput per backend',
    '',
    `Generated by \`npm run bench:throughput\` on ${meta.date}: ${meta.cpu}, ${meta.cores} cores; Node ${meta.node}; Chromium ${meta.chromium}.`,
    `1-minute load average ${meta.load} (start → end); above ${meta.cores} the machine was shared and timings are inflated.`,
    '',
    'ms per full-batch training step (forward + backward + AdamW), mean over the timed steps after the first;',
    'in brackets: steps timed / first step (shader compilation, allocation). Limits: ' +
      `${LIMITS.maxSteps} steps or ${LIMITS.maxMs / 1000} s after the first; a first step over ${LIMITS.maxFirstStepMs / 1000} s is reported alone ("≥");` +
      ` in the browser a measurement is stopped after ${HARD_CAP_MS / 1000} s (">").`,
    '`classic`: 1-layer transformer, (a+b) mod 97, 30% train (2 823 rows), d 128, 4 heads, MLP 512.',
    '`mlp`: (a+b) mod 31, 70% train (673 rows), embeddings 2×64 → 256 ReLU → 31.',
    '',
    '| where | backend | variant | device | classic | mlp |',
    '|---|---|---|---|---|---|',
  ];
  for (const key of keys) {
    const [where, backend, variant] = key.split('|');
    const cells = PRESET_NAMES.map((preset) => {
      const row = rows.find((r) => `${r.where}|${r.backend}|${r.variant}` === key && r.preset === preset);
      if (!row) return '—';
      return row.steps > 0
        ? `**${ms(row.msPerStep)}** (${row.steps} / ${ms(row.firstStepMs)})`
        : describe(row);
    });
    const device = rows.find((r) => `${r.where}|${r.backend}|${r.variant}` === key)?.device ?? '';
    lines.push(`| ${where} | ${backend} | ${variant} | ${device} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const nodeOnly = process.argv.includes('--node');
  const browserOnly = process.argv.includes('--browser');
  const rows: Row[] = [];
  const loadBefore = os.loadavg()[0];
  let chromiumVersion = 'not run';
  if (!browserOnly) rows.push(...(await benchNode()));
  if (!nodeOnly) {
    const browser = await benchBrowser();
    rows.push(...browser.rows);
    chromiumVersion = browser.browserVersion;
  }
  const meta = {
    date: new Date().toISOString().slice(0, 10),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: String(os.cpus().length),
    node: process.version,
    chromium: chromiumVersion,
    // The machine may be shared: a 1-minute load average above the core count means inflated timings.
    load: `${loadBefore.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(`${RESULTS}throughput.json`, JSON.stringify({ meta, limits: LIMITS, rows }, null, 1) + '\n');
  writeFileSync(`${RESULTS}throughput.md`, markdown(rows, meta));
  console.log(`\nwrote bench/results/throughput.md and throughput.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
