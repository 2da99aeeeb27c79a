/**
 * The built-in binary operations and the modulus rule, as plain data and functions: config.ts validates with
 * them and modular.ts builds datasets from them (kept apart so that config and the task builder do not import
 * each other).
 */
import { MIN_EXAMPLES } from './dataset';
import { evaluateExpression, parseExpression, type Expression } from './expression';

export const OPERATIONS = {
  'a+b': 'a + b',
  'a-b': 'a - b',
  'a*b': 'a * b',
  'a/b': 'a / b',
  'a^2+b^2': 'a^2 + b^2',
  'a^2+ab+b^2': 'a^2 + a*b + b^2',
  'a^3+ab': 'a^3 + a*b',
} as const;

export type OperationName = keyof typeof OPERATIONS;

/** A built-in name's expression; any other string is already an expression in a, b and p. */
export function operationExpression(operation: string): string {
  return operation in OPERATIONS ? OPERATIONS[operation as OperationName] : operation;
}

export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/**
 * How many of the p×p pairs have a defined result, counting no further than `enough` (an ordinary operation stops
 * after a couple of cells; only one undefined almost everywhere walks the whole table).
 */
export function countDefinedPairs(
  expression: Expression,
  p: number,
  enough = Number.POSITIVE_INFINITY,
): number {
  let count = 0;
  for (let x = 0; x < p; x++) {
    for (let y = 0; y < p; y++) {
      if (evaluateExpression(expression, x, y, p) !== null && ++count >= enough) return count;
    }
  }
  return count;
}

/** Why an operation's table cannot be split into training and test examples, or null. */
export function undefinedTableIssue(operation: string, p: number): string | null {
  const expression = parseExpression(operationExpression(operation));
  const defined = countDefinedPairs(expression, p, MIN_EXAMPLES);
  if (defined >= MIN_EXAMPLES) return null;
  return defined === 0
    ? `"${operation}" is undefined for every pair (a, b) mod ${p}: there is nothing to learn`
    : `"${operation}" has a result for only 1 pair (a, b) mod ${p}: too few to split into training and test`;
}
