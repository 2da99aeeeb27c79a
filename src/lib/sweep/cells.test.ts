import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../engine/presets';
import { cellId, expandSweep, SweepError } from './cells';
import { parseSweepSpec, type SweepSpecInput } from './spec';

const radial: SweepSpecInput = {
  preset: 'mlp',
  x: { key: 'regularizers.weightDecay.coefficient', values: [0.1, 1] },
  y: { key: 'regularizers.radial.lambda', values: [0, 0.01, 0.03] },
  seeds: [0, 1],
  steps: 2000,
  stopAfterGrok: 50,
};

describe('expandSweep', () => {
  it('makes one cell per (x, y, seed), seed outermost, then y, then x', () => {
    const { cells, xValues, yValues } = expandSweep(parseSweepSpec(radial));
    expect(xValues).toEqual([0.1, 1]);
    expect(yValues).toEqual([0, 0.01, 0.03]);
    expect(cells).toHaveLength(12);
    expect(cells.map((c) => [c.seed, c.yIndex, c.xIndex])).toEqual(
      [0, 1].flatMap((seed) => [0, 1, 2].flatMap((y) => [0, 1].map((x) => [seed, y, x]))),
    );
    expect(cells.map((c) => c.index)).toEqual([...cells.keys()]);
  });

  it('resolves each cell on the preset: knob values, seed, budget and stop rule; λ = 0 is the penalty off', () => {
    const { cells } = expandSweep(parseSweepSpec(radial));
    const off = cells.find((c) => c.xValue === 0.1 && c.yValue === 0 && c.seed === 1)!;
    expect(off.config.regularizers.radial.enabled).toBe(false);
    expect(off.config.regularizers.weightDecay).toMatchObject({ enabled: true, coefficient: 0.1 });
    expect(off.config.seed).toBe(1);
    expect(off.config.training).toMatchObject({ maxSteps: 2000, stopAfterGrok: 50 });
    expect(off.config.model).toMatchObject(PRESETS.mlp.config.model);
    const on = cells.find((c) => c.xValue === 1 && c.yValue === 0.03)!;
    expect(on.config.regularizers.radial).toMatchObject({ enabled: true, lambda: 0.03 });
  });

  it('gives every cell a distinct id that depends only on its resolved config', () => {
    const first = expandSweep(parseSweepSpec(radial)).cells;
    expect(new Set(first.map((c) => c.id)).size).toBe(first.length);
    // The same run in a differently shaped sweep (other values around it, another order) has the same id.
    const other = expandSweep(
      parseSweepSpec({ ...radial, x: { ...radial.x, values: [3, 1] }, seeds: [1] }),
    ).cells.find((c) => c.xValue === 1 && c.yValue === 0.03)!;
    const same = first.find((c) => c.xValue === 1 && c.yValue === 0.03 && c.seed === 1)!;
    expect(other.id).toBe(same.id);
    expect(cellId(same.config)).toBe(same.id);
    // Any change of the run changes the id.
    const longer = expandSweep(parseSweepSpec({ ...radial, steps: 2001 })).cells;
    expect(longer.map((c) => c.id).filter((id) => first.some((c) => c.id === id))).toEqual([]);
  });

  it('names a knob that is not a numeric config key', () => {
    expect(() =>
      expandSweep(parseSweepSpec({ ...radial, x: { key: 'optimizer.learningRate', values: [1] } })),
    ).toThrow('x: "optimizer.learningRate" is not a config key');
    expect(() => expandSweep(parseSweepSpec({ ...radial, y: { key: 'model.kind', values: [1] } }))).toThrow(
      'y: "model.kind" is not numeric (it is a string)',
    );
  });

  it('names the cell and config key whose value is out of range, and an unknown preset', () => {
    expect(() =>
      expandSweep(parseSweepSpec({ ...radial, y: { key: 'task.trainFraction', values: [0.5, 1.5] } })),
    ).toThrow(
      /cell regularizers.weightDecay.coefficient=0.1, task.trainFraction=1.5, seed 0: invalid config:\ntask.trainFraction: /,
    );
    expect(() => expandSweep(parseSweepSpec({ ...radial, preset: 'nope' }))).toThrow(SweepError);
  });

  it('overlays the spec config on the preset', () => {
    const { cells } = expandSweep(parseSweepSpec({ ...radial, config: { optimizer: { lr: 1e-2 } } }));
    expect(cells[0].config.optimizer.lr).toBe(1e-2);
  });
});

describe('evaluation schedule', () => {
  it('sets a fixed evaluation interval when the spec has one, and keeps the base schedule when not', () => {
    const fixed = expandSweep(parseSweepSpec({ ...radial, evalEvery: 50 })).cells;
    expect(fixed.every((c) => c.config.training.evalEvery === 50)).toBe(true);
    const base = expandSweep(parseSweepSpec(radial)).cells;
    expect(base.every((c) => c.config.training.evalEvery === 0)).toBe(true);
    expect(fixed[0].id).not.toBe(base[0].id);
  });
});
