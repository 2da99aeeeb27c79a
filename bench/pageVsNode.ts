/**
 * `npx tsx bench/pageVsNode.ts [--rounds R] [--steps S] [--warmup W] [--port P]` — issue 23 item 3: a training
 * step of `mlp` and the fast transformer in Node wasm (1 thread, the single-threaded SIMD build) against the same
 * step in the harness page's bench worker in headless Chromium, by kernelTax's method (bench/lib/stepBlocks.ts):
 * the first step and the next 5 timed cold (bench:throughput --quick's figure), W warm-up steps, then R rounds; each round runs, per case, a block of S steps in Node and then in each page
 * variant (interleaved, so all see the same machine); the figure is the minimum over rounds of wall ms/step.
 *
 * Page variants, each one bench worker kept for the whole run (warm, as the Node process is):
 * - the build the lab's training worker loads: the page is cross-origin isolated, so tfjs-wasm's
 *   WASM_HAS_MULTITHREAD_SUPPORT is true and the threaded SIMD binary starts, on 1 XNNPACK thread for these
 *   models (src/worker/wasmThreads.ts gives threads only from 150 ms/step);
 * - the single-threaded SIMD binary (WASM_HAS_MULTITHREAD_SUPPORT false), the one Node runs.
 * The page's worker times its own block (no message inside it); its CPU ms/step is every Chromium process's CPU
 * over the block (/proc), so it includes the browser's own idle work.
 * Options: `--threads N` adds the lab's worker asked for N threads; `--cores N` the lab's worker as it starts on a
 * machine reporting N logical cores (tfjs-wasm's default pool is N / 2 threads when none were asked for).
 * Writes bench/results/kernel-tax/page-vs-node.{md,json}.
 */
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../src/engine/config';
import { startNodeBackend } from '../src/engine/node';
import { Trainer } from '../src/engine/trainer';
import type { BlockSetup, WasmBuild } from '../src/harness/bench.worker';
// The harness's `window.grokHarness` declaration, for the page.evaluate callbacks.
import type {} from '../src/harness/main';
import { openBrowserSession } from './browserSession';
import { flagValue } from './lib/flags';
import { load1, loadSpan, machine, minuteStamp } from './lib/machine';
import { childrenCpuMs } from './lib/processCpu';
import { writeResultPair } from './lib/resultFiles';
import { bestOf, formatStepMs, loadsOf, STEP_CASES, timeNodeBlock, type BlockTiming } from './lib/stepBlocks';

const argv = process.argv.slice(2);
const ROUNDS = Number(flagValue(argv, '--rounds') ?? 5);
const STEPS = Number(flagValue(argv, '--steps') ?? 40);
const WARMUP = Number(flagValue(argv, '--warmup') ?? 20);
/** Steps after the first that bench:throughput --quick averages in a fresh worker (its figure of 14.2 ms). */
const COLD_STEPS = 5;
// Not 4173 (vite preview's default, e2e) nor 4191 (bench:throughput): another bench may be serving there.
const PORT = Number(flagValue(argv, '--port') ?? 4277);

interface Variant {
  key: string;
  label: string;
  flags: Record<string, boolean>;
  setup?: BlockSetup;
}
const VARIANTS: Variant[] = [
  { key: 'lab', label: "the lab's build (as the training worker starts it)", flags: {} },
  { key: 'simd', label: 'single-threaded SIMD build', flags: { WASM_HAS_MULTITHREAD_SUPPORT: false } },
];
/** `--threads N`: one more variant, the lab's worker when the page asks it for N XNNPACK threads. */
const LAB_THREADS = flagValue(argv, '--threads');
if (LAB_THREADS !== undefined)
  VARIANTS.push({
    key: `lab×${LAB_THREADS}`,
    label: `the lab's build, ${LAB_THREADS} threads asked for as the page asks (requestWasmThreads)`,
    flags: {},
    setup: { labThreads: Number(LAB_THREADS) },
  });
/**
 * `--cores N`: one more variant, the lab's 1-thread worker as it starts on a machine that reports N logical cores:
 * unasked, tfjs-wasm would size its XNNPACK pool at N / 2 (here on this machine's cores); the training worker asks
 * for its one thread (requestWasmThreads), and the variant's reported thread count shows whether that holds.
 */
const REPORT_CORES = flagValue(argv, '--cores');
if (REPORT_CORES !== undefined)
  VARIANTS.push({
    key: `lab@${REPORT_CORES}`,
    label: `the lab's 1-thread worker on a machine reporting ${REPORT_CORES} logical cores`,
    flags: {},
    setup: { reportCores: Number(REPORT_CORES), labThreads: 1 },
  });

interface CaseResult {
  case: string;
  /** Per side (node, or a variant's key): the first step and the mean of the COLD_STEPS after it. */
  cold: Record<string, { firstMs: number; nextMsPerStep: number }>;
  node: BlockTiming[];
  page: Record<string, BlockTiming[]>;
}

function markdown(
  results: CaseResult[],
  builds: Record<string, WasmBuild>,
  meta: Record<string, string>,
): string {
  const variantHead = VARIANTS.map(
    (v) =>
      `page ${v.key}: ${builds[v.key].build}, ${builds[v.key].threads} thread${builds[v.key].threads > 1 ? 's' : ''}`,
  );
  const lines = [
    "# A training step in the page's worker vs Node (issue 23 item 3)",
    '',
    `\`${meta.command}\`, ${meta.date}, ${meta.cpu}, ${meta.cores} cores, Node ${meta.node}, ${meta.browser}; 1-minute load ${meta.load} (start → end).`,
    '',
    `Minimum over ${ROUNDS} rounds of ${STEPS} steps, after ${WARMUP} warm-up steps each; each round, per case: Node wasm (single-threaded SIMD build, 1 thread, this process), then the harness page's bench worker in headless Chromium for each build (one worker per build, kept warm for the whole run; the worker times its own block). CPU ms/step: this process's CPU for Node; every Chromium process's CPU over the block for the page (includes the browser's own work).`,
    '',
    `Page builds: ${VARIANTS.map((v) => `${v.key} = ${v.label}: ${builds[v.key].build}, ${builds[v.key].threads} XNNPACK thread(s), crossOriginIsolated ${builds[v.key].crossOriginIsolated}, wasm ready ${builds[v.key].startMs.toFixed(0)} ms after a fresh worker asked`).join('; ')}.`,
    '',
    `| case | Node ms/step | ${variantHead.join(' | ')} | ${VARIANTS.map((v) => `${v.key} ÷ Node`).join(' | ')} | CPU ms/step Node / ${VARIANTS.map((v) => v.key).join(' / ')} | loads per round |`,
    `|---|---|${VARIANTS.map(() => '---|---|').join('')}---|---|`,
  ];
  for (const r of results) {
    const node = bestOf(r.node, 'msPerStep');
    const page = VARIANTS.map((v) => bestOf(r.page[v.key], 'msPerStep'));
    const cpu = [r.node, ...VARIANTS.map((v) => r.page[v.key])].map((list) =>
      formatStepMs(bestOf(list, 'cpuMsPerStep')),
    );
    lines.push(
      `| ${r.case} | ${formatStepMs(node)} | ${page.map(formatStepMs).join(' | ')} | ${page.map((p) => `${formatStepMs(p / node)}×`).join(' | ')} | ${cpu.join(' / ')} | ${loadsOf(r.node)} |`,
    );
  }
  const sides = ['node', ...VARIANTS.map((v) => v.key)];
  lines.push(
    '',
    `Cold, as \`bench:throughput -- --quick\` times a fresh worker: the first step, then the mean of the next ${COLD_STEPS} (ms; Node's process was as fresh):`,
    '',
    `| case | ${sides.map((side) => `${side}: first / next ${COLD_STEPS}`).join(' | ')} | ${VARIANTS.map((v) => `${v.key} ÷ Node, next ${COLD_STEPS}`).join(' | ')} |`,
    `|---|${sides.map(() => '---|').join('')}${VARIANTS.map(() => '---|').join('')}`,
  );
  for (const r of results) {
    const cells = sides.map(
      (side) => `${formatStepMs(r.cold[side].firstMs)} / ${formatStepMs(r.cold[side].nextMsPerStep)}`,
    );
    const ratios = VARIANTS.map(
      (v) => `${formatStepMs(r.cold[v.key].nextMsPerStep / r.cold.node.nextMsPerStep)}×`,
    );
    lines.push(`| ${r.case} | ${cells.join(' | ')} | ${ratios.join(' | ')} |`);
  }
  lines.push('', 'Every round (wall ms/step):', '');
  for (const r of results) {
    const rows = r.node.map(
      (t, i) =>
        `${formatStepMs(t.msPerStep)} / ${VARIANTS.map((v) => formatStepMs(r.page[v.key][i].msPerStep)).join(' / ')}`,
    );
    lines.push(`- ${r.case} (Node / ${VARIANTS.map((v) => v.key).join(' / ')}): ${rows.join('; ')}`);
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  await startNodeBackend('wasm', { wasmThreads: 1 });
  const loadBefore = load1();
  const configs = STEP_CASES.map((item) => {
    const resolved = resolveConfig(item.config);
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
    return resolved.config;
  });
  const trainers = configs.map((config) => new Trainer(config));
  const session = await openBrowserSession({ outDirName: 'page-vs-node', port: PORT, strictPort: true });
  try {
    const page = await session.browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') console.log(`page: ${message.text()}`);
    });
    await page.goto(`${session.baseUrl.replace(/\/$/, '')}/harness.html`);
    await page.waitForFunction(() => document.title.includes('(ready)'));
    const builds: Record<string, WasmBuild> = {};
    for (const variant of VARIANTS) {
      builds[variant.key] = await page.evaluate(
        ([key, c, flags, setup]) => window.grokHarness.openBlocks(key, c, flags, setup),
        [variant.key, configs as unknown[], variant.flags, variant.setup ?? {}] as const,
      );
      console.log(`page ${variant.key}: ${JSON.stringify(builds[variant.key])}`);
    }
    const pageBlock = async (key: string, index: number, steps: number): Promise<BlockTiming> => {
      const load = load1();
      const cpu = childrenCpuMs();
      const msPerStep = await page.evaluate(([k, i, s]) => window.grokHarness.timeBlock(k, i, s), [
        key,
        index,
        steps,
      ] as const);
      return { msPerStep, cpuMsPerStep: (childrenCpuMs() - cpu) / steps, load };
    };
    const results: CaseResult[] = STEP_CASES.map((item) => ({
      case: item.name,
      cold: {},
      node: [],
      page: Object.fromEntries(VARIANTS.map((v) => [v.key, []])),
    }));
    // Cold first: the first step, then the mean of the next COLD_STEPS, as bench:throughput --quick times a
    // fresh worker (timeSteps); then the warm-up. Node's process is as fresh as the workers here.
    for (const [i, item] of STEP_CASES.entries()) {
      const sides: [string, (steps: number) => Promise<BlockTiming>][] = [
        ['node', async (steps) => timeNodeBlock(trainers[i], steps)],
        ...VARIANTS.map((v): [string, (steps: number) => Promise<BlockTiming>] => [
          v.key,
          (steps) => pageBlock(v.key, i, steps),
        ]),
      ];
      for (const [side, block] of sides) {
        const first = await block(1);
        const next = await block(COLD_STEPS);
        results[i].cold[side] = { firstMs: first.msPerStep, nextMsPerStep: next.msPerStep };
        await block(WARMUP);
      }
      console.log(`${item.name}: cold ${JSON.stringify(results[i].cold)}`);
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, item] of STEP_CASES.entries()) {
        const result = results[i];
        result.node.push(timeNodeBlock(trainers[i], STEPS));
        for (const variant of VARIANTS) result.page[variant.key].push(await pageBlock(variant.key, i, STEPS));
        console.log(
          `round ${round} ${item.name}: Node ${formatStepMs(result.node.at(-1)!.msPerStep)}, ${VARIANTS.map((v) => `${v.key} ${formatStepMs(result.page[v.key].at(-1)!.msPerStep)}`).join(', ')} ms/step (load ${load1().toFixed(1)})`,
        );
      }
    }
    for (const variant of VARIANTS)
      await page.evaluate((key) => window.grokHarness.closeBlocks(key), variant.key);
    const here = machine();
    const meta = {
      command: `npx tsx bench/pageVsNode.ts ${argv.join(' ')}`.trim(),
      date: minuteStamp(),
      cpu: here.cpu,
      cores: String(here.cores),
      node: here.node,
      browser: `Chromium ${session.browser.version()}`,
      load: loadSpan(loadBefore),
    };
    const text = markdown(results, builds, meta);
    writeResultPair(
      fileURLToPath(new URL('./results/kernel-tax/', import.meta.url)),
      'page-vs-node',
      { meta, builds, results },
      text,
    );
    console.log(text);
  } finally {
    trainers.forEach((trainer) => trainer.dispose());
    await session.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
