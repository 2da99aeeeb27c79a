import { describe, expect, it } from 'vitest';
import { estimateRunCost } from '../../engine/runCost';
import { expandSweep } from './cells';
import { SWEEPS } from './registry';
import { describeSweepSize, labSweepCheck, LAB_MAX_CELLS, sweepSize } from './size';
import { parseSweepSpec } from './spec';

const spec = (overrides: object) =>
  parseSweepSpec({
    preset: 'mlp',
    x: { key: 'model.hiddenWidth', values: [32, 512] },
    y: { key: 'regularizers.radial.lambda', values: [0, 0.01] },
    seeds: [0, 1, 2],
    steps: 1000,
    evalEvery: 50,
    ...overrides,
  });

describe('sweepSize', () => {
  it('counts cells without building them and costs a step as runCost does, at the costliest corner', () => {
    const sweep = expandSweep(spec({}));
    const size = sweepSize(sweep.spec);
    expect(size).toMatchObject({ xCount: 2, yCount: 2, seeds: 3, cells: 12, steps: 1000 });
    const widest = sweep.cells.find((cell) => cell.xValue === 512 && cell.yValue === 0.01)!.config;
    const cost = estimateRunCost(widest);
    expect(size.msPerStep).toBeCloseTo(cost.msPerStep + cost.msPerEvaluation / 50, 6);
    expect(size.worstMs).toBeCloseTo(12 * 1000 * size.msPerStep!, 3);
    expect(describeSweepSize(size, 2)).toMatch(
      /^12 cells \(2 × 2 values × 3 seeds\), each up to 1 000 steps at ≈ \d+ ms a step: up to .* of training, ≈ .* on 2 cores$/,
    );
  });

  it('sizes a spec that cannot expand by its cell count alone', () => {
    const size = sweepSize(spec({ preset: 'nope' }));
    expect(size).toMatchObject({ cells: 12, msPerStep: null, worstMs: null });
    expect(describeSweepSize(size)).toBe('12 cells (2 × 2 values × 3 seeds), each up to 1 000 steps');
  });

  it('lets the named sweeps run unasked and refuses one cell above the limit', () => {
    for (const entry of Object.values(SWEEPS))
      expect(labSweepCheck(parseSweepSpec(entry.spec), 2)).toEqual({ level: 'ok' });
    const range = (count: number) => ({ from: 0.01, to: 1, count, scale: 'log' });
    const atLimit = spec({
      x: { key: 'optimizer.lr', range: range(64) },
      y: { key: 'task.trainFraction', range: { ...range(64), to: 0.9 } },
      seeds: [0],
    });
    expect(sweepSize(atLimit).cells).toBe(LAB_MAX_CELLS);
    expect(labSweepCheck(atLimit, 2).level).not.toBe('refuse');
    expect(labSweepCheck({ ...atLimit, seeds: [0, 1] }, 2).level).toBe('refuse');
  });
});
