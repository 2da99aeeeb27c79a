import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TaskConfig } from '../config';
import { buildAdditionDataset, digitsOf } from './addition';
import { splitIndices } from './dataset';
import { buildModularDataset, buildTableDataset, isPrime, OPERATIONS } from './modular';
import { buildParityDataset } from './parity';

const task = (patch: Partial<TaskConfig>): TaskConfig => ({ ...DEFAULT_CONFIG.task, ...patch });

describe('modular tasks', () => {
  it('covers all p×p pairs with a seeded, disjoint split of the requested size', () => {
    const dataset = buildModularDataset(task({ modulus: 11, trainFraction: 0.3 }), 0, true);
    expect(dataset.isTrain.length).toBe(121);
    expect(dataset.sequenceLength).toBe(3);
    expect(dataset.vocabSize).toBe(12);
    const { train, test } = splitIndices(dataset);
    expect(train.length).toBe(Math.round(0.3 * 121));
    expect(train.length + test.length).toBe(121);
    expect(new Set([...train, ...test]).size).toBe(121);
    for (let i = 0; i < 121; i++) {
      expect(dataset.targets[i]).toBe((dataset.grid!.a[i] + dataset.grid!.b[i]) % 11);
      expect(dataset.inputs[i * 3 + 2]).toBe(11); // "="
    }
  });

  it('is deterministic by seed', () => {
    const a = buildModularDataset(task({ modulus: 13 }), 5, false);
    const b = buildModularDataset(task({ modulus: 13 }), 5, false);
    const c = buildModularDataset(task({ modulus: 13 }), 6, false);
    expect(a.isTrain).toEqual(b.isTrain);
    expect(a.isTrain).not.toEqual(c.isTrain);
    expect(a.sequenceLength).toBe(2);
  });

  it('builds every built-in operation; division skips b = 0 and uses the inverse', () => {
    const p = 7;
    for (const operation of Object.keys(OPERATIONS)) {
      const dataset = buildModularDataset(task({ modulus: p, operation }), 0, false);
      expect(dataset.isTrain.length).toBe(operation === 'a/b' ? p * (p - 1) : p * p);
    }
    const division = buildModularDataset(task({ modulus: p, operation: 'a/b' }), 0, false);
    for (let i = 0; i < division.targets.length; i++) {
      expect((division.targets[i] * division.grid!.b[i]) % p).toBe(division.grid!.a[i]);
    }
    const cubic = buildModularDataset(task({ modulus: p, operation: 'a^3+ab' }), 0, false);
    const index = 3 * p + 5; // a = 3, b = 5
    expect(cubic.targets[index]).toBe((27 + 15) % p);
  });

  it('checks primality', () => {
    expect([2, 3, 5, 97, 113].every(isPrime)).toBe(true);
    expect([0, 1, 4, 91, 100].some(isPrime)).toBe(false);
  });
});

describe('addition task', () => {
  it('encodes n-digit sums as next-token sequences', () => {
    const dataset = buildAdditionDataset(
      task({ kind: 'addition', digits: 1, samples: 1000, trainFraction: 0.5 }),
      0,
    );
    expect(dataset.isTrain.length).toBe(100); // all 10×10 problems
    expect(dataset.answerLength).toBe(2);
    expect(dataset.sequenceLength).toBe(1 + 1 + 1 + 1 + 1); // d + d = c (last answer char not input)
    for (let i = 0; i < 100; i++) {
      const x = dataset.inputs[i * 5];
      const y = dataset.inputs[i * 5 + 2];
      expect(dataset.inputs[i * 5 + 1]).toBe(10); // "+"
      expect(dataset.inputs[i * 5 + 3]).toBe(11); // "="
      const sum = dataset.targets[i * 2] * 10 + dataset.targets[i * 2 + 1];
      expect(sum).toBe(x + y);
      expect(dataset.inputs[i * 5 + 4]).toBe(dataset.targets[i * 2]); // teacher forcing
    }
  });

  it('samples distinct problems when the table is large, deterministically', () => {
    const config = task({ kind: 'addition', digits: 3, samples: 500 });
    const a = buildAdditionDataset(config, 1);
    const b = buildAdditionDataset(config, 1);
    expect(a.inputs).toEqual(b.inputs);
    const keys = new Set<string>();
    for (let i = 0; i < 500; i++) keys.add(a.inputs.slice(i * 11, i * 11 + 7).join(','));
    expect(keys.size).toBe(500);
    expect(digitsOf(579, 4)).toEqual([0, 5, 7, 9]);
  });
});

describe('sparse parity', () => {
  it('labels the XOR of the k relevant bits', () => {
    const dataset = buildParityDataset(
      task({ kind: 'parity', parityBits: 10, parityRelevant: 3, samples: 200 }),
      0,
      false,
    );
    expect(dataset.relevantBits).toHaveLength(3);
    for (let i = 0; i < 200; i++) {
      const parity = dataset.relevantBits.reduce((acc, bit) => acc ^ dataset.inputs[i * 10 + bit], 0);
      expect(dataset.targets[i]).toBe(parity);
    }
  });
});

describe('uploaded table task', () => {
  it('builds the pairs it is given, split like a modular task', () => {
    const rows = [0, 0, 1, 0, 1, 2, 1, 0, 0, 1, 1, 3, 2, 2, 4];
    const dataset = buildTableDataset(
      task({ kind: 'table', modulus: 5, table: { name: 'mine', rows } }),
      0,
      true,
    );
    expect(dataset.targets).toEqual(Int32Array.from([1, 2, 0, 3, 4]));
    expect(dataset.grid!.a).toEqual(Int32Array.from([0, 0, 1, 1, 2]));
    expect(dataset.inputs.slice(3, 6)).toEqual(Int32Array.from([0, 1, 5]));
    expect(dataset.title).toMatch(/mine/);
  });
});
