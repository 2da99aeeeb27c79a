import { describe, expect, it } from 'vitest';
import { UsageError } from './cliArgs';
import { parseSeeds, parseSweepArgs } from './sweepArgs';

const usageError = (argv: string[], env = {}): string => {
  try {
    parseSweepArgs(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
};

describe('sweep CLI arguments', () => {
  it('reads the issue’s command line', () => {
    const args = parseSweepArgs(
      [
        '--preset',
        'mlp',
        '--x',
        'regularizers.weightDecay.coefficient=0.03,0.1,0.3,1',
        '--y',
        'regularizers.radial.lambda=0,0.003,0.01,0.03',
        '--seeds',
        '3',
        '--steps',
        '20000',
        '--out',
        'sweep/',
      ],
      {},
    );
    expect(args.sweep!.cells).toHaveLength(48);
    expect(args.sweep!.spec).toMatchObject({ preset: 'mlp', seeds: [0, 1, 2], steps: 20_000 });
    expect(args).toMatchObject({ out: 'sweep/', shard: { index: 1, count: 1 }, merge: false });
    expect(args.workers).toBeGreaterThanOrEqual(1);
  });

  it('takes a named sweep and lets flags override it; --set goes into every cell', () => {
    const args = parseSweepArgs([
      '--sweep',
      'radial-map',
      '--seeds',
      '0,5',
      '--steps',
      '500',
      '--set',
      'optimizer.lr=0.01',
    ]);
    expect(args.sweep!.spec).toMatchObject({ preset: 'mlp', seeds: [0, 5], steps: 500 });
    expect(args.sweep!.cells).toHaveLength(32);
    expect(args.sweep!.cells.every((c) => c.config.optimizer.lr === 0.01)).toBe(true);
  });

  it('reads --shard, --shard-from-env, --workers, --merge, --history-points', () => {
    const base = ['--sweep', 'radial-map'];
    expect(parseSweepArgs([...base, '--shard', '3/4']).shard).toEqual({ index: 3, count: 4 });
    expect(
      parseSweepArgs([...base, '--shard-from-env', 'JOB_COMPLETION_INDEX/N'], {
        JOB_COMPLETION_INDEX: '2',
        N: '4',
      }).shard,
    ).toEqual({ index: 3, count: 4 });
    expect(parseSweepArgs([...base, '--workers', '2', '--history-points', '50'])).toMatchObject({
      workers: 2,
      historyPoints: 50,
    });
    // --merge alone reads the spec stored in the output folder.
    expect(parseSweepArgs(['--merge', '--out', 'x'])).toMatchObject({ merge: true, sweep: null, out: 'x' });
  });

  it('names what is wrong', () => {
    expect(usageError(['--x', 'optimizer.learningRate=1,2', '--y', 'optimizer.lr=1'])).toBe(
      'x: "optimizer.learningRate" is not a config key',
    );
    expect(usageError(['--x', 'regularizers.radial.enabled=1', '--y', 'optimizer.lr=1'])).toMatch(
      /"regularizers.radial.enabled" is not numeric/,
    );
    expect(usageError(['--x', 'optimizer.lr=1'])).toMatch(/needs --x and --y/);
    expect(usageError(['--sweep', 'nope'])).toMatch(
      /unknown sweep "nope"; choose one of: radial-map, data-fraction/,
    );
    expect(usageError(['--sweep', 'radial-map', '--shard', '5/4'])).toMatch(/1 ≤ i ≤ n/);
    expect(usageError(['--sweep', 'radial-map', '--shard-from-env', 'I/N'], { N: '2' })).toBe(
      'environment variable I is not set',
    );
    expect(usageError(['--sweep', 'radial-map', '--workers', '0'])).toMatch(
      /--workers needs a whole number ≥ 1/,
    );
    expect(usageError(['--sweep', 'radial-map', '--preset', 'nope'])).toMatch(/unknown preset "nope"/);
    expect(usageError(['--sweep', 'radial-map', '--set', 'optimizer.lr=5'])).toMatch(/optimizer.lr/);
    expect(usageError(['--bogus'])).toMatch(/unknown option "--bogus"/);
  });

  it('refuses a plan above its limit with the numbers, before building a cell (issue 25 item 1)', () => {
    const message = usageError([
      '--preset',
      'mlp',
      '--x',
      'regularizers.weightDecay.coefficient=0.01..1:64:log',
      '--y',
      'regularizers.radial.lambda=0..0.1:64',
      '--seeds',
      '100',
      '--workers',
      '2',
    ]);
    expect(message).toMatch(
      /^this sweep is 409 600 cells \(64 × 64 values × 100 seeds\), each up to 10 000 steps at ≈ \d+ ms a step: .*; the CLI plans at most 65 536 cells/,
    );
  });

  it('reads numbers as decimals only, saying what 0x10 would have meant (issue 25 item 8)', () => {
    expect(usageError(['--sweep', 'radial-map', '--steps', '0x10'])).toBe(
      '--steps needs a whole number ≥ 1, got "0x10" ("0x10" is not a decimal number (write 16 if you mean 0x10))',
    );
    expect(usageError(['--sweep', 'radial-map', '--x', 'optimizer.lr=0x10,1'])).toMatch(
      /"0x10" is not a decimal number/,
    );
    expect(() => parseSeeds('0x3')).toThrow(/"0x3" is not a decimal number \(write 3/);
  });

  it('reads seeds as a count or a list', () => {
    expect(parseSeeds('3')).toEqual([0, 1, 2]);
    expect(parseSeeds('4,7')).toEqual([4, 7]);
    expect(() => parseSeeds('0')).toThrow(UsageError);
  });
});
