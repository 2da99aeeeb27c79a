import { describe, expect, it } from 'vitest';
import { formatMs } from './format';

describe('formatMs', () => {
  it('gives one decimal below 100 ms, none up to a second, seconds above', () => {
    expect(formatMs(8.34)).toBe('8.3 ms');
    expect(formatMs(279.4)).toBe('279 ms');
    expect(formatMs(1250)).toBe('1.25 s');
  });
});
