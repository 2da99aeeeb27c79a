import { describe, expect, it } from 'vitest';
import {
  attribute,
  busySpans,
  frameName,
  mainThreadTime,
  type CpuProfile,
  type TraceEvent,
} from './profileTasks';

const frame = (functionName: string, url = '', lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 0,
});

/**
 * root → (idle); root → (program); root → render (app.js:10) → drawChart (app.js:20); root → (garbage collector).
 * Samples every 10 ms: 3 idle, 8 in render/drawChart with a GC inside, 2 idle, 2 busy (too short), 1 idle.
 */
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 3, 4, 6] },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('(program)') },
    { id: 4, callFrame: frame('render', 'http://localhost/assets/app.js?v=1', 9), children: [5] },
    { id: 5, callFrame: frame('drawChart', 'http://localhost/assets/app.js', 19) },
    { id: 6, callFrame: frame('(garbage collector)') },
  ],
  startTime: 1_000_000,
  endTime: 1_170_000,
  samples: [2, 2, 3, 4, 5, 5, 6, 5, 4, 5, 5, 2, 2, 4, 4, 2],
  timeDeltas: Array.from({ length: 16 }, () => 10_000),
};

describe('profileTasks', () => {
  it('names a frame by function, file and 1-based line', () => {
    expect(frameName(frame('render', 'http://localhost/assets/app.js?v=1', 9))).toBe('render (app.js:10)');
    expect(frameName(frame('', ''))).toBe('(anonymous)');
  });

  it('finds runs of busy samples at least as long as the threshold, GC inside a run counted as busy', () => {
    const spans = busySpans(PROFILE, 50);
    expect(spans).toHaveLength(1);
    expect(spans[0].samples).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(spans[0].durationMs).toBe(80);
    expect(busySpans(PROFILE, 10)).toHaveLength(2);
  });

  it('adds up inclusive and self time per function over the spans', () => {
    const { inclusive, self } = attribute(PROFILE, busySpans(PROFILE, 50));
    expect(inclusive).toContainEqual({ name: 'render (app.js:10)', ms: 70 });
    expect(inclusive).toContainEqual({ name: 'drawChart (app.js:20)', ms: 50 });
    expect(self[0]).toEqual({ name: 'drawChart (app.js:20)', ms: 50 });
    expect(self).toContainEqual({ name: '(garbage collector)', ms: 10 });
  });
});

describe('mainThreadTime', () => {
  it('sums complete events of the renderer main thread by name, the largest first', () => {
    const events: TraceEvent[] = [
      { name: 'thread_name', ph: 'M', pid: 1, tid: 7, ts: 0, args: { name: 'CrRendererMain' } },
      { name: 'thread_name', ph: 'M', pid: 1, tid: 8, ts: 0, args: { name: 'Compositor' } },
      { name: 'RunTask', ph: 'X', pid: 1, tid: 7, ts: 0, dur: 60_000 },
      { name: 'Paint', ph: 'X', pid: 1, tid: 7, ts: 10, dur: 30_000 },
      { name: 'Paint', ph: 'X', pid: 1, tid: 7, ts: 90_000, dur: 12_000 },
      { name: 'Paint', ph: 'X', pid: 1, tid: 8, ts: 10, dur: 99_000 },
      { name: 'Layout', ph: 'B', pid: 1, tid: 7, ts: 10 },
    ];
    expect(mainThreadTime(events)).toEqual([
      { name: 'RunTask', ms: 60, count: 1 },
      { name: 'Paint', ms: 42, count: 2 },
    ]);
  });
});
