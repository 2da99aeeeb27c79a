import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../node';
import type { Dataset } from '../tasks/dataset';
import { Batches, HELD_OUT_FRACTION, type Batch } from './batches';

beforeAll(async () => {
  await initNodeBackend();
});

/** N one-token examples whose token is their row index (so a batch's rows can be read back); K answers each. */
function indexDataset(count: number, answerLength = 1, testEvery = 4): Dataset {
  return {
    title: 'rows',
    vocabSize: count,
    sequenceLength: 1,
    answerLength,
    numClasses: 5,
    inputs: Int32Array.from({ length: count }, (_, i) => i),
    targets: Int32Array.from({ length: count * answerLength }, (_, i) => i % 5),
    isTrain: Uint8Array.from({ length: count }, (_, i) => (i % testEvery === 0 ? 0 : 1)),
    tokenNames: [],
    operandVocabulary: count,
  };
}

/** The values of `make()`'s tensor, which is freed. */
function read(make: () => tf.Tensor): number[] {
  const tensor = make();
  const values = Array.from(tensor.dataSync());
  tensor.dispose();
  return values;
}
const rowsOf = (batch: Batch): number[] => read(() => tf.argMax(batch.oneHot, 2));
const classesOf = (batch: Batch): number[] => read(() => tf.argMax(batch.targets, 1));
const trainingRows = (dataset: Dataset): number[] =>
  Array.from(dataset.isTrain.keys()).filter((i) => dataset.isTrain[i] === 1);

function draw(batches: Batches, size: number): { rows: number[]; count: number } {
  const { batch, owned, rows } = batches.next(size);
  const result = { rows: rowsOf(batch), count: rows };
  if (owned) tf.dispose([batch.oneHot, batch.targets]);
  return { rows: result.rows, count: result.count };
}

describe('Batches', () => {
  it('a batch size of 0 or at least the split is the whole training split, kept across steps', () => {
    const dataset = indexDataset(40);
    const batches = new Batches(dataset, 1);
    batches.split(false);
    for (const size of [0, 30, 31]) {
      const { batch, owned, rows } = batches.next(size);
      expect(owned).toBe(false);
      expect(batch).toBe(batches.training);
      expect(rows).toBe(30);
      expect(rowsOf(batch)).toEqual(trainingRows(dataset));
    }
    expect(batches.epoch).toBe(0);
    batches.dispose();
  });

  it('minibatches: each epoch is a seeded shuffle of the training rows, drawn without repeats', () => {
    const dataset = indexDataset(40);
    const epochs = (seed: number): number[][] => {
      const batches = new Batches(dataset, seed);
      batches.split(false);
      // 30 rows in batches of 7: four per epoch, the last 2 rows of each shuffle unused.
      const drawn = Array.from({ length: 8 }, () => draw(batches, 7).rows);
      expect(batches.epoch).toBe(2);
      batches.dispose();
      return [drawn.slice(0, 4).flat(), drawn.slice(4).flat()];
    };
    const [first, second] = epochs(1);
    for (const epoch of [first, second]) {
      expect(epoch).toHaveLength(28);
      expect(new Set(epoch).size).toBe(28);
      for (const row of epoch) expect(dataset.isTrain[row]).toBe(1);
    }
    expect(second).not.toEqual(first);
    expect(epochs(1)).toEqual([first, second]);
    expect(epochs(2)[0]).not.toEqual(first);
  });

  it('a restored epoch count draws the shuffle a run at that epoch would draw next', () => {
    const dataset = indexDataset(40);
    const restored = new Batches(dataset, 3);
    restored.split(false);
    restored.epoch = 1;
    const expected = new Batches(dataset, 3);
    expected.split(false);
    for (let i = 0; i < 3; i++) draw(expected, 10);
    // 30 rows in batches of 10: `expected` has used up shuffle 0, and its next batch opens shuffle 1.
    expect(draw(restored, 10).rows).toEqual(draw(expected, 10).rows);
    expect(restored.epoch).toBe(2);
    for (const batches of [restored, expected]) batches.dispose();
  });

  it('holding out carves a seeded slice of the training split, and gives it back when switched off', () => {
    const dataset = indexDataset(400);
    const batches = new Batches(dataset, 5);
    batches.split(true);
    const heldOut = rowsOf(batches.heldOut!);
    expect(heldOut).toHaveLength(Math.round(300 * HELD_OUT_FRACTION));
    expect(batches.trainingRowCount).toBe(300 - heldOut.length);
    const training = rowsOf(batches.training);
    expect(training.filter((row) => heldOut.includes(row))).toEqual([]);
    expect([...training, ...heldOut].sort((a, b) => a - b)).toEqual(trainingRows(dataset));
    batches.split(false);
    expect(batches.heldOut).toBeNull();
    expect(batches.trainingRowCount).toBe(300);
    batches.dispose();
  });

  it('a row selection trains on its rows of every batch, full or mini; the whole split stays for the probes', () => {
    const dataset = indexDataset(40);
    const firstHalf = (rows: Int32Array) => rows.slice(0, Math.ceil(rows.length / 2));
    const selected = new Batches(dataset, 1, firstHalf);
    const whole = new Batches(dataset, 1);
    for (const batches of [selected, whole]) batches.split(false);
    expect(draw(selected, 0)).toEqual({ rows: trainingRows(dataset).slice(0, 15), count: 15 });
    expect(rowsOf(selected.training)).toEqual(trainingRows(dataset));
    for (let i = 0; i < 5; i++) {
      const all = draw(whole, 9).rows;
      expect(draw(selected, 9)).toEqual({ rows: all.slice(0, 5), count: 5 });
    }
    selected.dispose();
    whole.dispose();
  });

  it('K answers per example: a batch carries each row’s K target rows, in order', () => {
    const dataset = indexDataset(20, 3);
    const batches = new Batches(dataset, 2);
    batches.split(false);
    const { batch, rows } = batches.next(4);
    const drawn = rowsOf(batch);
    expect(rows).toBe(4);
    expect(classesOf(batch)).toEqual(drawn.flatMap((row) => [0, 1, 2].map((j) => (row * 3 + j) % 5)));
    tf.dispose([batch.oneHot, batch.targets]);
    batches.dispose();
  });

  it('frees every tensor it made on dispose, after splits and minibatches', () => {
    const before = tf.memory().numTensors;
    const batches = new Batches(indexDataset(400, 2), 1, (rows) => rows.slice(1));
    batches.split(true);
    draw(batches, 50);
    batches.split(false);
    draw(batches, 0);
    batches.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
