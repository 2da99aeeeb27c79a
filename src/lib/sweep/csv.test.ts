import { describe, expect, it } from 'vitest';
import { sweepCsv } from './csv';
import { buildGrid } from './grid';
import { outcome, smallSweep } from './testSweep';

describe('sweepCsv', () => {
  it('writes one row per run, outcome fields empty while pending', () => {
    const sweep = smallSweep();
    const [a, b] = sweep.cells;
    const csv = sweepCsv(
      buildGrid(
        sweep,
        new Map([
          [a.id, outcome(a.id, 450)],
          [b.id, outcome(b.id, null)],
        ]),
      ),
    );
    expect(csv).toBe(
      [
        'regularizers.weightDecay.coefficient,regularizers.radial.lambda,seed,stepsToGrok,stoppedBecause,finalStep,finalTestAccuracy',
        '0.1,0,0,450,grokked,450,1',
        '1,0,0,,budget,1000,0.42',
        '0.1,0.01,0,,,,',
        '1,0.01,0,,,,',
        '',
      ].join('\n'),
    );
  });
});
