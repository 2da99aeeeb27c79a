import type { TaskConfig } from '../config';
import { createRandom, deriveSeed, permutation } from '../random';
import { MIN_EXAMPLES, splitByFraction, TaskError, type Dataset } from './dataset';
import { evaluateExpression, parseExpression } from './expression';
import { operationExpression } from './operations';

export {
  countDefinedPairs,
  isPrime,
  OPERATIONS,
  operationExpression,
  undefinedTableIssue,
  type OperationName,
} from './operations';

/**
 * All p×p pairs (a, b) whose result is defined, labelled (a ∘ b) mod p. Sequence models read `a b =`
 * (token p is "="); the MLP reads just `a b`.
 */
export function buildModularDataset(task: TaskConfig, seed: number, withEqualsToken: boolean): Dataset {
  const p = task.modulus;
  const expression = parseExpression(operationExpression(task.operation));
  const a: number[] = [];
  const b: number[] = [];
  const results: number[] = [];
  for (let x = 0; x < p; x++) {
    for (let y = 0; y < p; y++) {
      const value = evaluateExpression(expression, x, y, p);
      if (value === null) continue;
      a.push(x);
      b.push(y);
      results.push(value);
    }
  }
  return pairDataset(
    `(${operationExpression(task.operation)}) mod ${p}`,
    p,
    a,
    b,
    results,
    task,
    seed,
    withEqualsToken,
  );
}

/** An uploaded table of (a, b, result) triples, split and encoded exactly like a modular task. */
export function buildTableDataset(task: TaskConfig, seed: number, withEqualsToken: boolean): Dataset {
  const rows = task.table?.rows ?? [];
  const a: number[] = [];
  const b: number[] = [];
  const results: number[] = [];
  for (let i = 0; i + 2 < rows.length; i += 3) {
    a.push(rows[i]);
    b.push(rows[i + 1]);
    results.push(rows[i + 2]);
  }
  const name = task.table?.name || 'uploaded table';
  return pairDataset(
    `${name} (p = ${task.modulus})`,
    task.modulus,
    a,
    b,
    results,
    task,
    seed,
    withEqualsToken,
  );
}

function pairDataset(
  title: string,
  p: number,
  a: number[],
  b: number[],
  results: number[],
  task: TaskConfig,
  seed: number,
  withEqualsToken: boolean,
): Dataset {
  const count = results.length;
  // Validation refuses these (config.ts); a dataset that cannot be split must still never reach the trainer, where
  // it fails deep inside tfjs ("Pass at least one tensor to concat") and looks like a backend fault.
  if (count < MIN_EXAMPLES) {
    throw new TaskError(
      `${title}: only ${count} pair(s) have a result; a run needs at least ${MIN_EXAMPLES}`,
    );
  }
  const sequenceLength = withEqualsToken ? 3 : 2;
  const inputs = new Int32Array(count * sequenceLength);
  for (let i = 0; i < count; i++) {
    inputs[i * sequenceLength] = a[i];
    inputs[i * sequenceLength + 1] = b[i];
    if (withEqualsToken) inputs[i * sequenceLength + 2] = p;
  }
  const order = permutation(count, createRandom(deriveSeed(seed, 'split')));
  const tokenNames = Array.from({ length: p }, (_, i) => String(i));
  if (withEqualsToken) tokenNames.push('=');
  return {
    title,
    vocabSize: withEqualsToken ? p + 1 : p,
    sequenceLength,
    answerLength: 1,
    numClasses: p,
    inputs,
    targets: Int32Array.from(results),
    isTrain: splitByFraction(count, task.trainFraction, order),
    grid: { size: p, a: Int32Array.from(a), b: Int32Array.from(b) },
    tokenNames,
    operandVocabulary: p,
  };
}
