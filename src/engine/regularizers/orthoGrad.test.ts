import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../node';
import { createRandom } from '../random';
import { runTraining } from '../run';
import { Trainer } from '../trainer';
import { orthoGrad, orthogonalize, radialGradientShare } from './orthoGrad';
import { defaultParams } from './spec';
import { contextFor, mlpConfig, values } from './testSupport';

beforeAll(async () => {
  await initNodeBackend();
});

const dot = (a: number[], b: number[]): number => a.reduce((sum, x, i) => sum + x * b[i], 0);

describe('⊥Grad math', () => {
  it('removes the component along w and restores ‖g‖: w = (1, 0), g = (1, 1) → (0, √2)', async () => {
    const result = await values(orthogonalize(tf.tensor1d([1, 0]), tf.tensor1d([1, 1])));
    expect(result[0]).toBeCloseTo(0, 6);
    expect(result[1]).toBeCloseTo(Math.SQRT2, 6);
  });

  it('w·g⊥ ≈ 0 and ‖g⊥‖ = ‖g‖ for random matrices', async () => {
    const random = createRandom(7);
    const draw = (): number[] => Array.from({ length: 60 }, () => random.normal());
    for (let trial = 0; trial < 5; trial++) {
      const [w, g] = [draw(), draw()];
      const result = await values(orthogonalize(tf.tensor2d(w, [6, 10]), tf.tensor2d(g, [6, 10])));
      const scale = Math.sqrt(dot(w, w) * dot(result, result));
      expect(Math.abs(dot(w, result)) / scale).toBeLessThan(1e-5);
      expect(Math.sqrt(dot(result, result))).toBeCloseTo(Math.sqrt(dot(g, g)), 4);
    }
  });

  it('guards: w = 0 leaves g unchanged; g ∥ w gives 0, not NaN', async () => {
    expect(await values(orthogonalize(tf.zeros([3]), tf.tensor1d([1, 2, 3])))).toEqual([1, 2, 3]);
    expect(await values(orthogonalize(tf.tensor1d([1, 2, 3]), tf.tensor1d([2, 4, 6])))).toEqual([0, 0, 0]);
  });

  it('radial share is Σ(w·g)²/‖w‖² / Σ‖g‖²', async () => {
    // (1,0)·(1,1) = 1 → 1 of ‖g‖² = 2; second pair fully radial: 4 of 4. Share (1 + 4) / (2 + 4).
    const share = radialGradientShare(
      [tf.tensor1d([1, 0]), tf.tensor1d([0, 3])],
      [tf.tensor1d([1, 1]), tf.tensor1d([0, 2])],
    );
    expect((await values(share))[0]).toBeCloseTo(5 / 6, 6);
  });

  it('the instance projects every tensor (or only the weights) and leaves the rest as they were', async () => {
    const w = tf.tensor2d([[1, 0]]);
    const bias = tf.tensor1d([0, 1]);
    const context = contextFor({ w, bias }, { bias: 'bias' });
    const instance = orthoGrad.create();
    const gradients = { w: tf.tensor2d([[1, 1]]), bias: tf.tensor1d([1, 1]) };
    const all = instance.transformGradients!(gradients, context, defaultParams(orthoGrad.params));
    expect(await values(all.bias)).toEqual([expect.closeTo(Math.SQRT2, 6), expect.closeTo(0, 6)]);
    const weights = instance.transformGradients!(gradients, context, { groups: 'weights' });
    expect(weights.bias).toBe(gradients.bias);
    expect((await values(weights.w))[0]).toBeCloseTo(0, 6);
    tf.dispose([all.w, all.bias, weights.w, ...Object.values(gradients), w, bias]);
    instance.dispose();
  });
});

describe('⊥Grad in training', () => {
  // Measured (tfjs-wasm, mlp preset with weight decay off): steps to 99% test 200 / 200 / 200 for seeds 0 / 1 / 2;
  // plain training without decay is at 0–0.7% test accuracy through step 3 000 (seed 0). With the preset's
  // AdamW wd 1, ⊥Grad removes the very gradient component that balances the decay: the norm falls 45 → 3 by
  // step 1 000 and train accuracy to 7% (seed 0), so it is paired with decay off here.
  it('groks within 400 steps with weight decay off, without the weights growing', async () => {
    const trainer = new Trainer(
      mlpConfig({
        seed: 0,
        regularizers: { weightDecay: { enabled: false }, orthoGrad: { enabled: true } },
        training: { evalEvery: 50, stopAfterGrok: 1 },
      }),
    );
    const summary = await runTraining(trainer, { untilStep: 400 });
    expect(summary.stepsToGrok).not.toBeNull();
    const last = trainer.history.at(-1)!;
    expect(last.trainAccuracy).toBe(1);
    expect(last.regularizers.orthoGrad.radialShare).toBeGreaterThan(0.5);
    expect(last.weightNorm).toBeLessThan(trainer.initialWeightNorm * 1.1);
    trainer.dispose();
  }, 120_000);
});
