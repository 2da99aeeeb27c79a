import { PROGRESS_MEASURE_KEYS } from './metrics/progressMeasures';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, type Config, type DeepPartial } from './config';
import { initNodeBackend } from './node';
import { PRESETS } from './presets';
import { runTraining } from './run';
import { Trainer } from './trainer';

beforeAll(async () => {
  await initNodeBackend();
});

function config(patch: DeepPartial<Config>): Config {
  const result = resolveConfig(patch);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

const MEASURES = PROGRESS_MEASURE_KEYS;

describe('progress measures in evaluate()', () => {
  it('a real mlp run (a+b) mod 31 computes them at every evaluation, with numTensors flat', async () => {
    const trainer = new Trainer(
      config({ ...PRESETS.mlp.config, training: { maxSteps: 300, evalEvery: 50, stopAfterGrok: 0 } }),
    );
    const counts: number[] = [];
    await runTraining(trainer, {
      untilStep: 300,
      onEvaluation: () => void counts.push(tf.memory().numTensors),
    });
    expect(trainer.history).toHaveLength(7);
    for (const record of trainer.history) {
      expect(Object.keys(record.progress ?? {}).sort()).toEqual([...MEASURES].sort());
      for (const name of MEASURES) expect(Number.isFinite(record.progress![name as 'key0'])).toBe(true);
      const p = record.progress!;
      const keys = [p.key0, p.key1, p.key2, p.key3, p.key4];
      expect(new Set(keys).size).toBe(5);
      for (const key of keys) expect(key >= 1 && key <= 15).toBe(true);
      expect(p.testWaveShare).toBeGreaterThanOrEqual(0);
      expect(p.testWaveShare).toBeLessThanOrEqual(1 + 1e-9);
    }
    // At initialization the logits are near zero: the test waves' loss is close to ln 31.
    const first = trainer.history[0].progress!;
    expect(first.testWaveLoss).toBeCloseTo(Math.log(31), 1);
    // The last evaluation's logits are kept for the after-the-run analysis: the whole table, [p², p].
    expect(trainer.lastProgressLogits?.step).toBe(300);
    expect(trainer.lastProgressLogits?.logits).toHaveLength(31 ** 3);
    // Every evaluation leaves the same number of tensors behind (the first one included).
    expect(new Set(counts).size).toBe(1);
    trainer.dispose();
  });

  it('a transformer on a−b has them too; a*b, parity and addition do not', async () => {
    const transformer = new Trainer(
      config({
        task: { modulus: 7, operation: 'a-b' },
        model: { kind: 'transformer', dModel: 16, heads: 2, dMlp: 32 },
      }),
    );
    transformer.trainStep();
    const before = tf.memory().numTensors;
    const { record } = await transformer.evaluate();
    expect(tf.memory().numTensors).toBe(before);
    // p = 7 has 3 frequencies: the last two key slots say "none" (0).
    expect([record.progress?.key2, record.progress?.key3]).toEqual([expect.any(Number), 0]);
    expect(record.progress!.key2).toBeGreaterThan(0);
    transformer.dispose();

    for (const patch of [
      { task: { modulus: 7, operation: 'a*b' } },
      { task: { kind: 'parity', parityBits: 6, parityRelevant: 2, samples: 64 } },
      {
        task: { kind: 'addition', digits: 1, samples: 40 },
        model: { kind: 'transformer', dModel: 16, heads: 2, dMlp: 32 },
      },
    ] as DeepPartial<Config>[]) {
      const trainer = new Trainer(config({ model: { dModel: 16, heads: 2, dMlp: 32 }, ...patch }));
      expect((await trainer.evaluate()).record.progress).toBeUndefined();
      trainer.dispose();
    }
  });
});
