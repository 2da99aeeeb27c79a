/**
 * The trainer's GradientReducer over a GradientExchange: flattens this shard's gradients (in the trainer's
 * parameter order, the same in every worker), all-reduces them and hands back the mean as tensors. Runs wherever
 * tfjs does (Node worker_threads, browser workers).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Config } from '../config';
import { parameterSize } from '../carriedState';
import { parameterShapes } from '../models/parameterShapes';
import type { GradientReducer } from '../trainer';
import type { GradientExchange } from './exchange';

/** Floats in one gradient of `config`'s model: the exchange's size. */
export function gradientSize(config: Pick<Config, 'task' | 'model'>): number {
  return parameterShapes(config).reduce((sum, info) => sum + parameterSize(info.shape), 0);
}

/** NaN carries "no evaluation yet" through the exchange's Float64 header. */
const NONE = Number.NaN;

export function exchangeReducer(exchange: GradientExchange): GradientReducer {
  const { size, workers } = exchange.layout;
  const flat = new Float32Array(size);
  const mean = new Float32Array(size);
  return {
    shard: { index: exchange.index, count: workers },
    agree(lastTrainAccuracy) {
      const [shared] = exchange.share([lastTrainAccuracy ?? NONE]);
      return Number.isNaN(shared) ? null : shared;
    },
    reduce(gradients, rows) {
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
