import { describe, expect, it } from 'vitest';
import { viridis } from './colour';
import { buildGrid } from './grid';
import {
  CENSORED_FILL,
  formatKnobValue,
  gridDomain,
  HATCH_ID,
  heatmapLayout,
  heatmapSvg,
  knobLabels,
  PENDING_FILL,
  pointKey,
} from './heatmap';
import { outcome, smallSweep } from './testSweep';

function grid() {
  const sweep = smallSweep();
  const [a, b, c] = sweep.cells; // (x0,y0), (x1,y0), (x0,y1); (x1,y1) pending
  return buildGrid(
    sweep,
    new Map([
      [a.id, outcome(a.id, 100)],
      [b.id, outcome(b.id, 1000 - 1)],
      [c.id, outcome(c.id, null)],
    ]),
  );
}

describe('heatmap layout', () => {
  it('formats knob values compactly', () => {
    expect([0, 0.003, 0.03, 1, 1e-4, 2.5e-5, 20_000, 0.30000000000000004].map(formatKnobValue)).toEqual([
      '0',
      '0.003',
      '0.03',
      '1',
      '1e-4',
      '2.5e-5',
      '20 000',
      '0.3',
    ]);
  });

  it('labels every value of an axis apart, with more digits only where 4 would merge two (issue 25 item 8)', () => {
    expect(knobLabels([0.03, 0.1, 0.3])).toEqual(['0.03', '0.1', '0.3']);
    expect(knobLabels([0.3001, 0.3002, 1])).toEqual(['0.3001', '0.3002', '1']);
    expect(knobLabels([0.30001, 0.30002])).toEqual(['0.30001', '0.30002']);
    expect(knobLabels([1.00001e-5, 1.00002e-5])).toEqual(['1.00001e-5', '1.00002e-5']);
  });

  it('draws x left to right and y bottom to top, one cell per point, inside the plot', () => {
    const layout = heatmapLayout(grid(), { width: 600, height: 400 });
    const cell = (x: number, y: number) => layout.cells.find((c) => c.xIndex === x && c.yIndex === y)!;
    expect(layout.cells).toHaveLength(4);
    expect(cell(1, 0).x).toBeGreaterThan(cell(0, 0).x);
    expect(cell(0, 1).y).toBeLessThan(cell(0, 0).y);
    for (const c of layout.cells) {
      expect(c.x).toBeGreaterThanOrEqual(layout.plot.x);
      expect(c.y + c.height).toBeLessThanOrEqual(layout.plot.y + layout.plot.height + 1e-9);
    }
    expect(layout.xTicks.map((t) => t.label)).toEqual(['0.1', '1']);
    expect(layout.yTicks.map((t) => t.label)).toEqual(['0', '0.01']);
    expect(layout.yTicks[1].y).toBeLessThan(layout.yTicks[0].y);
  });

  it('colours by log steps, hatches "> budget", leaves pending cells blank or shows a running run', () => {
    const g = grid();
    expect(gridDomain(g)).toEqual([100, 1000]);
    const layout = heatmapLayout(g, { progress: { [pointKey(1, 1)]: { step: 420, testAccuracy: 0.625 } } });
    const cell = (x: number, y: number) => layout.cells.find((c) => c.xIndex === x && c.yIndex === y)!;
    expect(cell(0, 0)).toMatchObject({
      fill: viridis(0),
      hatched: false,
      label: '100',
      textColour: '#ffffff',
    });
    expect(cell(1, 0).label).toBe('999');
    expect(cell(0, 1)).toMatchObject({ fill: CENSORED_FILL, hatched: true, label: '> 1 000' });
    expect(cell(0, 1).tooltip).toContain('does not grok within 1 000 steps');
    expect(cell(0, 1).tooltip).toContain('1 seed: 1 not grokked (test 42%)');
    expect(cell(1, 1)).toMatchObject({ fill: PENDING_FILL, hatched: false, label: '63%' });
    expect(cell(1, 1).tooltip).toContain('running: step 420, test 63%');
    expect(heatmapLayout(g).cells.find((c) => c.xIndex === 1 && c.yIndex === 1)!.label).toBe('…');
  });
});

describe('heatmap hover text', () => {
  it("counts a point's seeds by outcome instead of listing every seed", () => {
    const seeds = Array.from({ length: 40 }, (_, i) => i);
    const sweep = smallSweep(seeds);
    const point = sweep.cells.filter((cell) => cell.xIndex === 0 && cell.yIndex === 0);
    const outcomes = new Map(
      point.slice(0, 30).map((cell, i) => {
        const ended = outcome(cell.id, i < 20 ? 100 + i : null);
        return [
          cell.id,
          i === 29
            ? { ...ended, stoppedBecause: 'diverged' as const }
            : i >= 20
              ? { ...ended, finalTestAccuracy: 0.3 + i / 100 }
              : ended,
        ];
      }),
    );
    const tooltip = heatmapLayout(buildGrid(sweep, outcomes)).cells.find(
      (c) => c.xIndex === 0 && c.yIndex === 0,
    )!.tooltip;
    expect(tooltip).toMatch(
      /: pending \(30\/40 seeds\)\. 40 seeds: 20 grokked, 9 not grokked \(test 50–58%\), 1 diverged, 10 not run$/,
    );
    expect(tooltip).not.toMatch(/seed \d/);
  });
});

describe('heatmapSvg', () => {
  it('is one well-formed SVG document with a hatch pattern, a title per cell and escaped text', () => {
    const g = { ...grid(), title: 'wd <&> λ' };
    const svg = heatmapSvg(g);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain(`<pattern id="${HATCH_ID}"`);
    expect(svg).toContain(`fill="url(#${HATCH_ID})"`);
    expect(svg.match(/<title>/g)).toHaveLength(4);
    expect(svg).toContain('wd &lt;&amp;&gt; λ');
    expect(svg).not.toContain('<&>');
    expect(svg).not.toMatch(/NaN|undefined/);
    const opened = (svg.match(/<g>/g) ?? []).length;
    expect((svg.match(/<\/g>/g) ?? []).length).toBe(opened);
  });
});
