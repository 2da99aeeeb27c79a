/**
 * Data-parallel training as the trainer's GradientHook over a GradientExchange: several trainers, one per worker,
 * built from one config, each computing the gradient on its shard of every batch (shard.ts). The hook flattens this
 * shard's gradients (in the trainer's parameter order, the same in every worker), all-reduces them and hands back
 * the row-weighted mean as tensors; everything after it (gradient transforms, decay, the optimizer) runs on the mean
 * in every worker alike, so their weights stay identical. Runs wherever tfjs does (Node worker_threads, browser
 * workers).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Config } from '../config';
import { parameterSize } from '../carriedState';
import { parameterShapes } from '../models/parameterShapes';
import type { GradientHook } from '../trainer';
import type { GradientExchange } from './exchange';
import { shardRange } from './shard';

/** Floats in one gradient of `config`'s model: the exchange's size. */
export function gradientSize(config: Pick<Config, 'task' | 'model'>): number {
  return parameterShapes(config).reduce((sum, info) => sum + parameterSize(info.shape), 0);
}

/** NaN carries "no evaluation yet" through the exchange's Float64 header. */
const NONE = Number.NaN;

export function exchangeHook(exchange: GradientExchange): GradientHook {
  const { size, workers } = exchange.layout;
  const shard = { index: exchange.index, count: workers };
  const flat = new Float32Array(size);
  const mean = new Float32Array(size);
  return {
    /** This shard's contiguous part of the batch; every shard draws the same batch. */
    selectRows(rows) {
      const { start, end } = shardRange(rows.length, shard);
      return rows.slice(start, end);
    },
    /**
     * The leader's (shard 0's) last training accuracy, for every shard: only the leader evaluates, and regularizers
     * such as delayed Frobenius switch on it. Blocks until every shard has arrived.
     */
    lastTrainAccuracy(own) {
      const [shared] = exchange.share([own ?? NONE]);
      return Number.isNaN(shared) ? null : shared;
    },
    /** Blocks until every shard has given its own. */
    transform(gradients, rows) {
      const names = Object.keys(gradients);
      let offset = 0;
      for (const name of names) {
        const values = gradients[name].dataSync();
        if (offset + values.length > size)
          throw new Error(`gradients hold more than the exchange's ${size} floats (a different model?)`);
        flat.set(values, offset);
        offset += values.length;
      }
      if (offset !== size) throw new Error(`gradients hold ${offset} floats; the exchange carries ${size}`);
      exchange.allReduce(flat, rows, mean);
      offset = 0;
      const reduced: tf.NamedTensorMap = {};
      for (const name of names) {
        const { shape, size: count } = gradients[name];
        // A copy: the cpu backend keeps the array it is given, and `mean` is rewritten next step.
        reduced[name] = tf.tensor(mean.slice(offset, offset + count), shape, 'float32');
        offset += count;
      }
      return reduced;
    },
  };
}
