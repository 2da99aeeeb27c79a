/**
 * The built-in binary operations and the modulus rule, as plain data and functions: config.ts validates with
 * them and modular.ts builds datasets from them (kept apart so that config and the task builder do not import
 * each other).
 */
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
