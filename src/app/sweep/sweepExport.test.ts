import { describe, expect, it } from 'vitest';
import { outcome, smallSweep } from '../../lib/sweep/testSweep';
import { SWEEP_EXPORT_KIND, sweepCsvText, sweepFileName, sweepJson, sweepSvgText } from './sweepExport';

describe('sweep exports', () => {
  const sweep = smallSweep();
  const outcomes = new Map([[sweep.cells[0].id, outcome(sweep.cells[0].id, 400)]]);

  it('writes the spec and the CLI cells.json lines as JSON', () => {
    const json = JSON.parse(sweepJson(sweep, outcomes, 61_234.4)) as {
      kind: string;
      spec: unknown;
      wallMs: number;
      cells: Record<string, unknown>[];
    };
    expect(json.kind).toBe(SWEEP_EXPORT_KIND);
    expect(json.spec).toEqual(sweep.spec);
    expect(json.wallMs).toBe(61_234);
    expect(json.cells).toHaveLength(4);
    expect(json.cells[0]).toMatchObject({
      id: sweep.cells[0].id,
      'regularizers.weightDecay.coefficient': 0.1,
      'regularizers.radial.lambda': 0,
      status: 'grokked',
      stepsToGrok: 400,
    });
    expect(json.cells[1]).toMatchObject({ status: 'pending' });
  });

  it('writes CSV and SVG with the headless writers', () => {
    const csv = sweepCsvText(sweep, outcomes).trim().split('\n');
    expect(csv).toHaveLength(5);
    expect(csv[1]).toBe('0.1,0,0,400,grokked,400,1');
    expect(sweepSvgText(sweep, outcomes)).toContain('1/4 runs');
  });

  it('names files after the title', () => {
    expect(sweepFileName(sweep, 'csv')).toBe('small.csv');
    expect(sweepFileName({ ...sweep, spec: { ...sweep.spec, title: 'Where? (steps, mlp)' } }, 'png')).toBe(
      'where.png',
    );
  });
});
