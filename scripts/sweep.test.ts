import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * `npm run sweep` for real: a 2×2 sweep, one seed, 200 steps of the mlp on the wasm backend, run whole in one
 * folder and as two shards *at once* (two processes, as two pods of an Indexed Job would, mapped from
 * JOB_COMPLETION_INDEX) into another, then merged: the merge must equal the unsharded result cell by cell.
 */

const run = promisify(execFile);
const tsx = (args: string[], env: Record<string, string> = {}) =>
  run('npx', ['tsx', ...args], { env: { ...process.env, ...env }, maxBuffer: 1 << 24 });

const SWEEP = [
  '--preset',
  'mlp',
  '--set',
  'task.modulus=17',
  '--set',
  'task.trainFraction=0.8',
  '--set',
  'optimizer.lr=0.01',
  '--x',
  'regularizers.weightDecay.coefficient=1,3',
  '--y',
  'regularizers.radial.lambda=0,0.01',
  '--steps',
  '200',
  '--stop-after-grok',
  '20',
  // A fixed schedule: the adaptive one places evaluations by measured timings, which differ between processes.
  '--eval-every',
  '25',
  '--workers',
  '1',
  '--quiet',
];

/** cells.json without what depends on the machine's load (times). */
function outcomes(dir: string): unknown[] {
  const cells = JSON.parse(readFileSync(join(dir, 'cells.json'), 'utf8')) as Record<string, unknown>[];
  return cells.map(({ wallMs: _w, cpuMs: _c, msPerStep: _m, ...rest }) => rest);
}

describe('npm run sweep (real training on wasm)', () => {
  const whole = mkdtempSync(join(tmpdir(), 'sweep-whole-'));
  const sharded = mkdtempSync(join(tmpdir(), 'sweep-shards-'));

  it('writes one train-CLI JSON per cell plus heatmap.svg, table.md and cells.json', async () => {
    const { stdout } = await tsx(['scripts/sweep.ts', ...SWEEP, '--out', whole]);
    expect(stdout).toMatch(
      /4 cells \(2 × 2 values × 1 seed\), each up to 200 steps at ≈ [^:]+ a step: up to [^,]+ of training, shard 1\/1: 4, already stored 0, to run 4 on 1 worker/,
    );
    const files = readdirSync(whole).sort();
    expect(files.filter((f) => /^cell-[0-9a-f]{16}\.json$/.test(f))).toHaveLength(4);
    expect(files).toEqual(expect.arrayContaining(['heatmap.svg', 'table.md', 'cells.json', 'sweep.json']));
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const cell = JSON.parse(
      readFileSync(
        join(
          whole,
          files.find((f) => f.startsWith('cell-'))!,
        ),
        'utf8',
      ),
    );
    for (const key of [
      'config',
      'backend',
      'history',
      'events',
      'stepsToGrok',
      'stoppedBecause',
      'final',
      'msPerStep',
      'wallMs',
    ]) {
      expect(cell, key).toHaveProperty(key);
    }
    expect(cell.backend).toBe('wasm');
    expect(cell.final.step).toBeGreaterThan(0);
    const table = readFileSync(join(whole, 'table.md'), 'utf8');
    expect(table).toContain(
      '| regularizers.radial.lambda ↓ · regularizers.weightDecay.coefficient → | 1 | 3 |',
    );
    expect(table).toContain('4/4 runs finished');
  });

  it('gives a cell the same run as the train CLI given that cell’s config', async () => {
    const name = readdirSync(whole).find((f) => f.startsWith('cell-'))!;
    const cell = JSON.parse(readFileSync(join(whole, name), 'utf8'));
    const config = join(sharded, '..', `${name}.config.json`);
    writeFileSync(config, JSON.stringify(cell.config));
    const out = join(sharded, '..', `${name}.train.json`);
    await tsx(['scripts/train.ts', '--config', config, '--out', out, '--quiet']);
    const train = JSON.parse(readFileSync(out, 'utf8'));
    expect(train.config).toEqual(cell.config);
    expect(train.stepsToGrok).toBe(cell.stepsToGrok);
    expect(train.history.map((r: { testAccuracy: number }) => r.testAccuracy)).toEqual(
      cell.history.map((r: { testAccuracy: number }) => r.testAccuracy),
    );
  });

  it('runs two shards at once from JOB_COMPLETION_INDEX, and their merge equals the unsharded sweep', async () => {
    const shard = (index: number) =>
      tsx(
        [
          'scripts/sweep.ts',
          ...SWEEP,
          '--shard-from-env',
          'JOB_COMPLETION_INDEX/SWEEP_SHARDS',
          '--out',
          sharded,
        ],
        {
          JOB_COMPLETION_INDEX: String(index),
          SWEEP_SHARDS: '2',
        },
      );
    const [first, second] = await Promise.all([shard(0), shard(1)]);
    expect(first.stdout).toMatch(/shard 1\/2: 2, already stored 0, to run 2/);
    expect(second.stdout).toMatch(/shard 2\/2: 2, already stored 0, to run 2/);
    // --merge alone: the spec comes from the folder's sweep.json.
    const { stdout } = await tsx(['scripts/sweep.ts', '--merge', '--out', sharded]);
    expect(stdout).toMatch(/merged 4\/4 cells/);
    expect(outcomes(sharded)).toEqual(outcomes(whole));
    expect(readFileSync(join(sharded, 'table.md'), 'utf8')).toBe(
      readFileSync(join(whole, 'table.md'), 'utf8'),
    );
    expect(readFileSync(join(sharded, 'heatmap.svg'), 'utf8')).toBe(
      readFileSync(join(whole, 'heatmap.svg'), 'utf8'),
    );
  });

  it('resumes: cells already stored are not run again', async () => {
    const cells = readdirSync(whole).filter((f) => f.startsWith('cell-'));
    const before = cells.map((f) => statSync(join(whole, f)).mtimeMs);
    const { stdout } = await tsx(['scripts/sweep.ts', ...SWEEP, '--out', whole]);
    expect(stdout).toMatch(/already stored 4, to run 0/);
    expect(cells.map((f) => statSync(join(whole, f)).mtimeMs)).toEqual(before);
  });
});
