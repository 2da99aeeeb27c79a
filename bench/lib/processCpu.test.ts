import { describe, expect, it } from 'vitest';
import { childrenCpuMs, descendantTicks, parseProcStat } from './processCpu';

describe('CPU time of a process tree', () => {
  it('reads pid, parent and utime + stime from a stat line whose name holds spaces and parentheses', () => {
    const line =
      '4242 (chromium (Render) x) S 4100 4100 4100 0 -1 4194560 1200 0 0 0 731 69 0 0 20 0 17 0 5000 1 2 3';
    expect(parseProcStat(line)).toEqual({ pid: 4242, ppid: 4100, ticks: 800 });
  });

  it('sums every descendant of the root, at any depth, and nothing else', () => {
    const stats = [
      { pid: 1, ppid: 0, ticks: 1000 },
      { pid: 10, ppid: 1, ticks: 5 },
      { pid: 11, ppid: 10, ticks: 7 },
      { pid: 12, ppid: 11, ticks: 11 },
      { pid: 20, ppid: 1, ticks: 100 },
    ];
    expect(descendantTicks(stats, 10)).toBe(18);
    expect(descendantTicks(stats, 12)).toBe(0);
  });

  it('reads this machine: a process with no children has used no child CPU', () => {
    expect(childrenCpuMs(2 ** 30)).toBe(0);
  });
});
