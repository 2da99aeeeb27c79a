import { describe, expect, it } from 'vitest';
import { loadSpan, machine, minuteStamp } from './machine';

describe('the machine a bench ran on', () => {
  it('names the CPU, counts the cores and gives the Node version', () => {
    const here = machine();
    expect(here.cpu.length).toBeGreaterThan(0);
    expect(here.cores).toBeGreaterThanOrEqual(1);
    expect(here.node).toBe(process.version);
  });

  it('writes the load from a start value to now, and a timestamp to the minute', () => {
    expect(loadSpan(2.04)).toMatch(/^2\.0 → \d+\.\d$/);
    expect(minuteStamp(new Date('2026-11-30T01:09:59.500Z'))).toBe('2026-11-30 01:09 UTC');
  });
});
