import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultParams } from './spec';
import { amplifySlow, filterGain, grokfast, grokfastEma, MovingWindow } from './grokfast';
import { initNodeBackend } from '../node';
import { Trainer } from '../trainer';
import { contextFor, mlpConfig, values } from './testSupport';

beforeAll(async () => {
  await initNodeBackend();
});

describe('Grokfast math', () => {
  it('EMA starts at the first gradient, then μ ← αμ + (1−α)g', async () => {
    const g1 = tf.tensor1d([2, -4]);
    const mu1 = grokfastEma(null, g1, 0.9);
    expect(await values(mu1)).toEqual([2, -4]);
    const mu2 = grokfastEma(mu1, tf.tensor1d([12, 6]), 0.9);
    expect(await values(mu2)).toEqual([
      expect.closeTo(0.9 * 2 + 0.1 * 12),
      expect.closeTo(0.9 * -4 + 0.1 * 6),
    ]);
    expect(await values(amplifySlow(tf.tensor1d([1, 1]), mu2, 2))).toEqual([
      expect.closeTo(1 + 2 * 3),
      expect.closeTo(1 + 2 * -3),
    ]);
  });

  it('moving window: no mean until full, then the mean of the last w (exact over many laps)', async () => {
    const window = new MovingWindow(3);
    const seen: number[] = [];
    for (let i = 1; i <= 20; i++) {
      const g = tf.tensor1d([i, i * i]);
      window.push(g);
      g.dispose();
      seen.push(i);
      const mean = window.mean();
      if (i < 3) {
        expect(mean).toBeNull();
        continue;
      }
      const last = seen.slice(-3);
      expect(await values(mean!)).toEqual([
        expect.closeTo(last.reduce((a, b) => a + b, 0) / 3, 4),
        expect.closeTo(last.reduce((a, b) => a + b * b, 0) / 3, 3),
      ]);
      mean!.dispose();
    }
    const before = tf.memory().numTensors;
    window.dispose();
    expect(tf.memory().numTensors).toBe(before - 4); // three slots and the running sum
  });

  it('filter gain is ‖filtered‖/‖raw‖ over all tensors, 0 for a zero gradient', async () => {
    const gain = filterGain([tf.tensor1d([3]), tf.tensor1d([4])], [tf.tensor1d([6]), tf.tensor1d([8])]);
    expect((await values(gain))[0]).toBeCloseTo(2);
    expect((await values(filterGain([tf.zeros([2])], [tf.zeros([2])])))[0]).toBe(0);
  });
});

describe('Grokfast instance', () => {
  const params = defaultParams(grokfast.params);

  it('EMA: the first step returns (1+λ)g, the next g + λμ; dispose resets the filter', async () => {
    const w = tf.zeros([2]);
    const context = contextFor({ w });
    const instance = grokfast.create();
    const step = async (g: number[]): Promise<number[]> => {
      const input = tf.tensor1d(g);
      const out = instance.transformGradients!({ w: input }, context, params);
      const result = await values(out.w);
      tf.dispose([input, out.w]);
      return result;
    };
    expect(await step([1, -2])).toEqual([3, -6]);
    // μ = 0.98·[1, −2] + 0.02·[3, 0] = [1.04, −1.96]; g + 2μ
    const second = await step([3, 0]);
    expect(second[0]).toBeCloseTo(3 + 2 * 1.04, 5);
    expect(second[1]).toBeCloseTo(2 * -1.96, 5);
    instance.dispose();
    expect(await step([1, -2])).toEqual([3, -6]);
    instance.dispose();
    w.dispose();
  });

  it('MA: leaves g alone until the window is full, then adds λ·mean; reports the fill', async () => {
    const w = tf.zeros([1]);
    const context = contextFor({ w });
    const instance = grokfast.create();
    const ma = { ...params, variant: 'ma' as const, window: 4, windowLambda: 5 };
    const outputs: number[] = [];
    for (let i = 1; i <= 6; i++) {
      const input = tf.tensor1d([i]);
      const out = instance.transformGradients!({ w: input }, context, ma);
      outputs.push((await values(out.w))[0]);
      tf.dispose([input, out.w]);
      if (i === 2) expect(instance.scalars().windowFill).toBe(0.5);
    }
    expect(outputs.slice(0, 3)).toEqual([1, 2, 3]);
    expect(outputs[3]).toBeCloseTo(4 + 5 * 2.5, 5); // mean(1..4)
    expect(outputs[5]).toBeCloseTo(6 + 5 * 4.5, 5); // mean(3..6)
    instance.dispose();
    w.dispose();
  });

  it('amplifies the slow component and leaves the fast one: constant drift + alternating noise', async () => {
    // g_t = s + (−1)^t·n with s ⊥ n. After the EMA has settled (α = 0.98: ~250 steps), the output's s-part is
    // (1+λ)·s while the n-part stays ≈ n (its EMA averages out to ~(1−α)/(1+α)·n).
    const w = tf.zeros([2]);
    const context = contextFor({ w });
    const instance = grokfast.create();
    let last: number[] = [];
    for (let t = 0; t < 400; t++) {
      const input = tf.tensor1d([1, t % 2 === 0 ? 10 : -10]);
      const out = instance.transformGradients!({ w: input }, context, params);
      last = await values(out.w);
      tf.dispose([input, out.w]);
    }
    expect(last[0]).toBeCloseTo(3, 2); // slow part ×(1+λ)
    expect(Math.abs(last[1])).toBeGreaterThan(9.5); // fast part barely touched
    expect(Math.abs(last[1])).toBeLessThan(10.5);
    instance.dispose();
    w.dispose();
  });

  it('switching variant or window drops the old state instead of leaking it', () => {
    const w = tf.zeros([3]);
    const context = contextFor({ w });
    const instance = grokfast.create();
    const run = (p: typeof params): void => {
      const input = tf.ones([3]);
      const out = instance.transformGradients!({ w: input }, context, p);
      tf.dispose([input, out.w]);
    };
    run(params);
    const withEma = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) run({ ...params, variant: 'ma', window: 3 });
    run(params);
    expect(tf.memory().numTensors).toBe(withEma);
    instance.dispose();
    w.dispose();
  });
});

describe('Grokfast in training', () => {
  // Measured (tfjs-wasm, mlp preset: p = 31, 70% train, AdamW wd 1, eval every 50), steps to 99% test for seeds 0/1/2:
  // plain 900 / 1 100 / 1 100, EMA (α 0.98, λ 2) 1 350 / 1 400 / 1 400, MA (w 100, λ 5) 2 100 / 2 350 / 2 150.
  // Weak decay (wd 0.1, seed 0): EMA 0% test at step 3 000 vs plain 11.8% at 2 000; no decay (seed 0): both 0% at
  // 3 000. Grokfast slowed or stalled every MLP run here (as in DESIGN §4b), so only its mechanism is asserted.
  it('runs on the mlp preset and amplifies the gradient while it is consistent (memorization)', async () => {
    const trainer = new Trainer(mlpConfig({ seed: 0, regularizers: { grokfast: { enabled: true } } }));
    for (let i = 0; i < 20; i++) trainer.trainStep();
    const { record } = await trainer.evaluate();
    // Early gradients point the same way step after step, so μ lines up with g: gain 1.65–1.80 (seeds 0–2).
    expect(record.regularizers.grokfast.gain).toBeGreaterThan(1.3);
    expect(Number.isFinite(record.trainLoss)).toBe(true);
    trainer.dispose();
  });
});
