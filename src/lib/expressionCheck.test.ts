import { describe, expect, it } from 'vitest';
import { checkExpression } from './expressionCheck';

describe('checkExpression', () => {
  it('accepts an expression and shows sample values mod p', () => {
    const check = checkExpression('(a*a + 3*b) % p', 31);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.samples[1]).toEqual({ a: 2, b: 3, result: (4 + 9) % 31 });
    expect(check.definedPairs).toBe(31 * 31);
    expect(check.distinctResults).toBe(31);
    expect(check.warning).toBeNull();
  });

  it('expands built-in names', () => {
    const check = checkExpression('a/b', 7);
    expect(check.ok && check.source).toBe('a / b');
    expect(check.ok && check.definedPairs).toBe(7 * 6);
  });

  it('points at the offending character', () => {
    const check = checkExpression('a + $b', 31);
    expect(check).toMatchObject({ ok: false, position: 4 });
    expect(!check.ok && check.message).toMatch(/unexpected '\$' at position 5/);
    expect(checkExpression('(a + b', 31)).toMatchObject({ ok: false, position: 6 });
    expect(checkExpression('', 31)).toMatchObject({ ok: false, message: 'expression is empty' });
  });

  it('points at the division when p is not prime', () => {
    expect(checkExpression('a + a/b', 30)).toMatchObject({ ok: false, position: 5 });
    expect(checkExpression('a/b', 30)).toMatchObject({ ok: false, position: -1 });
  });

  it('warns about operations with nothing to learn', () => {
    const constant = checkExpression('a - a + 3', 11);
    expect(constant.ok && constant.warning).toMatch(/same for every pair/);
  });

  it('refuses an operation defined for fewer than 2 pairs, at any p (validation refuses it too; issue 17)', () => {
    for (const p of [11, 257]) {
      expect(checkExpression('a % 0', p)).toMatchObject({ ok: false, position: -1 });
      const check = checkExpression('a/0', p);
      expect(!check.ok && check.message).toMatch(/"a\/0" is undefined for every pair/);
    }
    expect(checkExpression('a/(a*b)', 2)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/only 1 pair/),
    });
  });

  it('skips the full count for large p', () => {
    const check = checkExpression('a*b', 257);
    expect(check.ok && check.definedPairs).toBeNull();
  });
});
