import { describe, expect, it } from 'vitest';
import { flagValue } from './flags';

describe('flagValue', () => {
  it('gives the word after the flag, or undefined when the flag is absent or last', () => {
    const argv = ['node', 'bench.ts', '--runs', '5', '--quick', '--out'];
    expect(flagValue(argv, '--runs')).toBe('5');
    expect(flagValue(argv, '--cases')).toBeUndefined();
    expect(flagValue(argv, '--out')).toBeUndefined();
  });
});
