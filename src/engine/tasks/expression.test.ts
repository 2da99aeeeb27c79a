import { describe, expect, it } from 'vitest';
import {
  evaluateExpression,
  ExpressionError,
  modularInverse,
  parseExpression,
  usesDivision,
} from './expression';

const evaluate = (source: string, a: number, b: number, p: number): number | null =>
  evaluateExpression(parseExpression(source), a, b, p);

describe('expression parser', () => {
  it('evaluates arithmetic mod p with the usual precedence', () => {
    expect(evaluate('a + b', 5, 6, 7)).toBe(4);
    expect(evaluate('a - b', 2, 5, 7)).toBe(4);
    expect(evaluate('a*a + 3*b', 4, 2, 11)).toBe((16 + 6) % 11);
    expect(evaluate('(a*a + 3*b) % p', 4, 2, 11)).toBe((16 + 6) % 11);
    expect(evaluate('a^3 + a*b', 3, 4, 13)).toBe((27 + 12) % 13);
    expect(evaluate('-a + 2^3', 1, 0, 97)).toBe(7);
    expect(evaluate('2^3^2', 0, 0, 1000)).toBe(512); // right-associative
    expect(evaluate('(a + b) % 3', 4, 4, 97)).toBe(2); // % with a non-modulus uses exact integers
  });

  it('treats / as modular division and leaves undefined cells out', () => {
    expect(evaluate('a / b', 3, 4, 7)).toBe((3 * 2) % 7); // 4⁻¹ = 2 mod 7
    expect(evaluate('a / b', 3, 0, 7)).toBeNull();
    expect(usesDivision(parseExpression('a*(b/2)'))).toBe(true);
    expect(usesDivision(parseExpression('a*b'))).toBe(false);
  });

  it('computes modular inverses', () => {
    expect(modularInverse(3, 7)).toBe(5);
    expect((modularInverse(10, 97)! * 10) % 97).toBe(1);
    expect(modularInverse(4, 8)).toBeNull();
  });

  it('points at the offending character', () => {
    const fail = (source: string): ExpressionError => {
      try {
        parseExpression(source);
      } catch (error) {
        return error as ExpressionError;
      }
      throw new Error('expected a parse error');
    };
    expect(fail('a + c').position).toBe(4);
    expect(fail('a + c').message).toMatch(/position 5/);
    expect(fail('(a + b').message).toMatch(/expected '\)'/);
    expect(fail('a b').message).toMatch(/unexpected 'b'/);
    expect(fail('').message).toMatch(/empty/);
    expect(fail('alert(1)').position).toBe(0);
    expect(fail('a'.repeat(300)).message).toMatch(/longer/);
  });

  it('names a character outside the basic plane whole, not half a surrogate pair (issue 17, minor)', () => {
    const fail = (source: string): ExpressionError => {
      try {
        parseExpression(source);
      } catch (error) {
        return error as ExpressionError;
      }
      throw new Error('expected a parse error');
    };
    expect(fail('a + 😀').message).toMatch(/^unexpected '😀' at position 5:/);
    expect(fail('a + 😀').position).toBe(4);
    expect(fail('a + 😀').message).not.toContain('\uFFFD');
    // What cannot be shown is named by its code point.
    expect(fail('a + \uD83D').message).toMatch(/^unexpected U\+D83D at position 5/);
    expect(fail('a\u0007').message).toMatch(/^unexpected U\+0007 at position 2/);
  });

  it('refuses every invisible character alike, naming it as invisible (issue 25, item 6)', () => {
    const message = (source: string): string => {
      try {
        parseExpression(source);
      } catch (error) {
        return (error as ExpressionError).message;
      }
      return 'parsed';
    };
    // U+FEFF is in JavaScript's \s: it was read as a space while its twin U+200B was refused.
    expect(message('a\uFEFF+b')).toMatch(/^unexpected U\+FEFF at position 2 \(an invisible character\)/);
    for (const [source, named] of [
      ['a\u200B+b', /^unexpected U\+200B at position 2 \(an invisible character\)/],
      ['a+\u200Db', /^unexpected U\+200D at position 3 \(an invisible character\)/],
      ['\u2060a+b', /^unexpected U\+2060 at position 1 \(an invisible character\)/],
      ['a\u00AD+b', /^unexpected U\+00AD at position 2 \(an invisible character\)/],
      ['a+b\u200F', /^unexpected U\+200F at position 4 \(an invisible character\)/],
    ] as const)
      expect(message(source)).toMatch(named);
    // Spaces that show as space (tab, no-break, ideographic) stay spaces.
    expect(message('a\t+\u00A0b\u3000')).toBe('parsed');
  });
});
