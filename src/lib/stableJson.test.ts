import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv1a64Hex, stableHash, stableStringify } from './stableJson';

describe('stableStringify / stableHash', () => {
  it('ignores key order at every level and drops undefined members', () => {
    expect(stableStringify({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(stableHash({ a: 1, b: 2 })).toBe(stableHash({ b: 2, a: 1 }));
  });

  it('matches the published FNV-1a 64 test vectors', () => {
    expect(fnv1a64Hex('')).toBe('cbf29ce484222325');
    expect(fnv1a64Hex('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64Hex('foobar')).toBe('85944171f73967e8');
  });

  it('round-trips through JSON.parse to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(stableStringify(JSON.parse(stableStringify(value)))).toBe(stableStringify(value));
      }),
    );
  });

  it('tells different numbers apart', () => {
    expect(stableHash({ lambda: 0.01 })).not.toBe(stableHash({ lambda: 0.03 }));
  });
});
