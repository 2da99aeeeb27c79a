import { describe, expect, it } from 'vitest';
import { attribute, busySpans, frameName, type CpuProfile } from './profileTasks';

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
