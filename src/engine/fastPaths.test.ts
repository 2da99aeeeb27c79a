/**
 * Every optimized path against the plain path it replaces: the same loss curve for a fixed seed, within float
 * tolerance (summation order differs, nothing else).
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig, type Config, type DeepPartial } from './config';
import { FAST_PATHS, KERNEL_TAX_PATHS, withFastPaths, type FastPath } from './fastPaths';
import { initNodeBackend } from './node';
import { crossEntropy } from './loss';
import { dense } from './ops';
import { AdamW } from './optimizer';
import { PRESETS } from './presets';
import type { MetricRecord } from './records';
import { Trainer } from './trainer';

beforeAll(async () => {
  await initNodeBackend();
});

const DEFAULTS = { ...FAST_PATHS };
afterEach(() => Object.assign(FAST_PATHS, DEFAULTS));

/** Trains `steps` steps, evaluating every `every`; returns the records. */
async function curve(
  config: DeepPartial<Config>,
  paths: Partial<Record<FastPath, boolean>>,
  steps: number,
  every: number,
): Promise<MetricRecord[]> {
  Object.assign(FAST_PATHS, paths);
  const resolved = resolveConfig(config);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
  const trainer = new Trainer(resolved.config);
  const records: MetricRecord[] = [];
  try {
    for (let step = 0; step < steps; step++) {
      if (step % every === 0) records.push((await trainer.evaluate()).record);
      trainer.trainStep();
    }
    records.push((await trainer.evaluate()).record);
    return records;
  } finally {
    trainer.dispose();
    Object.assign(FAST_PATHS, DEFAULTS);
  }
}

function expectSameCurve(actual: MetricRecord[], expected: MetricRecord[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((record, i) => {
    const reference = expected[i];
    for (const key of ['trainLoss', 'testLoss', 'weightNorm', 'gradientEntropy'] as const) {
      const scale = Math.max(1, Math.abs(reference[key]));
      expect(Math.abs(record[key] - reference[key]) / scale, `${key} at step ${record.step}`).toBeLessThan(
        tolerance,
      );
    }
    expect(Math.abs(record.trainAccuracy - reference.trainAccuracy)).toBeLessThanOrEqual(0.01);
    for (const [site, share] of Object.entries(reference.radialShare))
      expect(Math.abs(record.radialShare[site] - share), `radial share ${site}`).toBeLessThan(tolerance * 10);
  });
}

const PLAIN = {
  flatOptimizer: false,
  fusedDense: false,
  factoredEmbedding: false,
  sharedCopies: false,
  fusedCrossEntropy: false,
  sparseOneHot: false,
  fusedAdamWasm: false,
  simdKernels: false,
  fusedRadial: false,
} as const;
/** Issue 23's switches (the kernel tax): "before" is the lab with these off and the earlier ones on. */
const KERNEL_TAX_OFF = Object.fromEntries(KERNEL_TAX_PATHS.map((name) => [name, false]));

/** The mlp preset, shortened (the full preset takes ~1 000 steps to grok). */
const MLP: DeepPartial<Config> = PRESETS.mlp.config;
const SMALL_TRANSFORMER: DeepPartial<Config> = {
  task: { modulus: 13, trainFraction: 0.5 },
  model: { kind: 'transformer', layers: 2, dModel: 16, heads: 2, dMlp: 32, layerNorm: true },
  optimizer: { warmupSteps: 5 },
  regularizers: { weightDecay: { enabled: true, coefficient: 1 } },
};

describe('fast paths give the plain path’s loss curve', () => {
  it('mlp preset, 60 steps: every fast path vs per-parameter AdamW + separate ops', async () => {
    const plain = await curve(MLP, PLAIN, 60, 20);
    const fast = await curve(MLP, {}, 60, 20);
    expectSameCurve(fast, plain, 2e-3);
    // Not trivially equal: the run moved.
    expect(plain.at(-1)!.trainLoss).toBeLessThan(plain[0].trainLoss * 0.5);
  });

  it('each switch alone on the mlp preset', async () => {
    const plain = await curve(MLP, PLAIN, 30, 15);
    expectSameCurve(await curve(MLP, { ...PLAIN, flatOptimizer: true }, 30, 15), plain, 2e-3);
    expectSameCurve(await curve(MLP, { ...PLAIN, fusedDense: true }, 30, 15), plain, 2e-3);
    expectSameCurve(await curve(MLP, { ...PLAIN, factoredEmbedding: true }, 30, 15), plain, 2e-3);
    expectSameCurve(await curve(MLP, { ...PLAIN, sharedCopies: true }, 30, 15), plain, 2e-3);
    // The lab's own kernels as JavaScript passes and as WebAssembly SIMD (with SIMD the factored MLP's two-hot
    // first layer is a one-hot product too).
    for (const simdKernels of [false, true]) {
      expectSameCurve(
        await curve(MLP, { ...PLAIN, fusedCrossEntropy: true, simdKernels }, 30, 15),
        plain,
        2e-3,
      );
      expectSameCurve(
        await curve(MLP, { ...PLAIN, factoredEmbedding: true, sparseOneHot: true, simdKernels }, 30, 15),
        plain,
        2e-3,
      );
      expectSameCurve(
        await curve(MLP, { ...PLAIN, flatOptimizer: true, fusedAdamWasm: true, simdKernels }, 30, 15),
        plain,
        2e-3,
      );
    }
    const radialMlp: DeepPartial<Config> = {
      ...MLP,
      regularizers: {
        weightDecay: { enabled: true, coefficient: 0.1 },
        radial: { enabled: true, lambda: 0.03 },
      },
    };
    expectSameCurve(
      await curve(radialMlp, { ...PLAIN, simdKernels: true, fusedRadial: true }, 30, 15),
      await curve(radialMlp, PLAIN, 30, 15),
      2e-3,
    );
  });

  it('the kernel-tax switches on the mlp preset (40 steps) and the fast transformer (12), from the lab before them', async () => {
    // The fast transformer trains at lr 0.01 without warm-up: Adam turns rounding-level differences in tiny
    // gradient coordinates into lr-sized steps, so its curves part (≈ 1% by step 20) whatever computes the
    // gradient; 12 steps still check the whole step, and the 2-block transformer above runs 40.
    for (const [preset, steps] of [
      [MLP, 40],
      [PRESETS.fastTransformer.config, 12],
    ] as const) {
      const before = await curve(preset, KERNEL_TAX_OFF, steps, steps / 2);
      const after = await curve(preset, {}, steps, steps / 2);
      expectSameCurve(after, before, 2e-3);
      expect(before.at(-1)!.trainLoss).toBeLessThan(before[0].trainLoss * 0.95);
    }
  });

  it('every fast path keeps tf.memory().numTensors flat over training steps (mlp and fast transformer)', () => {
    for (const preset of [MLP, PRESETS.fastTransformer.config]) {
      const resolved = resolveConfig(preset);
      if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
      const trainer = new Trainer(resolved.config);
      try {
        trainer.trainStep();
        const tensors = tf.memory().numTensors;
        const buffers = tf.memory().numDataBuffers;
        for (let i = 0; i < 5; i++) trainer.trainStep();
        expect(tf.memory().numTensors).toBe(tensors);
        expect(tf.memory().numDataBuffers).toBe(buffers);
      } finally {
        trainer.dispose();
      }
    }
  });

  it('transformer (2 blocks, LayerNorm, warm-up, weight decay), 40 steps', async () => {
    const plain = await curve(SMALL_TRANSFORMER, PLAIN, 40, 20);
    const fast = await curve(SMALL_TRANSFORMER, {}, 40, 20);
    expectSameCurve(fast, plain, 2e-3);
  });

  it('radial penalty on the embedding site too (the factored layer must not cut its gradient), 2 hidden layers, GELU', async () => {
    const config: DeepPartial<Config> = {
      ...MLP,
      model: { kind: 'mlp', embedDim: 16, hiddenWidth: 32, hiddenLayers: 2, activation: 'gelu' },
      regularizers: { radial: { enabled: true, lambda: 0.05, sites: 'all' } },
    };
    const plain = await curve(config, PLAIN, 30, 15);
    const fast = await curve(config, {}, 30, 15);
    expectSameCurve(fast, plain, 2e-3);
  });

  it('NeuralGrok (its amplifier uses dense and its own AdamW), 20 steps', async () => {
    const config: DeepPartial<Config> = {
      ...MLP,
      regularizers: { weightDecay: { enabled: true, coefficient: 0.1 }, neuralGrok: { enabled: true } },
    };
    const plain = await curve(config, PLAIN, 20, 10);
    const fast = await curve(config, {}, 20, 10);
    expectSameCurve(fast, plain, 5e-3);
  });
});

describe('fused dense', () => {
  it('gives tf.matMul + bias (+ ReLU)’s value and gradients, leading axes flattened', () => {
    const x = tf.randomNormal([2, 5, 6], 0, 1, 'float32', 1);
    const w = tf.randomNormal([6, 4], 0, 1, 'float32', 2);
    const b = tf.randomNormal([4], 0, 1, 'float32', 3);
    for (const activation of [undefined, 'relu', 'tanh'] as const) {
      const loss = (fused: boolean) => (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
        withFastPaths({ fusedDense: fused }, () => tf.sum(tf.square(dense(xi, wi, bi, activation))));
      const value = (fused: boolean) =>
        withFastPaths({ fusedDense: fused }, () => dense(x, w, b, activation)).dataSync();
      const expected = value(false);
      value(true).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
      const plainGrads = tf.grads(loss(false))([x, w, b]);
      const fusedGrads = tf.grads(loss(true))([x, w, b]);
      plainGrads.forEach((g, i) => {
        expect(fusedGrads[i].shape).toEqual(g.shape);
        const reference = g.dataSync();
        fusedGrads[i].dataSync().forEach((v, j) => expect(v).toBeCloseTo(reference[j], 3));
      });
    }
  });
});

describe('fused cross-entropy', () => {
  for (const simdKernels of [false, true])
    it(`gives the plain loss and gradient with respect to the logits, int32 or float32 targets (${simdKernels ? 'WebAssembly SIMD' : 'tfjs ops'})`, () => {
      // Rank 3 as the models give them; 5 classes: four SIMD lanes and a tail of one; logits far apart (±60, where
      // a naive exp overflows float32 and the smallest probabilities underflow).
      const logits = tf.concat([
        tf.randomNormal([6, 1, 5], 0, 3, 'float32', 11),
        tf.tensor3d([[[60, -60, 0, 1, -1]]]),
      ]);
      for (const dtype of ['int32', 'float32'] as const) {
        const targets = tf
          .oneHot(tf.tensor2d([[0], [4], [2], [2], [1], [3], [1]], [7, 1], 'int32'), 5)
          .asType(dtype);
        const run = (fused: boolean) =>
          withFastPaths({ fusedCrossEntropy: fused, simdKernels }, () => {
            const { value, grads } = tf.valueAndGrads((x: tf.Tensor) => crossEntropy(x, targets))([logits]);
            return { loss: value.dataSync()[0], gradient: Array.from(grads[0].dataSync()) };
          });
        const plain = run(false);
        const fused = run(true);
        expect(fused.loss).toBeGreaterThan(10);
        expect(fused.loss).toBeCloseTo(plain.loss, 4);
        fused.gradient.forEach((g, i) => expect(g).toBeCloseTo(plain.gradient[i], 6));
      }
    });

  it('a NaN logit makes the loss NaN (divergence stays visible), SIMD or not', () => {
    const logits = tf.tensor2d([
      [1, NaN, 0],
      [0, 1, 2],
    ]);
    const targets = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3);
    for (const simdKernels of [false, true])
      expect(withFastPaths({ simdKernels }, () => crossEntropy(logits, targets).dataSync()[0])).toBeNaN();
  });
});

describe('flat AdamW', () => {
  const make = () => ({
    a: tf.variable(tf.tensor2d([1, -2, 3, 0.5], [2, 2])),
    b: tf.variable(tf.tensor1d([0.1, -0.3, 2])),
  });
  const config = { ...DEFAULT_CONFIG.optimizer, lr: 0.01, beta2: 0.98, warmupSteps: 3 };
  const run = (paths: Partial<Record<FastPath, boolean>>) => {
    Object.assign(FAST_PATHS, paths);
    const parameters = make();
    const optimizer = new AdamW(parameters);
    for (let step = 0; step < 6; step++) {
      const gradients = {
        a: tf.mul(parameters.a, step + 1),
        b: tf.sub(parameters.b, tf.scalar(step * 0.1)),
      };
      optimizer.apply(gradients, config, 0.5);
      tf.dispose(Object.values(gradients));
    }
    const values = [...parameters.a.dataSync(), ...parameters.b.dataSync()];
    optimizer.dispose();
    tf.dispose(Object.values(parameters));
    return values;
  };

  it('matches the per-parameter update over several steps, with decay and warm-up', () => {
    const plain = run({ flatOptimizer: false });
    const flat = run({ flatOptimizer: true });
    flat.forEach((v, i) => expect(v).toBeCloseTo(plain[i], 5));
  });

  for (const simdKernels of [false, true])
    it(`fused into one wasm kernel (${simdKernels ? 'WebAssembly SIMD' : 'JavaScript'}), matches the flat update of separate kernels`, () => {
      expect(tf.getBackend()).toBe('wasm');
      const separate = run({ flatOptimizer: true, fusedAdamWasm: false });
      // 7 coordinates: the SIMD loop takes four, its scalar tail three.
      const fused = run({ flatOptimizer: true, fusedAdamWasm: true, simdKernels });
      fused.forEach((v, i) => expect(v).toBeCloseTo(separate[i], 6));
      // Not trivially equal: the parameters moved from their initial values.
      expect(Math.abs(fused[0] - 1)).toBeGreaterThan(1e-3);
    });

  it('the fused wasm update leaves no tensor behind', () => {
    Object.assign(FAST_PATHS, { flatOptimizer: true, fusedAdamWasm: true });
    const parameters = make();
    const optimizer = new AdamW(parameters);
    const before = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) {
      const gradients = { a: tf.onesLike(parameters.a), b: tf.onesLike(parameters.b) };
      optimizer.apply(gradients, config, 0.5);
      tf.dispose(Object.values(gradients));
    }
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    tf.dispose(Object.values(parameters));
  });

  it('ignores the fused WebGPU switch on other backends (e2e/fusedAdam.spec.ts tests it on WebGPU)', () => {
    expect(tf.getBackend()).not.toBe('webgpu');
    const flat = run({ flatOptimizer: true, fusedAdamWebGpu: false });
    expect(run({ flatOptimizer: true, fusedAdamWebGpu: true })).toEqual(flat);
  });
});
