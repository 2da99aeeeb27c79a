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
 * machine are pessimistic: the load average is recorded beside each.
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

async function main(): Promise<void> {
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
  const [one, cli, two] = results;
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const measuredAt = new Date().toISOString();
  writeFileSync(
    new URL('sweep-throughput.json', dir),
    `${JSON.stringify({ measuredAt, steps: STEPS, cores: cpus().length, results }, null, 1)}\n`,
  );
  const row = (m: Measurement): string =>
    `| ${m.mode} | ${m.cells} | ${m.wallS} | ${m.cellsPerMinute} | ${m.trainingWallS} | ${m.trainingCpuS} | ${m.overheadS} | ${m.load[0]} → ${m.load[1]} |`;
  const md = [
    '# Sweep throughput',
    '',
    `\`npx tsx bench/sweep.ts\` on ${measuredAt.slice(0, 16).replace('T', ' ')} UTC: the same 4 cells (2×2, mlp preset, one seed, ${STEPS} steps each, no early stop), run by \`npm run sweep\` with 1 and 2 child processes and by \`npm run train\` one cell at a time. ${cpus().length} cores, **shared with other engineers' jobs** (load averages below): wall times are pessimistic; CPU time is the cleaner cost.`,
    '',
    '| how | cells | wall s | cells/min | Σ run wall s | Σ run CPU s | overhead s (wall − Σ run wall) | load (1 min) |',
    '|---|---|---|---|---|---|---|---|',
    ...results.map(row),
    '',
    `- The train CLI one cell at a time took ${cli.wallS} s, ${round(cli.wallS / one.wallS)}× the sweep's ${one.wallS} s with one worker; time outside training: ${cli.overheadS} s vs ${one.overheadS} s (the CLI pays a tsx start and a wasm backend init per cell, the sweep once per child, plus the merge).`,
    `- 2 workers vs 1: ${round(two.cellsPerMinute / one.cellsPerMinute)}× the cells per minute (on 2 cores shared with others; an idle 2-core machine would approach 2×).`,
    '',
  ].join('\n');
  writeFileSync(new URL('sweep-throughput.md', dir), md);
  console.log(md);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
