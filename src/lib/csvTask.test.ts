import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flatRows, formatCsvIssue, parseCsvTask, type CsvResult } from './csvTask';

function errors(result: CsvResult): string[] {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors.map(formatCsvIssue);
}

function additionTable(p: number): string {
  const lines = ['a,b,result'];
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) lines.push(`${a},${b},${(a + b) % p}`);
  return lines.join('\n');
}

describe('parseCsvTask', () => {
  it('reads a full table with a header and infers p', () => {
    const result = parseCsvTask(additionTable(7));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.table.modulus).toBe(7);
    expect(result.table.modulusInferred).toBe(true);
    expect(result.table.hadHeader).toBe(true);
    expect(result.table.a.length).toBe(49);
    expect(result.table.coverage).toBe(1);
    expect(Array.from(result.table.results.slice(0, 8))).toEqual([0, 1, 2, 3, 4, 5, 6, 1]);
    expect(result.warnings).toEqual([]);
  });

  it('accepts no header, other separators, CRLF, comments, blank lines, quotes and a BOM', () => {
    const text = '\uFEFF# x*y mod 5\r\n0;1;0\r\n\r\n"2"\t3\t1\r\n4 4 1\r\n3, 2, 1\r\n';
    const result = parseCsvTask(text, { modulus: 5 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.table.hadHeader).toBe(false);
    expect(result.table.modulus).toBe(5);
    expect(result.table.modulusInferred).toBe(false);
    expect(flatRows(result.table)).toEqual([0, 1, 0, 2, 3, 1, 4, 4, 1, 3, 2, 1]);
    expect(result.table.coverage).toBeCloseTo(4 / 25);
  });

  it('skips exact repeats with a warning', () => {
    const result = parseCsvTask('1,1,2\n1,2,3\n1,1,2\n2,2,4\n0,0,0\n');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.table.a.length).toBe(4);
    expect(result.table.repeatedRows).toBe(1);
    expect(result.warnings[0].message).toMatch(/1 repeated rows/);
  });

  it('rejects a pair given two different results, naming both lines', () => {
    const text = 'a,b,result\n1,2,3\n2,2,4\n0,0,0\n\n1,2,4\n';
    expect(errors(parseCsvTask(text))).toEqual([
      'line 6: (1, 2) → 4 contradicts line 2, which gives (1, 2) → 3',
    ]);
  });

  it('names non-integers, negatives, wrong column counts and values ≥ p by line', () => {
    const text = ['a,b,c', '1,2,3', '1.5,2,3', '1,-2,3', '1,2', '1,2,3,4', '4,1,9', 'x,1,1'].join('\n');
    expect(errors(parseCsvTask(text, { modulus: 5 }))).toEqual([
      'line 3: a = "1.5" is not a whole number',
      'line 4: b = -2 is negative; values must be in 0..p−1',
      'line 5: expected 3 values (a, b, result), found 2',
      'line 6: expected 3 values (a, b, result), found 4',
      'line 7: result = 9 is not below p = 5',
      'line 8: a = "x" is not a whole number',
    ]);
  });

  it('treats only the first content line as a possible header', () => {
    expect(errors(parseCsvTask('0,0,0\na,b,result\n'))).toEqual(['line 2: a = "a" is not a whole number']);
    expect(errors(parseCsvTask('a,b\n0,0,0\n'))[0]).toBe(
      'line 1: the header has 2 columns; expected 3 (a, b, result)',
    );
    // A mistyped first row is an error, not a header.
    expect(errors(parseCsvTask('1.5,2,3\n0,0,0\n'))).toEqual(['line 1: a = "1.5" is not a whole number']);
  });

  it('rejects values past the largest supported p, an invalid p, and empty or tiny tables', () => {
    expect(errors(parseCsvTask('0,0,300\n1,1,1\n2,2,2\n3,3,3\n'))[0]).toMatch(
      /line 1: result = 300 is too large/,
    );
    expect(errors(parseCsvTask('0,0,0', { modulus: 1 }))[0]).toMatch(
      /p must be a whole number from 2 to 257/,
    );
    expect(errors(parseCsvTask('# nothing\n\n'))).toEqual(['the file has no (a, b, result) rows']);
    expect(errors(parseCsvTask('a,b,result\n0,0,0\n0,1,1\n'))[0]).toMatch(/2 distinct pairs; at least 4/);
  });

  it('caps a flood of errors', () => {
    const text = Array.from({ length: 50 }, () => 'x,y,z,w').join('\n');
    const list = errors(parseCsvTask(text));
    expect(list).toHaveLength(21);
    expect(list[20]).toMatch(/and 30 more problems/);
  });

  it('never throws on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const result = parseCsvTask(text);
        if (result.ok) {
          const { table } = result;
          for (const values of [table.a, table.b, table.results]) {
            for (const v of values) expect(v >= 0 && v < table.modulus).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
