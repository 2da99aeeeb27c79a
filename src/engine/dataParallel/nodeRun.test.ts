/**
 * Data-parallel training on wasm in Node, for real: a leader and a follower worker_thread split every batch and
 * average gradients through the SharedArrayBuffer exchange. Against one trainer on the whole batch: the same
 * losses and weights within float tolerance (a sum of two half-batch means is the full mean up to rounding), the
 * follower in step, and the leader's tensor count flat.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeRecord } from '../testing/fakes';
import { deepMerge, resolveConfig, type Config, type DeepPartial } from '../config';
import { initNodeBackend } from '../node';
import { PRESETS } from '../presets';
import { Trainer } from '../trainer';
import { startDataParallel } from './nodeRun';

beforeAll(async () => {
  expect(await initNodeBackend('wasm')).toBe('wasm');
}, 60_000);

function config(patch: DeepPartial<Config>): Config {
  const result = resolveConfig(deepMerge(PRESETS.mlp.config, patch));
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

/** Trains `steps` steps, evaluating after each; the train losses and the final weights. */
async function train(trainer: Trainer, steps: number) {
  const losses: number[] = [];
  const tensors: number[] = [];
  for (let step = 0; step < steps; step++) {
    trainer.trainStep();
    losses.push((await trainer.evaluate()).record.trainLoss);
    tensors.push(tf.memory().numTensors);
  }
  return { losses, tensors, parameters: (await trainer.getState()).parameters };
}

function expectClose(actual: Record<string, Float32Array>, expected: Record<string, Float32Array>): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const [name, values] of Object.entries(expected)) {
    let worst = 0;
    values.forEach((value, i) => (worst = Math.max(worst, Math.abs(actual[name][i] - value))));
    expect(worst, name).toBeLessThan(1e-4);
  }
}

/** One worker on the whole batch vs two on half each, from one config; the leader's last train accuracy preset. */
async function compare(run: Config, steps: number, lastTrainAccuracy: number | null = null) {
  const remember = async (trainer: Trainer) => {
    if (lastTrainAccuracy === null) return;
    // Only the leader evaluates; a step's regularizers may switch on its last train accuracy (delayed Frobenius).
    const state = await trainer.getState();
    trainer.setState({ ...state, history: [{ ...fakeRecord(0, 1), trainAccuracy: lastTrainAccuracy }] });
  };
  const single = new Trainer(run);
  await remember(single);
  const alone = await train(single, steps);
  single.dispose();
  const parallel = await startDataParallel(run, { workers: 2, timeoutMs: 60_000 });
  await remember(parallel.trainer);
  const split = await train(parallel.trainer, steps);
  const followers = await parallel.close();
  return { alone, split, followers };
}

describe('data-parallel training (2 workers, wasm)', () => {
  it('full batch: the losses and weights of one worker, the follower in step, memory flat', async () => {
    const steps = 8;
    const { alone, split, followers } = await compare(config({}), steps);
    split.losses.forEach((loss, i) => expect(loss).toBeCloseTo(alone.losses[i], 4));
    expectClose(split.parameters, alone.parameters);
    expect(followers).toEqual([{ steps, numTensors: expect.any(Number) }]);
    expect(new Set(split.tensors.slice(1)).size).toBe(1);
  }, 120_000);

  it('odd minibatches, a batch-mean penalty and a step input only the leader has: the same run', async () => {
    // 101 rows per minibatch (51 + 50: the halves weighed by rows), the radial penalty (a mean over rows), and
    // delayed Frobenius, which switches on at the leader's last train accuracy (shared with the follower).
    const run = config({
      optimizer: { batchSize: 101 },
      regularizers: {
        radial: { enabled: true, lambda: 0.01 },
        frobenius: { enabled: true, lambda: 0.01, trigger: 'accuracy', threshold: 0.99 },
      },
    });
    const { alone, split } = await compare(run, 6, 1);
    split.losses.forEach((loss, i) => expect(loss).toBeCloseTo(alone.losses[i], 4));
    expectClose(split.parameters, alone.parameters);
  }, 120_000);

  it('refuses fewer than 2 workers', async () => {
    await expect(startDataParallel(config({}), { workers: 1 })).rejects.toThrow(/≥ 2 workers/);
  });
});
