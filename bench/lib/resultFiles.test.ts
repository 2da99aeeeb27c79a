import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeJson, writeResultPair } from './resultFiles';

describe('result files', () => {
  const dirs: string[] = [];
  const temporary = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-results-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('stores JSON with one space of indent and a final newline', () => {
    const path = join(temporary(), 'x.json');
    writeJson(path, { a: [1, 2] });
    expect(readFileSync(path, 'utf8')).toBe('{\n "a": [\n  1,\n  2\n ]\n}\n');
  });

  it('writes name.json and name.md into a folder it makes', () => {
    const dir = join(temporary(), 'results', 'nested');
    writeResultPair(dir, 'threads', { meta: { cores: '2' } }, '# Threads\n');
    expect(JSON.parse(readFileSync(join(dir, 'threads.json'), 'utf8'))).toEqual({ meta: { cores: '2' } });
    expect(readFileSync(join(dir, 'threads.md'), 'utf8')).toBe('# Threads\n');
  });
});
