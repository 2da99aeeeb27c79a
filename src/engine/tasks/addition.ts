import type { TaskConfig } from '../config';
import { createRandom, deriveSeed } from '../random';
import { splitByFraction, type Dataset } from './dataset';

const PLUS = 10;
const EQUALS = 11;

/**
 * n-digit addition as character-level sequences: `123+456=0579` (operands zero-padded to n digits, the sum to
 * n+1). The input is the whole string but its last character; the answer digits are predicted next-token.
 * All 10^(2n) problems when that is at most `samples`, otherwise a seeded sample of distinct problems.
 */
export function buildAdditionDataset(task: TaskConfig, seed: number): Dataset {
  const n = task.digits;
  const limit = 10 ** n;
  const total = limit * limit;
  const random = createRandom(deriveSeed(seed, 'addition-problems'));
  const problems: number[] = [];
  if (total <= task.samples) {
    for (let i = 0; i < total; i++) problems.push(i);
  } else {
    const seen = new Set<number>();
    while (problems.length < task.samples) {
      const id = random.int(total);
      if (!seen.has(id)) {
        seen.add(id);
        problems.push(id);
      }
    }
  }
  // Shuffle (problems are already random when sampled; the full table needs it).
  for (let i = problems.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [problems[i], problems[j]] = [problems[j], problems[i]];
  }
  const answerLength = n + 1;
  const sequenceLength = 2 * n + 2 + answerLength - 1;
  const count = problems.length;
  const inputs = new Int32Array(count * sequenceLength);
  const targets = new Int32Array(count * answerLength);
  for (let i = 0; i < count; i++) {
    const x = Math.floor(problems[i] / limit);
    const y = problems[i] % limit;
    const answer = digitsOf(x + y, answerLength);
    const sequence = [...digitsOf(x, n), PLUS, ...digitsOf(y, n), EQUALS, ...answer.slice(0, -1)];
    inputs.set(sequence, i * sequenceLength);
    targets.set(answer, i * answerLength);
  }
  const order = Int32Array.from({ length: count }, (_, i) => i);
  return {
    title: `${n}-digit addition`,
    vocabSize: 12,
    sequenceLength,
    answerLength,
    numClasses: 10,
    inputs,
    targets,
    isTrain: splitByFraction(count, task.trainFraction, order),
    tokenNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '='],
    operandVocabulary: 10,
  };
}

export function digitsOf(value: number, width: number): number[] {
  const digits = new Array<number>(width).fill(0);
  let rest = value;
  for (let i = width - 1; i >= 0; i--) {
    digits[i] = rest % 10;
    rest = Math.floor(rest / 10);
  }
  return digits;
}
