import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../engine/config';
import { leafPaths } from '../../engine/plainObjects';
import { pendingChangeLabel } from './fields';

describe('pendingChangeLabel (issue 17, minor: the pending list showed raw keys)', () => {
  it('names the fields the controls show by their labels', () => {
    expect(pendingChangeLabel('task.modulus')).toBe('Modulus p');
    expect(pendingChangeLabel('model.dModel')).toBe('d_model');
    expect(pendingChangeLabel('seed')).toBe('Seed');
  });

  it('names the uploaded table, whichever part of it changed', () => {
    expect(pendingChangeLabel('task.table.rows')).toBe('Uploaded table');
    expect(pendingChangeLabel('task.table.name')).toBe('Uploaded table');
    expect(pendingChangeLabel('task.table')).toBe('Uploaded table');
  });

  it('names regularizer settings by the method and the parameter', () => {
    expect(pendingChangeLabel('regularizers.radial.lambda')).toBe('Radial penalty λ');
    expect(pendingChangeLabel('regularizers.radial.enabled')).toBe('Radial penalty on/off');
  });

  it('never shows a dotted key for any field of the config', () => {
    for (const path of leafPaths(DEFAULT_CONFIG)) {
      const label = pendingChangeLabel(path);
      expect(label, path).not.toMatch(/\./);
      expect(label.length, path).toBeGreaterThan(0);
    }
    expect(pendingChangeLabel('model.combine')).toBe('Combine');
    expect(pendingChangeLabel('optimizer.epsilon')).toBe('Epsilon');
    expect(pendingChangeLabel('task.someNewKey')).toBe('Some new key');
  });
});
