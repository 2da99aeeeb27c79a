// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MetricRecord } from '../../engine/records';
import type { StoredRun } from '../../lib/runStore';
import { metricRecord, storedRun } from '../../lib/testRuns';
import { CompareRuns } from './CompareRuns';
import { installFixedSize } from '../testing/jsdomLab';

const stored = (id: string, history: Partial<MetricRecord>[]): StoredRun =>
  storedRun(id, 0, {
    name: `run ${id}`,
    history: history.map((record) => metricRecord(record.step ?? 0, record)),
    wallTimeMs: 12_000,
  });

installFixedSize(300, 200);

describe('CompareRuns', () => {
  it('tabulates each run’s milestones', async () => {
    const runs: Record<string, StoredRun> = {
      a: stored('a', [
        { step: 0, trainAccuracy: 0, testAccuracy: 0 },
        { step: 400, trainAccuracy: 1, testAccuracy: 0.1 },
        { step: 3650, trainAccuracy: 1, testAccuracy: 1 },
      ]),
      b: stored('b', [{ step: 5000, trainAccuracy: 1, testAccuracy: 0.23 }]),
    };
    render(<CompareRuns ids={['a', 'b']} load={async (id) => runs[id] ?? null} />);
    expect(await screen.findByRole('rowheader', { name: 'run a' })).toBeTruthy();
    expect(screen.getByText('step 3 650')).toBeTruthy();
    expect(screen.getByText(/not yet \(23(\.0)?% at step 5 000\)/)).toBeTruthy();
  });

  it('asks for two runs', () => {
    render(<CompareRuns ids={['a']} load={async () => null} />);
    expect(screen.getByText(/two or more/)).toBeTruthy();
  });

  it('overlays every run’s test accuracy on the lab’s chart, and hovering reads each run at that step', async () => {
    const runs: Record<string, StoredRun> = {
      a: stored('a', [
        { step: 10, testAccuracy: 0.05 },
        { step: 100, testAccuracy: 0.5 },
        { step: 1000, testAccuracy: 1 },
      ]),
      b: stored('b', [
        { step: 10, testAccuracy: 0.02 },
        { step: 100, testAccuracy: 0.25 },
      ]),
    };
    const { container } = render(<CompareRuns ids={['a', 'b']} load={async (id) => runs[id] ?? null} />);
    await screen.findByRole('rowheader', { name: 'run a' });
    const figure = container.querySelector('figure[data-chart="compare-accuracy"]')!;
    expect([...figure.querySelectorAll('.chart__legend li')].map((li) => li.textContent)).toEqual([
      'run a100.0%',
      'run b25%',
    ]);
    expect(figure.querySelectorAll('path.chart__line[d^="M"]')).toHaveLength(2);
    // Log step axis 1…1000 over the plot's 240 px (x 46…286): step 100 is 160 px in.
    fireEvent.pointerMove(screen.getByRole('group', { name: /^Test accuracy: values/ }), {
      clientX: 158,
      pointerType: 'mouse',
    });
    expect(figure.querySelector('.chart__readout-step')?.textContent).toBe('step 100');
    expect([...figure.querySelectorAll('.chart__readout li')].map((li) => li.textContent)).toEqual([
      'run a50%',
      'run b25%',
    ]);
  });
});
