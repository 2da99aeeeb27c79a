import type { TaskConfig } from '../config';
import { createRandom, deriveSeed, permutation } from '../random';
import { splitByFraction, type Dataset } from './dataset';

/**
 * Sparse parity: n random bits, the label is the XOR of k of them (which k is fixed by the seed). Grokking here
 * does not go through Fourier features on a circle, which makes it the standard control task.
 */
export function buildParityDataset(
  task: TaskConfig,
  seed: number,
  withEqualsToken: boolean,
): Dataset & { relevantBits: number[] } {
  const n = task.parityBits;
  const k = task.parityRelevant;
  const random = createRandom(deriveSeed(seed, 'parity'));
  const relevantBits = Array.from(permutation(n, random).slice(0, k)).sort((x, y) => x - y);
  const count = task.samples;
  const sequenceLength = withEqualsToken ? n + 1 : n;
  const inputs = new Int32Array(count * sequenceLength);
  const targets = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let parity = 0;
    for (let bit = 0; bit < n; bit++) {
      const value = random.next() < 0.5 ? 0 : 1;
      inputs[i * sequenceLength + bit] = value;
      if (relevantBits.includes(bit)) parity ^= value;
    }
    if (withEqualsToken) inputs[i * sequenceLength + n] = 2;
    targets[i] = parity;
  }
  const order = Int32Array.from({ length: count }, (_, i) => i);
  return {
    title: `sparse parity (${k} of ${n} bits)`,
    vocabSize: withEqualsToken ? 3 : 2,
    sequenceLength,
    answerLength: 1,
    numClasses: 2,
    inputs,
    targets,
    isTrain: splitByFraction(count, task.trainFraction, order),
    tokenNames: withEqualsToken ? ['0', '1', '='] : ['0', '1'],
    operandVocabulary: 2,
    relevantBits,
  };
}
