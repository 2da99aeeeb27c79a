// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { NOT_DEFINED } from '../../engine/metrics/progressMeasures';
import { fakeProgress, fakeRecord } from '../../worker/testing/fakes';
import type { MetricRecord } from '../../worker/protocol';
import { ProgressMeasuresChart } from './ProgressMeasuresChart';

afterEach(cleanup);

const ADD = { defined: true, operation: 'a+b', sign: 1 } as const;

function history(waveLosses: number[]): MetricRecord[] {
  return waveLosses.map((testWaveLoss, i) => ({
    ...fakeRecord(i * 100, 0.5 / (i + 1)),
    progress: fakeProgress({ testWaveLoss }),
  }));
}

/** Legend entries as "label value". */
function legend(container: HTMLElement): string[] {
  return [...container.querySelectorAll('.chart__legend li')].map((item) => item.textContent ?? '');
}

describe('ProgressMeasuresChart', () => {
  it('one lane: the test waves’ loss, train and test loss with their latest values', () => {
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
    expect(legend(container)).toEqual(['test waves0.4', 'train0.167', 'test0.333']);
  });

  it('several lanes: each measure per lane, named by lane, in the lane colour', () => {
    const { container } = render(
      <ProgressMeasuresChart
        lanes={[
          { name: 'plain', color: '#e69f00', history: history([3, 2.5]) },
          { name: 'radial', color: '#0072b2', history: history([3, 1, 0.2]) },
        ]}
        support={ADD}
        markers={[]}
        xScale="log"
      />,
    );
    const entries = legend(container);
    expect(entries).toHaveLength(6);
    expect(entries).toContain('plain test waves2.5');
    expect(entries).toContain('radial test waves0.2');
    expect(entries).toContain('radial train0.167');
    const swatches = [...container.querySelectorAll<HTMLElement>('.chart__swatch')].map(
      (s) => s.style.background,
    );
    expect(new Set(swatches).size).toBe(2);
  });

  it('after the run: Nanda et al.’s restricted and excluded loss join the legend, and only then', () => {
    const records = history([3, 2, 0.4]).map((record, i) => ({
      ...record,
      progress: { ...record.progress!, afterRunRestrictedLoss: 3 - i, afterRunExcludedLoss: 0.1 * (i + 1) },
    }));
    const { container } = render(
      <ProgressMeasuresChart
        lanes={[{ name: 'run', color: '#000', history: records }]}
        support={ADD}
        p={31}
        markers={[]}
        xScale="linear"
      />,
    );
    expect(legend(container)).toEqual([
      'test waves0.4',
      'restricted (after run)1',
      'excluded (after run)0.3',
      'train0.167',
      'test0.333',
    ]);
    expect(container.querySelector('.chart__title')?.getAttribute('title')).toMatch(
      /memorizes drives the restricted loss below 1 nat too/,
    );
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
    expect(legend(container).slice(0, 1)).toEqual(['test waves—']);
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
