import { describe, expect, it } from 'vitest';
import { expandSweep } from './cells';
import { isSweepName, SWEEPS } from './registry';
import { parseSweepSpec } from './spec';

describe('named sweeps', () => {
  it.each(Object.keys(SWEEPS))('%s expands to valid cells', (name) => {
    expect(isSweepName(name)).toBe(true);
    const sweep = expandSweep(parseSweepSpec(SWEEPS[name as keyof typeof SWEEPS].spec));
    expect(sweep.cells.length).toBe(sweep.xValues.length * sweep.yValues.length * sweep.spec.seeds.length);
  });

  it('the radial map is weight decay 0.03–1 × radial λ 0–0.03 on the mlp preset, 10 000 steps, one seed, λ 0 = off', () => {
    const sweep = expandSweep(parseSweepSpec(SWEEPS['radial-map'].spec));
    expect(sweep.xValues).toEqual([0.03, 0.1, 0.3, 1]);
    expect(sweep.yValues).toEqual([0, 0.003, 0.01, 0.03]);
    expect(sweep.spec).toMatchObject({ preset: 'mlp', seeds: [0], steps: 10_000, evalEvery: 50 });
    for (const cell of sweep.cells) {
      expect(cell.config.regularizers.radial.enabled).toBe(cell.yValue > 0);
      expect(cell.config.regularizers.weightDecay).toMatchObject({ enabled: true, coefficient: cell.xValue });
    }
  });

  it('the data sweep varies the training fraction against weight decay', () => {
    const sweep = expandSweep(parseSweepSpec(SWEEPS['data-fraction'].spec));
    expect(sweep.spec.y.key).toBe('task.trainFraction');
    expect(sweep.spec.x.key).toBe('regularizers.weightDecay.coefficient');
    expect(isSweepName('toString')).toBe(false);
  });
});
