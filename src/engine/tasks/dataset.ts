/**
 * Every task becomes the same shape: N examples of T input tokens, each with K answer tokens that the model
 * predicts at its last K positions. Modular arithmetic and parity have K = 1; multi-digit addition predicts
 * each answer digit next-token (teacher-forced), so exact match over the K digits equals greedy decoding.
 */
export interface Dataset {
  /** Human-readable, e.g. "(a+b) mod 97". */
  title: string;
  /** Number of distinct input tokens. */
  vocabSize: number;
  /** Tokens per example (T). */
  sequenceLength: number;
  /** Number of answer positions (K); they are the last K positions of the input sequence. */
  answerLength: number;
  /** Output classes per answer position. */
  numClasses: number;
  /** Row-major [N, T]. */
  inputs: Int32Array;
  /** Row-major [N, K]. */
  targets: Int32Array;
  /** 1 where the example is in the training split. */
  isTrain: Uint8Array;
  /** For p×p tables: the (a, b) cell of each example, to draw the prediction grid. */
  grid?: { size: number; a: Int32Array; b: Int32Array };
  /** Token → text, for display. */
  tokenNames: string[];
  /** Number of tokens at the start of a sequence that are operands (their embeddings are what grokking reshapes). */
  operandVocabulary: number;
}

/**
 * A task that cannot be trained on as configured (e.g. an operation defined for no pair): the same on every backend,
 * so it is the config's fault, never the backend's (backendChoice.ts isBackendFault).
 */
export class TaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskError';
  }
}

/** A train/test split needs at least one example on each side. */
export const MIN_EXAMPLES = 2;

export function splitIndices(dataset: Dataset): { train: Int32Array; test: Int32Array } {
  const train: number[] = [];
  const test: number[] = [];
  dataset.isTrain.forEach((flag, index) => (flag ? train : test).push(index));
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

/** Marks the first round(fraction·N) entries of a seeded permutation as training examples. */
export function splitByFraction(count: number, fraction: number, order: Int32Array): Uint8Array {
  const isTrain = new Uint8Array(count);
  const trainCount = Math.min(count - 1, Math.max(1, Math.round(fraction * count)));
  for (let i = 0; i < trainCount; i++) isTrain[order[i]] = 1;
  return isTrain;
}
