// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MetricRecord } from '../../engine/records';
import type { StoredRun } from '../../lib/runStore';
import { metricRecord, storedRun } from '../../lib/testRuns';
import { CompareRuns } from './CompareRuns';

const stored = (id: string, history: Partial<MetricRecord>[]): StoredRun =>
  storedRun(id, 0, {
    name: `run ${id}`,
    history: history.map((record) => metricRecord(record.step ?? 0, record)),
    wallTimeMs: 12_000,
  });

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
});
