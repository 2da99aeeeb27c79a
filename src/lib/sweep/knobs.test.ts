import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, getPath } from '../../engine/config';
import { applyKnobs, knobIssue, numericKeys } from './knobs';

describe('knobs', () => {
  it('accepts any numeric config key', () => {
    for (const key of [
      'regularizers.weightDecay.coefficient',
      'regularizers.radial.lambda',
      'task.trainFraction',
      'optimizer.lr',
      'regularizers.normClamp.rho',
      'model.hiddenWidth',
    ]) {
      expect(knobIssue(key), key).toBeNull();
    }
  });

  it('names a key that does not exist or is not numeric', () => {
    expect(knobIssue('optimizer.learningRate')).toBe('"optimizer.learningRate" is not a config key');
    expect(knobIssue('regularizers.radial.enabled')).toBe(
      '"regularizers.radial.enabled" is not numeric (it is a boolean)',
    );
    expect(knobIssue('task.operation')).toMatch(/not numeric \(it is a string\)/);
    expect(knobIssue('task.table')).toMatch(/not numeric \(it is null\)/);
    expect(knobIssue('optimizer')).toMatch(/not numeric \(it is a section\)/);
    expect(knobIssue('seed')).toMatch(/--seeds/);
  });

  it('lists exactly the numeric keys (what the lab offers as knobs)', () => {
    const keys = numericKeys();
    expect(keys).toContain('regularizers.radial.lambda');
    expect(keys).toContain('task.trainFraction');
    expect(keys).not.toContain('seed');
    for (const key of keys) expect(typeof getPath(DEFAULT_CONFIG, key)).toBe('number');
  });

  it('switches a swept regularizer on, and treats 0 below its range as off (base value kept)', () => {
    const base = { regularizers: { radial: { enabled: false, lambda: 0.01 } } };
    expect(applyKnobs(base, [['regularizers.radial.lambda', 0.003]])).toEqual({
      regularizers: { radial: { enabled: true, lambda: 0.003 } },
    });
    expect(applyKnobs(base, [['regularizers.radial.lambda', 0]])).toEqual(base);
    const on = { regularizers: { weightDecay: { enabled: true, coefficient: 1 } } };
    expect(applyKnobs(on, [['regularizers.weightDecay.coefficient', 0]])).toEqual({
      regularizers: { weightDecay: { enabled: false, coefficient: 1 } },
    });
  });

  it('keeps 0 as a value where the range allows it, and plain keys are plain', () => {
    // normClamp.startStep has min 0: 0 is a real setting there, not "off".
    expect(applyKnobs({}, [['regularizers.normClamp.startStep', 0]])).toEqual({
      regularizers: { normClamp: { startStep: 0, enabled: true } },
    });
    expect(
      applyKnobs({}, [
        ['optimizer.lr', 0.01],
        ['task.trainFraction', 0.5],
      ]),
    ).toEqual({
      optimizer: { lr: 0.01 },
      task: { trainFraction: 0.5 },
    });
  });

  it('lets "off" win when two knobs of one regularizer disagree', () => {
    const result = applyKnobs({}, [
      ['regularizers.radial.lambda', 0],
      ['regularizers.weightDecay.coefficient', 0.1],
    ]);
    expect(result).toEqual({
      regularizers: { radial: { enabled: false }, weightDecay: { coefficient: 0.1, enabled: true } },
    });
  });
});
