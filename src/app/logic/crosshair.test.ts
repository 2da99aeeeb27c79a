import { describe, expect, it } from 'vitest';
import { fakeRecord } from '../../worker/testing/fakes';
import { axisScale } from './chartLayout';
import { ACCURACY_CHART, type ChartSpec } from './charts';
import {
  crosshairKeyMove,
  crosshairReadout,
  crosshairSteps,
  formatChartValue,
  nearestIndex,
  recordAtStep,
} from './crosshair';

describe('crosshair steps', () => {
  it('merges every drawn series’ steps in order, each once', () => {
    const train = [
      { x: 1, y: 0 },
      { x: 50, y: 1 },
      { x: 400, y: 1 },
    ];
    const test = [
      { x: 1, y: 0 },
      { x: 20, y: 0 },
      { x: 400, y: 1 },
    ];
    expect(crosshairSteps([train, test, []])).toEqual([1, 20, 50, 400]);
    expect(crosshairSteps([])).toEqual([]);
  });
});

describe('nearest step', () => {
  const steps = [0, 10, 20, 40, 80];

  it('finds the nearest step on either side, the ends beyond the data, and the earlier one on a tie', () => {
    expect(nearestIndex(steps, 12)).toBe(1);
    expect(nearestIndex(steps, 17)).toBe(2);
    expect(nearestIndex(steps, 40)).toBe(3);
    expect(nearestIndex(steps, -5)).toBe(0);
    expect(nearestIndex(steps, 1e9)).toBe(4);
    expect(nearestIndex(steps, 30)).toBe(2);
    expect(nearestIndex([7], 100)).toBe(0);
    expect(nearestIndex([], 3)).toBe(-1);
  });

  it('measures nearness on screen: on a log axis 300 px from 100 and 1000 is nearer the larger step', () => {
    const log = [1, 10, 100, 1000];
    // 1 → 0 px, 1000 → 300 px: a decade per 100 px.
    const x = axisScale('log', [1, 1000], [0, 300]);
    // Pixel 160 is step 10^1.6 ≈ 40: nearer 100 on screen though nearer 10 in steps.
    expect(nearestIndex(log, 160, x)).toBe(2);
    expect(nearestIndex(log, 140, x)).toBe(1);
    expect(nearestIndex(log, 40, (step) => step)).toBe(1);
  });

  it('agrees with a linear scan on every target of a long list', () => {
    const many = Array.from({ length: 997 }, (_, i) => i * 10 + (i % 7));
    for (let target = -4; target < 10_020; target += 3) {
      let best = 0;
      for (let i = 1; i < many.length; i++)
        if (Math.abs(many[i] - target) < Math.abs(many[best] - target)) best = i;
      expect(nearestIndex(many, target)).toBe(best);
    }
  });
});

describe('crosshair readout', () => {
  const history = [fakeRecord(0, 0), fakeRecord(100, 0.5), fakeRecord(250, 0.99)].map((record, i) => ({
    ...record,
    trainAccuracy: [0.1, 1, 1][i],
    testAccuracy: [0.01, 0.2534, 0.9961][i],
  }));

  it('lists every series with its colour and its value at the step, formatted as the chart prints it', () => {
    expect(crosshairReadout(ACCURACY_CHART, history, 100)).toEqual({
      step: 100,
      title: 'step 100',
      rows: [
        { key: 'train', label: 'train', color: ACCURACY_CHART.series[0].color, value: 1, text: '100.0%' },
        { key: 'test', label: 'test', color: ACCURACY_CHART.series[1].color, value: 0.2534, text: '25%' },
      ],
    });
  });

  it('says — for a series without a value at the step, and for a step not in the history', () => {
    const loss: ChartSpec = {
      id: 'loss',
      title: 'Loss',
      hint: '',
      yScale: 'log',
      format: 'value',
      series: [
        { key: 'train', label: 'train', color: '#000', value: (r) => r.trainLoss },
        { key: 'missing', label: 'missing', color: '#111', value: () => undefined },
      ],
    };
    const readout = crosshairReadout(loss, [{ ...fakeRecord(7340, 0.5), trainLoss: 0.000123 }], 7340);
    expect(readout.title).toBe('step 7\u202f340');
    expect(readout.rows.map((row) => [row.text, row.value])).toEqual([
      ['1.23e-4', 0.000123],
      ['—', null],
    ]);
    expect(crosshairReadout(loss, history, 99).rows.map((row) => row.text)).toEqual(['—', '—']);
  });

  it('finds a record by its step in a sorted history', () => {
    expect(recordAtStep(history, 250)?.testAccuracy).toBe(0.9961);
    expect(recordAtStep(history, 0)?.testAccuracy).toBe(0.01);
    expect(recordAtStep(history, 251)).toBeUndefined();
    expect(recordAtStep([], 0)).toBeUndefined();
  });

  it('formats values as the legend does: percent axes in percent, others in a few digits', () => {
    expect(formatChartValue('percent', 0.5)).toBe('50%');
    expect(formatChartValue('percent', 1)).toBe('100.0%');
    expect(formatChartValue('value', 3.14159)).toBe('3.14');
    expect(formatChartValue('value', null)).toBe('—');
  });
});

describe('crosshair keys', () => {
  it('moves one step with the arrows, stops at the ends, jumps with Home/End and leaves with Escape', () => {
    expect(crosshairKeyMove('ArrowLeft', 3, 5)).toBe(2);
    expect(crosshairKeyMove('ArrowRight', 3, 5)).toBe(4);
    expect(crosshairKeyMove('ArrowRight', 4, 5)).toBe(4);
    expect(crosshairKeyMove('ArrowLeft', 0, 5)).toBe(0);
    expect(crosshairKeyMove('Home', 3, 5)).toBe(0);
    expect(crosshairKeyMove('End', 0, 5)).toBe(4);
    expect(crosshairKeyMove('Escape', 3, 5)).toBe('leave');
    expect(crosshairKeyMove('a', 3, 5)).toBeNull();
  });

  it('starts at the latest step, and keeps inside a list that shrank', () => {
    expect(crosshairKeyMove('ArrowLeft', null, 5)).toBe(4);
    expect(crosshairKeyMove('ArrowRight', null, 5)).toBe(4);
    expect(crosshairKeyMove('ArrowLeft', 9, 5)).toBe(3);
    expect(crosshairKeyMove('ArrowRight', null, 0)).toBeNull();
  });
});
