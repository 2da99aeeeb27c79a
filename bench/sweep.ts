import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expandSweep } from '../src/lib/sweep/cells';
import { parseSweepSpec } from '../src/lib/sweep/spec';

/**
 * `npx tsx bench/sweep.ts`: the sweep's throughput (cells per minute with 1 and 2 child processes) and its
 * overhead against the same cells run one by one through the train CLI, on one small sweep (2×2 cells of the mlp
 * preset, one seed, a short budget). Writes bench/results/sweep-throughput.{json,md}. Wall times on a shared
 * machine are pessimistic: the load average is recorded beside each. `--report-only` rewrites the .md from the .json.
 */

const run = promisify(execFile);
const STEPS = Number(process.env.SWEEP_BENCH_STEPS ?? 600);

const SPEC = {
  title: 'sweep bench',
  preset: 'mlp',
  x: { key: 'regularizers.weightDecay.coefficient', values: [1, 3] },
  y: { key: 'regularizers.radial.lambda', values: [0, 0.01] },
  seeds: [0],
  steps: STEPS,
  stopAfterGrok: 0,
};
const FLAGS = [
  '--preset',
  'mlp',
  '--x',
  'regularizers.weightDecay.coefficient=1,3',
  '--y',
  'regularizers.radial.lambda=0,0.01',
  '--seeds',
  '1',
  '--steps',
  String(STEPS),
  '--stop-after-grok',
  '0',
  '--quiet',
];

interface Measurement {
  mode: string;
  cells: number;
  wallS: number;
  cellsPerMinute: number;
  /** Sum over cells of the training runs' own wall time (Trainer built → last evaluation), s. */
  trainingWallS: number;
  /** Sum over cells of the runs' CPU time, s. */
  trainingCpuS: number;
  /** Wall time outside the runs themselves: process start, tsx, wasm init, files, merge. */
  overheadS: number;
  load: [number, number];
}

const round = (x: number, digits = 3): number => Number(x.toPrecision(digits));

async function timed<T>(
  work: () => Promise<T>,
): Promise<{ value: T; wallS: number; load: [number, number] }> {
  const load0 = loadavg()[0];
  const started = performance.now();
  const value = await work();
  return { value, wallS: (performance.now() - started) / 1000, load: [round(load0), round(loadavg()[0])] };
}

function measurement(
  mode: string,
  cells: { wallMs: number; cpuMs: number | null }[],
  wallS: number,
  load: [number, number],
): Measurement {
  const trainingWallS = cells.reduce((s, c) => s + c.wallMs, 0) / 1000;
  return {
    mode,
    cells: cells.length,
    wallS: round(wallS),
    cellsPerMinute: round(cells.length / (wallS / 60)),
    trainingWallS: round(trainingWallS),
    trainingCpuS: round(cells.reduce((s, c) => s + (c.cpuMs ?? 0), 0) / 1000),
    overheadS: round(wallS - trainingWallS),
    load,
  };
}

async function sweepWith(workers: number): Promise<Measurement> {
  const out = mkdtempSync(join(tmpdir(), `sweep-bench-w${workers}-`));
  const { wallS, load } = await timed(() =>
    run('npx', ['tsx', 'scripts/sweep.ts', ...FLAGS, '--workers', String(workers), '--out', out]),
  );
  const cells = JSON.parse(readFileSync(join(out, 'cells.json'), 'utf8')) as {
    wallMs: number;
    cpuMs: number | null;
  }[];
  return measurement(`npm run sweep, ${workers} worker${workers > 1 ? 's' : ''}`, cells, wallS, load);
}

async function trainCliOneByOne(): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-bench-cli-'));
  const { cells } = expandSweep(parseSweepSpec(SPEC));
  const { value, wallS, load } = await timed(async () => {
    const results: { wallMs: number; cpuMs: number | null }[] = [];
    for (const cell of cells) {
      const config = join(dir, `${cell.id}.config.json`);
      const out = join(dir, `${cell.id}.json`);
      writeFileSync(config, JSON.stringify(cell.config));
      await run('npx', ['tsx', 'scripts/train.ts', '--config', config, '--out', out, '--quiet']);
      const output = JSON.parse(readFileSync(out, 'utf8')) as { wallMs: number; cpuMs?: number };
      results.push({ wallMs: output.wallMs, cpuMs: output.cpuMs ?? null });
    }
    return results;
  });
  return measurement('train CLI, one by one', value, wallS, load);
}

interface BenchFile {
  measuredAt: string;
  steps: number;
  cores: number;
  results: Measurement[];
}

function report({ measuredAt, steps, cores, results }: BenchFile): string {
  const [one, cli, two] = results;
  // With several workers the runs overlap, so "wall − Σ run wall" means nothing there.
  const overhead = (m: Measurement): string =>
    m.mode.includes('2 workers') ? 'n/a (runs overlap)' : String(m.overheadS);
  const row = (m: Measurement): string =>
    `| ${m.mode} | ${m.cells} | ${m.wallS} | ${m.cellsPerMinute} | ${m.trainingWallS} | ${m.trainingCpuS} | ${overhead(m)} | ${m.load[0]} → ${m.load[1]} |`;
  return [
    '# Sweep throughput',
    '',
    `\`npx tsx bench/sweep.ts\` on ${measuredAt.slice(0, 16).replace('T', ' ')} UTC: the same 4 cells (2×2, mlp preset, one seed, ${steps} steps each, no early stop), run by \`npm run sweep\` with 1 and 2 child processes and by \`npm run train\` one cell at a time, back to back. ${cores} cores, **shared with other engineers' jobs** (load averages below, i.e. the cores were oversubscribed several times over): wall times are very pessimistic; CPU time is the cleaner cost of the training itself.`,
    '',
    '| how | cells | wall s | cells/min | Σ run wall s | Σ run CPU s | outside training, s (wall − Σ run wall) | load (1 min) |',
    '|---|---|---|---|---|---|---|---|',
    ...results.map(row),
    '',
    `- The train CLI one cell at a time took ${cli.wallS} s, ${round(cli.wallS / one.wallS)}× the sweep's ${one.wallS} s with one worker; time outside training: ${cli.overheadS} s vs ${one.overheadS} s (the CLI pays a tsx start and a wasm backend init per cell, the sweep once per child, plus the merge).`,
    `- 2 workers vs 1: ${round(two.cellsPerMinute / one.cellsPerMinute)}× the cells per minute at load ${two.load[0]}–${two.load[1]} on ${cores} cores: with the cores already oversubscribed by other jobs, a second process adds little; this run says nothing about an idle machine.`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const dir = new URL('./results/', import.meta.url);
  if (process.argv.includes('--report-only')) {
    const file = JSON.parse(readFileSync(new URL('sweep-throughput.json', dir), 'utf8')) as BenchFile;
    writeFileSync(new URL('sweep-throughput.md', dir), report(file));
    return;
  }
  console.log(
    `sweep bench: 2×2 cells, mlp, ${STEPS} steps each · ${cpus().length} cores · load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const results: Measurement[] = [];
  for (const step of [() => sweepWith(1), () => trainCliOneByOne(), () => sweepWith(2)]) {
    const result = await step();
    console.log(JSON.stringify(result));
    results.push(result);
  }
  mkdirSync(dir, { recursive: true });
  const file: BenchFile = {
    measuredAt: new Date().toISOString(),
    steps: STEPS,
    cores: cpus().length,
    results,
  };
  writeFileSync(new URL('sweep-throughput.json', dir), `${JSON.stringify(file, null, 1)}\n`);
  const md = report(file);
  writeFileSync(new URL('sweep-throughput.md', dir), md);
  console.log(md);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
