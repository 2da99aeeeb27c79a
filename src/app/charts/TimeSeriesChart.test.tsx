// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/react';
import { Profiler } from 'react';
import { describe, expect, it } from 'vitest';
import { fakeRecord } from '../../worker/testing/fakes';
import type { MetricRecord } from '../../worker/protocol';
import { ACCURACY_CHART, radiusChart } from '../logic/charts';
import { TimeSeriesChart } from './TimeSeriesChart';
import { installFixedSize } from '../testing/jsdomLab';

installFixedSize(400, 190);

function history(steps: number): MetricRecord[] {
  return Array.from({ length: steps }, (_, i) => fakeRecord(i + 1, 1 / (i + 1)));
}

/** Numbers of a path's "M x,y L x,y …". */
function pathPoints(d: string): [number, number][] {
  return [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((match) => [Number(match[1]), Number(match[2])]);
}

describe('TimeSeriesChart', () => {
  it('draws a line per series inside the plot, the legend with the latest values', () => {
    const { container } = render(
      <TimeSeriesChart spec={ACCURACY_CHART} history={history(200)} xScale="linear" markers={[]} />,
    );
    const lines = [...container.querySelectorAll('path.chart__line')];
    expect(lines.map((line) => line.getAttribute('stroke'))).toEqual(
      ACCURACY_CHART.series.map((s) => s.color),
    );
    const svg = container.querySelector('svg.chart__surface')!;
    expect(svg.getAttribute('width')).toBe('400');
    expect(svg.getAttribute('height')).toBe('190');
    for (const line of lines) {
      const points = pathPoints(line.getAttribute('d') ?? '');
      expect(points.length).toBeGreaterThan(10);
      for (const [x, y] of points) {
        expect(x).toBeGreaterThanOrEqual(46);
        expect(x).toBeLessThanOrEqual(400 - 14 + 0.1);
        expect(y).toBeGreaterThanOrEqual(6 - 0.1);
        expect(y).toBeLessThanOrEqual(190 - 2 - 22 + 0.1);
      }
    }
    // Test accuracy reaches 100% at step 100: from there the line runs along the top of the plot.
    const test = pathPoints(lines[1].getAttribute('d') ?? '');
    expect(test.at(-1)![1]).toBeCloseTo(6, 0);
    expect([...container.querySelectorAll('.chart__legend li')].map((li) => li.textContent)).toEqual([
      'train100.0%',
      'test100.0%',
    ]);
    expect([...container.querySelectorAll('.chart__axis text')].map((t) => t.textContent)).toContain('100%');
  });

  it('decimates a long history to about the plot width, min/max kept', () => {
    const records = history(20_000).map((record, i) => ({
      ...record,
      testAccuracy: i === 7_000 ? 0.9 : 0.05,
    }));
    const { container } = render(
      <TimeSeriesChart spec={ACCURACY_CHART} history={records} xScale="linear" markers={[]} />,
    );
    const test = pathPoints(container.querySelectorAll('path.chart__line')[1].getAttribute('d') ?? '');
    expect(test.length).toBeLessThanOrEqual(400);
    // The one-evaluation spike still reaches 90% of the plot's height.
    const top = Math.min(...test.map(([, y]) => y));
    const plotBottom = 190 - 2 - 22;
    expect(top).toBeCloseTo(plotBottom - 0.9 * (plotBottom - 6), 0);
  });

  it('draws markers with their labels, a reference line and log ticks', () => {
    const { container } = render(
      <TimeSeriesChart
        spec={radiusChart([{ name: 'hidden0', label: 'hidden', role: 'hidden', dim: 256 }])}
        history={history(1000)}
        xScale="log"
        markers={[
          { step: 300, label: 'Radial penalty on', kind: 'event' },
          { step: 500, label: 'grokked', kind: 'grokked' },
          { step: 5000, label: 'beyond the axis', kind: 'event' },
        ]}
      />,
    );
    const markers = [...container.querySelectorAll('.chart__marker')];
    expect(markers.map((marker) => marker.getAttribute('class'))).toEqual([
      'chart__marker chart__marker--event',
      'chart__marker chart__marker--grokked',
    ]);
    expect([...container.querySelectorAll('.chart__marker-label')].map((label) => label.textContent)).toEqual(
      ['Radial penalty onRadial penalty on', 'grokkedgrokked'],
    );
    expect(container.querySelector('line.chart__reference')).not.toBeNull();
    const ticks = [...container.querySelectorAll('.chart__axis text')].map((t) => t.textContent);
    expect(ticks).toEqual(expect.arrayContaining(['1', '10', '100', '1k']));
  });

  it('says there is no data yet and draws no line before the first evaluation', () => {
    const { container } = render(
      <TimeSeriesChart spec={ACCURACY_CHART} history={[]} xScale="log" markers={[]} />,
    );
    expect(container.querySelector('.chart__empty')?.textContent).toMatch(/No data yet/);
    for (const line of container.querySelectorAll('path.chart__line'))
      expect(line.getAttribute('d')).toBe('');
  });

  it('reads out every series at the step nearest the pointer, and moves along the steps with the keys', () => {
    const { container } = render(
      <TimeSeriesChart spec={ACCURACY_CHART} history={history(200)} xScale="linear" markers={[]} />,
    );
    const readout = () => {
      const box = container.querySelector('.chart__readout');
      if (!box) return null;
      return {
        title: box.querySelector('.chart__readout-step')?.textContent,
        rows: [...box.querySelectorAll('li')].map((li) => [
          li.querySelector('.chart__readout-label')?.textContent,
          li.querySelector('.chart__readout-value')?.textContent,
        ]),
        swatches: [...box.querySelectorAll<HTMLElement>('.chart__swatch')].map(
          (swatch) => swatch.style.background,
        ),
      };
    };
    const layer = screen.getByRole('group', { name: /^Accuracy: values at each step/ });
    expect(readout()).toBeNull();
    // The plot spans x 46…386 px for steps 0…200 (jsdom puts the layer at 0, so clientX is the offset into the
    // plot): 68.5 px in is step 40.3, nearest step 40.
    fireEvent.pointerMove(layer, { clientX: 68.5, pointerType: 'mouse' });
    expect(readout()).toEqual({
      title: 'step 40',
      rows: [
        ['train', '80%'],
        ['test', '40%'],
      ],
      swatches: ['rgb(0, 114, 178)', 'rgb(213, 94, 0)'],
    });
    const line = container.querySelector<HTMLElement>('.chart__crosshair-line')!;
    expect(line.style.left).toBe('114px');
    expect(container.querySelectorAll('.chart__crosshair-dot')).toHaveLength(2);

    fireEvent.keyDown(layer, { key: 'ArrowRight' });
    expect(readout()?.title).toBe('step 41');
    fireEvent.keyDown(layer, { key: 'ArrowLeft' });
    fireEvent.keyDown(layer, { key: 'ArrowLeft' });
    expect(readout()?.rows).toEqual([
      ['train', '78%'],
      ['test', '39%'],
    ]);
    // Moved by the keys, it stays when the mouse leaves (or the layout moves the chart from under it).
    fireEvent.pointerLeave(layer, { pointerType: 'mouse' });
    expect(readout()?.title).toBe('step 39');
    fireEvent.keyDown(layer, { key: 'Escape' });
    expect(readout()).toBeNull();

    // Keyboard alone: focus puts it on the latest step, Home on the first; leaving the chart hides it.
    fireEvent.focus(layer);
    expect(readout()?.title).toBe('step 200');
    fireEvent.keyDown(layer, { key: 'Home' });
    expect(readout()?.rows).toEqual([
      ['train', '2.0%'],
      ['test', '1.0%'],
    ]);
    fireEvent.blur(layer);
    expect(readout()).toBeNull();

    // A touch sets it where the finger is and leaves it up when the finger lifts; a mouse leaving hides it.
    fireEvent.pointerDown(layer, { clientX: 340, pointerType: 'touch' });
    fireEvent.pointerLeave(layer, { pointerType: 'touch' });
    expect(readout()?.title).toBe('step 200');
    fireEvent.pointerLeave(layer, { pointerType: 'mouse' });
    expect(readout()).toBeNull();
  });

  it('hovering one chart redraws neither the other charts nor its own lines', () => {
    const records = history(500);
    const commits: string[] = [];
    const { container } = render(
      <>
        {['first', 'second'].map((id) => (
          <Profiler key={id} id={id} onRender={(profiled) => commits.push(profiled)}>
            <TimeSeriesChart spec={ACCURACY_CHART} history={records} xScale="log" markers={[]} />
          </Profiler>
        ))}
      </>,
    );
    const [first] = screen.getAllByRole('group', { name: /^Accuracy: values/ });
    const pathsBefore = [...container.querySelectorAll('path.chart__line')];
    commits.length = 0;
    for (let offset = 0; offset <= 340; offset += 17)
      fireEvent.pointerMove(first, { clientX: offset, pointerType: 'mouse' });
    expect(container.querySelectorAll('.chart__readout')).toHaveLength(1);
    // Only the hovered chart's profiler saw commits (its crosshair's), and no line was replaced.
    expect(new Set(commits)).toEqual(new Set(['first']));
    expect([...container.querySelectorAll('path.chart__line')]).toEqual(pathsBefore);
  });
});
