import { describe, expect, it } from 'vitest';
import type { ProgressMeasures } from '../engine/records';
import { exportRunJson, historyToCsv, importRunJson } from './exportRun';
import { fakeProgress } from '../worker/testing/fakes';
import { metricRecord, storedRun } from './testRuns';

const PROGRESS: ProgressMeasures = fakeProgress({ testWaveLoss: 0.4, embeddingGini: 0.27 });

describe('saved runs and exports carry the progress measures', () => {
  const run = storedRun('p', Date.UTC(2026, 10, 29), {
    history: [metricRecord(0), metricRecord(100, { progress: PROGRESS })],
  });

  it('JSON export → import keeps them (and keeps them absent where a record had none)', () => {
    const result = importRunJson(exportRunJson(run).text);
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.run.history[1].progress).toEqual(PROGRESS);
    expect(result.run.history[0].progress).toBeUndefined();
  });

  it('the CSV has a column per measure', () => {
    const [header, first, second] = historyToCsv(run.history).trim().split('\n');
    const columns = header.split(',');
    const at = columns.indexOf('progress.testWaveLoss');
    expect(at).toBeGreaterThan(0);
    expect(columns).toContain('progress.key4');
    expect(first.split(',')[at]).toBe('');
    expect(second.split(',')[at]).toBe('0.4');
  });
});
