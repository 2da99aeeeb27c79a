/**
 * The run's examples as tensors and the batches a step trains on: the training split (less NeuralGrok's held-out
 * slice while that is on), as one full batch or as minibatches of a seeded per-epoch shuffle. Owns, and frees,
 * every tensor it makes; the caller frees a minibatch it was handed (`owned`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRandom, deriveSeed, permutation } from '../random';
import { splitIndices, type Dataset } from '../tasks/dataset';

/** NeuralGrok's outer batch: this fraction of the training split, carved out while it is on. */
export const HELD_OUT_FRACTION = 1 / 50;

export interface Batch {
  /** [rows, sequence, vocabulary] */
  oneHot: tf.Tensor;
  /** [rows · answer length, classes] */
  targets: tf.Tensor;
}

/** Which of a batch's rows (indices into the dataset) this trainer computes its gradient on. */
export type RowSelection = (rows: Int32Array) => Int32Array;

export interface StepBatch {
  batch: Batch;
  /** The caller disposes the batch after the step. */
  owned: boolean;
  /** Rows in `batch`. */
  rows: number;
}

export class Batches {
  /** Every example in dataset order: what an evaluation measures. */
  readonly examples: Batch;
  private trainRows: Int32Array = new Int32Array(0);
  private full: Batch | null = null;
  /** The selected rows of the full batch, when a selection is given (`full` stays whole for the probes). */
  private selectedFull: Batch | null = null;
  private selectedFullRows = 0;
  private outer: Batch | null = null;
  private order: Int32Array = new Int32Array(0);
  private cursor = 0;
  /** Shuffles drawn so far; the next one is seeded with it, so a restored run draws the batches it would have. */
  epoch = 0;

  constructor(
    private readonly dataset: Dataset,
    private readonly seed: number,
    private readonly selectRows: RowSelection | null = null,
  ) {
    const count = dataset.isTrain.length;
    this.examples = {
      oneHot: tf.tidy(() =>
        tf.oneHot(tf.tensor2d(dataset.inputs, [count, dataset.sequenceLength], 'int32'), dataset.vocabSize),
      ),
      targets: tf.tidy(() => tf.oneHot(tf.tensor1d(dataset.targets, 'int32'), dataset.numClasses)),
    };
  }

  /** Rows of the training split the optimizer sees. */
  get trainingRowCount(): number {
    return this.trainRows.length;
  }

  /** The whole training split the optimizer sees (in split order). */
  get training(): Batch {
    return this.full!;
  }

  /** NeuralGrok's held-out slice, or null while nothing holds one out. */
  get heldOut(): Batch | null {
    return this.outer;
  }

  /**
   * Splits the training rows into the optimizer's and (with `holdOut`) a seeded held-out slice of HELD_OUT_FRACTION,
   * and starts a new shuffle. Called at construction and whenever holding out switches on or off.
   */
  split(holdOut: boolean): void {
    const { train } = splitIndices(this.dataset);
    const order = permutation(train.length, createRandom(deriveSeed(this.seed, 'held-out')));
    const outerCount = holdOut ? Math.max(1, Math.round(train.length * HELD_OUT_FRACTION)) : 0;
    const outer = new Set(Array.from(order.slice(0, outerCount), (i) => train[i]));
    this.trainRows = train.filter((row) => !outer.has(row));
    const outerRows = train.filter((row) => outer.has(row));
    this.disposeSplit();
    this.full = this.gather(this.trainRows);
    if (this.selectRows) {
      const rows = this.selectRows(this.trainRows);
      this.selectedFull = this.gather(rows);
      this.selectedFullRows = rows.length;
    }
    this.outer = outerRows.length > 0 ? this.gather(outerRows) : null;
    this.order = new Int32Array(0);
    this.cursor = 0;
  }

  /**
   * The step's batch: the full training split when `batchSize` is 0 or covers it, else the next `batchSize` rows
   * of this epoch's shuffle (a new shuffle when too few are left). With a selection, only its rows of either.
   */
  next(batchSize: number): StepBatch {
    const size = batchSize <= 0 || batchSize >= this.trainRows.length ? 0 : batchSize;
    if (size === 0) {
      if (this.selectedFull) return { batch: this.selectedFull, owned: false, rows: this.selectedFullRows };
      return { batch: this.full!, owned: false, rows: this.trainRows.length };
    }
    if (this.cursor + size > this.order.length) {
      this.order = permutation(
        this.trainRows.length,
        createRandom(deriveSeed(this.seed, `batches-${this.epoch}`)),
      );
      this.epoch++;
      this.cursor = 0;
    }
    const drawn = Int32Array.from(
      this.order.slice(this.cursor, this.cursor + size),
      (i) => this.trainRows[i],
    );
    const rows = this.selectRows ? this.selectRows(drawn) : drawn;
    this.cursor += size;
    return { batch: this.gather(rows), owned: true, rows: rows.length };
  }

  dispose(): void {
    tf.dispose([this.examples.oneHot, this.examples.targets]);
    this.disposeSplit();
  }

  private disposeSplit(): void {
    for (const batch of [this.full, this.selectedFull, this.outer]) {
      if (batch) tf.dispose([batch.oneHot, batch.targets]);
    }
    this.full = this.selectedFull = this.outer = null;
  }

  private gather(rows: Int32Array): Batch {
    return tf.tidy(() => {
      const index = tf.tensor1d(rows, 'int32');
      return {
        oneHot: tf.keep(tf.gather(this.examples.oneHot, index)),
        targets: tf.keep(this.targetsOf(index)),
      };
    });
  }

  /** One-hot targets [rows · K, C] of examples (K answer positions each, consecutive in `examples.targets`). */
  private targetsOf(index: tf.Tensor1D): tf.Tensor {
    const k = this.dataset.answerLength;
    if (k === 1) return tf.gather(this.examples.targets, index);
    const expanded = tf.add(
      tf.mul(tf.expandDims(index, 1), tf.scalar(k, 'int32')),
      tf.range(0, k, 1, 'int32'),
    );
    return tf.gather(this.examples.targets, tf.reshape(expanded, [-1]));
  }
}
