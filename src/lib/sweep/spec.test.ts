import { describe, expect, it } from 'vitest';
import {
  axisValues,
  formatAxis,
  parseAxis,
  parseDecimal,
  parseSweepSpec,
  rangeValues,
  SweepSpecError,
} from './spec';

const minimal = {
  x: { key: 'optimizer.lr', values: [1e-3, 3e-3] },
  y: { key: 'task.trainFraction', values: [0.5] },
  seeds: [0],
  steps: 100,
};

describe('sweep spec', () => {
  it('fills defaults: no preset, empty config, stop 100 steps after grokking', () => {
    const spec = parseSweepSpec(minimal);
    expect(spec).toMatchObject({ preset: null, config: {}, stopAfterGrok: 100 });
  });

  it('rejects the same key on both axes, repeated seeds, empty value lists and bad budgets, naming the field', () => {
    expect(() => parseSweepSpec({ ...minimal, y: { key: 'optimizer.lr', values: [1] } })).toThrow(
      /^y: .*different/,
    );
    expect(() => parseSweepSpec({ ...minimal, seeds: [1, 1] })).toThrow(/seeds: .*distinct/);
    expect(() => parseSweepSpec({ ...minimal, x: { key: 'optimizer.lr', values: [] } })).toThrow(
      SweepSpecError,
    );
    expect(() => parseSweepSpec({ ...minimal, steps: 0 })).toThrow(/steps/);
    expect(() => parseSweepSpec({ ...minimal, x: { key: 'optimizer.lr', values: [Number.NaN] } })).toThrow(
      /^x.values.0: /,
    );
  });

  it('spaces ranges linearly or logarithmically, endpoints exact', () => {
    expect(rangeValues({ from: 0.3, to: 0.7, count: 5, scale: 'linear' })).toEqual([0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(rangeValues({ from: 1e-4, to: 1e-2, count: 3, scale: 'log' })).toEqual([1e-4, 1e-3, 1e-2]);
    expect(rangeValues({ from: 0.03, to: 3, count: 5, scale: 'log' })).toEqual([
      0.03, 0.0948683298051, 0.3, 0.948683298051, 3,
    ]);
  });

  it('reads the CLI axis syntax: lists and ranges, and formats it back', () => {
    expect(parseAxis('regularizers.weightDecay.coefficient=0.03,0.1,0.3,1')).toEqual({
      key: 'regularizers.weightDecay.coefficient',
      values: [0.03, 0.1, 0.3, 1],
    });
    const log = parseAxis('optimizer.lr=1e-4..1e-2:3:log');
    expect(axisValues(log)).toEqual([1e-4, 1e-3, 1e-2]);
    expect(formatAxis(log)).toBe('optimizer.lr=0.0001..0.01:3:log');
    expect(axisValues(parseAxis('task.trainFraction=0.3..0.7:3'))).toEqual([0.3, 0.5, 0.7]);
    expect(parseAxis(formatAxis(parseAxis('a.b=1,2')))).toEqual({ key: 'a.b', values: [1, 2] });
  });

  it('says what is wrong with a bad axis', () => {
    expect(() => parseAxis('0.1,0.3')).toThrow(/key=values/);
    expect(() => parseAxis('optimizer.lr=0.1,x')).toThrow(/"x" is not a number/);
    expect(() => parseAxis('optimizer.lr=')).toThrow(/no values/);
    expect(() => parseAxis('optimizer.lr=0..1:3:log')).toThrow(/log range needs from > 0/);
    expect(() => parseAxis('optimizer.lr=0..1:many')).toThrow(/from..to:count/);
    expect(() => parseAxis('optimizer.lr=0..1:1')).toThrow(SweepSpecError);
  });
});

describe('sweep axis', () => {
  it('needs exactly one of values and range, and distinct values', () => {
    const range = { from: 1, to: 2, count: 2, scale: 'linear' as const };
    expect(() => parseSweepSpec({ ...minimal, x: { key: 'optimizer.lr', values: [1], range } })).toThrow(
      /either values or a range/,
    );
    expect(() => parseSweepSpec({ ...minimal, x: { key: 'optimizer.lr' } })).toThrow(
      /either values or a range/,
    );
    expect(() => parseAxis('optimizer.lr=1,1')).toThrow(/distinct/);
  });
});

describe('sweep values that would give two columns of one label (issue 25 item 8)', () => {
  it('refuses a range whose values repeat, naming the range', () => {
    expect(() => parseAxis('optimizer.lr=1..1:5')).toThrow(
      /optimizer\.lr: the range 1\.\.1:5 repeats values \(1 comes more than once\)/,
    );
    expect(() =>
      parseSweepSpec({
        ...minimal,
        y: { key: 'task.trainFraction', range: { from: 0.5, to: 0.5, count: 3, scale: 'log' } },
      }),
    ).toThrow(/^y.range: the range 0\.5\.\.0\.5:3 repeats values/);
  });

  it('refuses values equal to 12 significant digits, naming both as written', () => {
    expect(() => parseAxis('optimizer.lr=0.3,0.30000000000000004')).toThrow(
      'values must be distinct: 0.3 and 0.30000000000000004 are one value (equal to 12 significant digits)',
    );
    // Values that differ within 12 digits stay two columns.
    expect(axisValues(parseAxis('optimizer.lr=0.3001,0.3002'))).toEqual([0.3001, 0.3002]);
  });
});

describe('decimal numbers only (issue 25 item 8: "0x10" was read as 16 without a word)', () => {
  it('refuses hexadecimal, binary and octal literals, saying what they would have meant', () => {
    expect(() => parseAxis('optimizer.lr=0x10')).toThrow(
      'optimizer.lr: "0x10" is not a decimal number (write 16 if you mean 0x10)',
    );
    expect(() => parseAxis('optimizer.lr=0.1,0b11')).toThrow(/"0b11" is not a decimal number \(write 3/);
    expect(() => parseAxis('optimizer.lr=0o7..1:3')).toThrow(/"0o7" is not a decimal number/);
    expect(() => parseAxis('optimizer.lr=1e400')).toThrow(/"1e400" is too large/);
  });

  it('reads every decimal form', () => {
    expect(['1', '-2.5', '.5', '3.', '1e-4', '+2E3', ' 7 '].map(parseDecimal)).toEqual([
      1, -2.5, 0.5, 3, 1e-4, 2000, 7,
    ]);
    expect(['0x10', 'Infinity', '', '1,5', '1e', 'NaN'].map(parseDecimal)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});
