// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { NOT_DEFINED } from '../../engine/metrics/progressMeasures';
import { fakeRecord } from '../../worker/testing/fakes';
import type { MetricRecord } from '../../worker/protocol';
import { ProgressMeasuresChart } from './ProgressMeasuresChart';

afterEach(cleanup);

const ADD = { defined: true, operation: 'a+b', sign: 1 } as const;

function history(restricted: number[], excludedScale = 1): MetricRecord[] {
  return restricted.map((restrictedLoss, i) => ({
    ...fakeRecord(i * 100, 0.5 / (i + 1)),
    progress: {
      restrictedLoss,
      excludedLoss: excludedScale * (i + 1),
      keyShare: 0.5,
      waveShare: 0.7,
      key0: 5,
      key1: 6,
      key2: 2,
      key3: 9,
      key4: 13,
      embeddingTopShare: 0.4,
      embeddingGini: 0.3,
    },
  }));
}

/** Legend entries as "label value". */
function legend(container: HTMLElement): string[] {
  return [...container.querySelectorAll('.chart__legend li')].map((item) => item.textContent ?? '');
}

describe('ProgressMeasuresChart', () => {
  it('one lane: restricted, excluded, train and test loss with their latest values', () => {
    const { container } = render(
      <ProgressMeasuresChart
        lanes={[{ name: 'run', color: '#000', history: history([3, 2, 0.4]) }]}
        support={ADD}
        p={31}
        markers={[{ step: 200, label: 'grokked', kind: 'grokked' }]}
        xScale="linear"
      />,
    );
    expect(container.querySelector('figure')?.dataset.chart).toBe('progress');
    expect(legend(container)).toEqual(['restricted0.4', 'excluded3', 'train0.167', 'test0.333']);
  });

  it('several lanes: each measure per lane, named by lane, in the lane colour', () => {
    const { container } = render(
      <ProgressMeasuresChart
        lanes={[
          { name: 'plain', color: '#e69f00', history: history([3, 2.5]) },
          { name: 'radial', color: '#0072b2', history: history([3, 1, 0.2], 2) },
        ]}
        support={ADD}
        markers={[]}
        xScale="log"
      />,
    );
    const entries = legend(container);
    expect(entries).toHaveLength(8);
    expect(entries).toContain('plain restricted2.5');
    expect(entries).toContain('radial restricted0.2');
    expect(entries).toContain('radial excluded6');
    const swatches = [...container.querySelectorAll<HTMLElement>('.chart__swatch')].map(
      (s) => s.style.background,
    );
    expect(new Set(swatches).size).toBe(2);
  });

  it('a run without the measures (older saved run) shows dashes, not zeros', () => {
    const { container } = render(
      <ProgressMeasuresChart
        lanes={[{ name: 'run', color: '#000', history: [fakeRecord(0, 3), fakeRecord(100, 1)] }]}
        support={ADD}
        markers={[]}
        xScale="linear"
      />,
    );
    expect(legend(container).slice(0, 2)).toEqual(['restricted—', 'excluded—']);
  });

  it('says "not defined for this operation" instead of drawing noise', () => {
    const { container } = render(
      <ProgressMeasuresChart
        lanes={[{ name: 'run', color: '#000', history: [fakeRecord(0, 3)] }]}
        support={{ defined: false, reason: NOT_DEFINED }}
        markers={[]}
        xScale="linear"
      />,
    );
    expect(container.querySelector('[role="status"]')?.textContent).toMatch(/not defined for this operation/);
    expect(container.querySelector('.chart__legend')).toBeNull();
  });
});
