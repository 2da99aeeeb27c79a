import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseTrainArgs, parseValue, UsageError } from './cliArgs';

const run = promisify(execFile);

const usageError = (argv: string[]): string => {
  try {
    parseTrainArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
};

describe('train CLI arguments', () => {
  it('layers preset, --set and --steps over the defaults', () => {
    const args = parseTrainArgs([
      '--preset',
      'mlp',
      '--set',
      'task.modulus=59',
      '--set',
      'regularizers.weightDecay.coefficient=0.1',
      '--set',
      'regularizers.radial.enabled=true',
      '--steps',
      '123',
      '--eval-every',
      '10',
    ]);
    expect(args.config.model.kind).toBe('mlp');
    expect(args.config.task.modulus).toBe(59);
    expect(args.config.regularizers.weightDecay.coefficient).toBe(0.1);
    expect(args.config.regularizers.radial.enabled).toBe(true);
    expect(args.steps).toBe(123);
    expect(args.config.training.evalEvery).toBe(10);
  });

  it('parses values as JSON where possible', () => {
    expect(parseValue('1e-3')).toBe(0.001);
    expect(parseValue('false')).toBe(false);
    expect(parseValue('a+b')).toBe('a+b');
  });

  it('names the key and the allowed values', () => {
    expect(usageError(['--set', 'task.modulsu=5'])).toMatch(/task\.modulsu: unknown key/);
    expect(usageError(['--set', 'task.modulus=1'])).toMatch(/task\.modulus/);
    expect(usageError(['--set', 'task.trainFraction=1.5'])).toMatch(/task\.trainFraction/);
    expect(usageError(['--set', 'model.heads=5'])).toMatch(/model\.heads: must divide/);
    expect(usageError(['--set', 'model.kind=rnn'])).toMatch(/"mlp"\|"transformer"/);
    expect(usageError(['--preset', 'nope'])).toMatch(/choose one of: classic, (\w+, )*mlp/);
    expect(usageError(['--steps', 'many'])).toMatch(/--steps needs a whole number/);
    // A hexadecimal step count is refused with what it would have meant, not read as 16 silently.
    expect(usageError(['--steps', '0x10'])).toMatch(
      /--steps: "0x10" is not a decimal number \(write 16 if you mean 0x10\)/,
    );
    expect(usageError(['--bogus'])).toMatch(/unknown option/);
    expect(usageError(['--config', '/nonexistent.json'])).toMatch(/cannot read config file/);
  });

  it('backend, WebGPU adapter and wasm threads', () => {
    const defaults = parseTrainArgs([]);
    expect([defaults.backend, defaults.webgpuAdapter, defaults.threads]).toEqual(['wasm', null, 1]);
    const args = parseTrainArgs(['--backend', 'webgpu', '--webgpu-adapter', 'swiftshader', '--threads', '2']);
    expect([args.backend, args.webgpuAdapter, args.threads]).toEqual(['webgpu', 'swiftshader', 2]);
    expect(usageError(['--backend', 'webgl'])).toMatch(/--backend must be one of auto, webgpu, wasm, cpu/);
    expect(usageError(['--webgpu-adapter', 'lavapipe'])).toMatch(/system, swiftshader/);
    expect(usageError(['--threads', '0'])).toMatch(/--threads needs at least 1/);
  });

  it('data-parallel workers: wasm or cpu, one thread each', () => {
    expect(parseTrainArgs([]).workers).toBe(1);
    expect(parseTrainArgs(['--workers', '2']).workers).toBe(2);
    expect(parseTrainArgs(['--workers', '2', '--backend', 'cpu']).workers).toBe(2);
    expect(usageError(['--workers', '0'])).toMatch(/--workers needs at least 1/);
    expect(usageError(['--workers', '2', '--backend', 'webgpu'])).toMatch(/needs --backend wasm or cpu/);
    expect(usageError(['--workers', '2', '--threads', '2'])).toMatch(/do not combine/);
  });

  it('exits non-zero with a message and no stack trace; writes the run record', async () => {
    const failure = await run('npx', ['tsx', 'scripts/train.ts', '--set', 'model.heads=5']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect('code' in failure && failure.code).toBe(2);
    expect(failure.stderr).toMatch(/model\.heads: must divide model\.dModel/);
    expect(failure.stderr).not.toMatch(/\n\s+at /);

    const out = join(mkdtempSync(join(tmpdir(), 'grok-')), 'run.json');
    await run('npx', [
      'tsx',
      'scripts/train.ts',
      '--preset',
      'mlp',
      '--steps',
      '20',
      '--quiet',
      '--out',
      out,
    ]);
    const record = JSON.parse(readFileSync(out, 'utf8'));
    expect(record.backend).toBe('wasm');
    expect(record.history.at(-1).step).toBe(20);
    expect(Object.keys(record)).toEqual(
      expect.arrayContaining(['config', 'backend', 'history', 'stepsToGrok', 'final', 'msPerStep']),
    );
    expect(record.history[0]).toHaveProperty('activationRadius');
  }, 120_000);
});
