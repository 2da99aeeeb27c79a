// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { linePlot } from './svg';

function parse(svg: string): Document {
  const document = new DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(document.getElementsByTagName('parsererror')).toHaveLength(0);
  return document;
}

describe('SVG line plot', () => {
  const series = [
    {
      label: 'baseline <wd 0.1> & "seed" 0',
      points: [
        [10, 0.01],
        [100, 0.2],
        [1000, 1],
      ] as [number, number][],
    },
    {
      label: 'radial',
      points: [
        [0, 0],
        [50, 0.5],
        [500, 1],
      ] as [number, number][],
    },
    { label: 'empty', points: [] as [number, number][] },
  ];

  it('is well-formed XML with an svg root', () => {
    const document = parse(
      linePlot({ title: 'a < b', xLabel: 'step', yLabel: 'acc', series, xScale: 'log' }),
    );
    expect(document.documentElement.tagName).toBe('svg');
    expect(document.documentElement.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
  });

  it('draws one path per series', () => {
    const document = parse(linePlot({ title: 't', xLabel: 'x', yLabel: 'y', series, xScale: 'log' }));
    expect(document.getElementsByTagName('path')).toHaveLength(series.length);
  });

  it('draws markers instead of a path when asked', () => {
    const document = parse(
      linePlot({
        title: 't',
        xLabel: 'x',
        yLabel: 'y',
        series: [
          {
            label: 'points',
            points: [
              [1, 1],
              [2, 4],
            ],
            line: false,
            markers: true,
          },
        ],
        yScale: 'log',
      }),
    );
    expect(document.getElementsByTagName('path')).toHaveLength(0);
    expect(document.getElementsByTagName('circle').length).toBeGreaterThanOrEqual(2);
  });

  it('skips points a log axis cannot show and never emits NaN', () => {
    const svg = linePlot({ title: 't', xLabel: 'x', yLabel: 'y', series, xScale: 'log', yDomain: [0, 1] });
    expect(svg).not.toMatch(/NaN|Infinity/);
    const first = parse(svg).getElementsByTagName('path')[1].getAttribute('d') ?? '';
    expect(first.split(/[ML]/).filter(Boolean)).toHaveLength(2); // x = 0 cannot sit on a log axis
  });
});
