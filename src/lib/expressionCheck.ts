/**
 * Live checking of a custom operation as the user types it, with the engine's own safe parser (never eval):
 * either where the text goes wrong, or a few sample values and how much of the p×p table it defines.
 */
import {
  evaluateExpression,
  ExpressionError,
  parseExpression,
  usesDivision,
  type Expression,
} from '../engine/tasks/expression';
import { isPrime, operationExpression, undefinedTableIssue } from '../engine/tasks/modular';

/** Tables up to this many pairs are evaluated in full on each keystroke (113² ≈ 12 800: a few ms). */
const FULL_TABLE_LIMIT = 113 * 113;

export interface ExpressionSample {
  a: number;
  b: number;
  /** null where the operation is undefined (e.g. division by a non-invertible value). */
  result: number | null;
}

export type ExpressionCheck =
  | {
      ok: true;
      expression: Expression;
      /** The expression text a built-in name stands for (or the text itself). */
      source: string;
      samples: ExpressionSample[];
      /** Pairs with a defined result, and the number of distinct results; null when p is too large to count. */
      definedPairs: number | null;
      distinctResults: number | null;
      /** Advice that does not make the operation unusable (e.g. a constant operation). */
      warning: string | null;
    }
  | {
      ok: false;
      message: string;
      /** 0-based character offset into the text as typed; -1 when the problem has no single place. */
      position: number;
    };

const SAMPLE_PAIRS: readonly [number, number][] = [
  [0, 1],
  [2, 3],
  [5, 7],
  [10, 4],
];

export function checkExpression(text: string, modulus: number): ExpressionCheck {
  const source = operationExpression(text);
  const isBuiltIn = source !== text;
  let expression: Expression;
  try {
    expression = parseExpression(source);
  } catch (error) {
    if (error instanceof ExpressionError) {
      return { ok: false, message: error.message, position: isBuiltIn ? -1 : error.position };
    }
    return { ok: false, message: String(error), position: -1 };
  }
  if (usesDivision(expression) && !isPrime(modulus)) {
    return {
      ok: false,
      message: `division needs a prime modulus; p = ${modulus} is not prime`,
      position: isBuiltIn ? -1 : text.indexOf('/'),
    };
  }
  // The same rule validation applies (config.ts): a table with fewer than 2 defined cells cannot be split.
  const tableIssue = undefinedTableIssue(text, modulus);
  if (tableIssue) return { ok: false, message: tableIssue, position: -1 };
  const samples = SAMPLE_PAIRS.map(([a, b]) => {
    const [x, y] = [a % modulus, b % modulus];
    return { a: x, b: y, result: evaluateExpression(expression, x, y, modulus) };
  });
  let definedPairs: number | null = null;
  let distinctResults: number | null = null;
  let warning: string | null = null;
  if (modulus * modulus <= FULL_TABLE_LIMIT) {
    const seen = new Set<number>();
    definedPairs = 0;
    for (let a = 0; a < modulus; a++) {
      for (let b = 0; b < modulus; b++) {
        const value = evaluateExpression(expression, a, b, modulus);
        if (value === null) continue;
        definedPairs++;
        seen.add(value);
      }
    }
    distinctResults = seen.size;
    if (distinctResults === 1) warning = 'the answer is the same for every pair: there is nothing to learn';
    else if (definedPairs < 8)
      warning = `only ${definedPairs} pairs have an answer: too few to split into train and test`;
  }
  return { ok: true, expression, source, samples, definedPairs, distinctResults, warning };
}
