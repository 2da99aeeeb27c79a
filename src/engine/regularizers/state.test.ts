/**
 * Regularizer state in snapshots: a trainer restored from another's getState() continues bit for bit, including
 * Grokfast's filters (EMA μ, the MA window) and NeuralGrok's amplifier φ with its Adam moments.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, type Config, type DeepPartial } from '../config';
import { initNodeBackend } from '../node';
import { Trainer } from '../trainer';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

function tiny(regularizers: DeepPartial<Config>['regularizers']): Config {
  const result = resolveConfig({
    task: { modulus: 11, trainFraction: 0.5 },
    model: { kind: 'mlp', embedDim: 8, hiddenWidth: 16 },
    optimizer: { lr: 3e-3, warmupSteps: 0 },
    regularizers,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

async function parameters(trainer: Trainer): Promise<Record<string, number[]>> {
  const state = await trainer.getState();
  return Object.fromEntries(
    Object.entries(state.parameters).map(([name, values]) => [name, Array.from(values)]),
  );
}

/** Trains `before` steps, copies the state into a fresh trainer, then trains both `after` more steps. */
async function roundTrip(config: Config, before: number, after: number, carryRegularizers = true) {
  const original = new Trainer(config);
  for (let i = 0; i < before; i++) original.trainStep();
  const state = await original.getState();
  const copy = new Trainer(config);
  copy.setState(carryRegularizers ? state : { ...state, regularizers: undefined });
  for (let i = 0; i < after; i++) {
    original.trainStep();
    copy.trainStep();
  }
  const result = { state, original: await parameters(original), copy: await parameters(copy) };
  original.dispose();
  copy.dispose();
  return result;
}

describe('regularizer state round trip', () => {
  let baseline = 0;
  beforeAll(() => {
    baseline = tf.memory().numTensors;
  });
  afterAll(() => {
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('Grokfast EMA: μ is in the snapshot and a restored run continues identically', async () => {
    const config = tiny({ grokfast: { enabled: true, variant: 'ema', alpha: 0.9, lambda: 2 } });
    const { state, original, copy } = await roundTrip(config, 5, 3);
    const saved = state.regularizers?.grokfast;
    expect(saved?.scalars.variant).toBe('ema');
    expect(Object.keys(saved!.arrays).sort()).toEqual(
      Object.keys(state.parameters)
        .map((name) => `mu/${name}`)
        .sort(),
    );
    expect(copy).toEqual(original);
    // Without the filter state the continuation differs: the state is what makes it exact.
    const without = await roundTrip(config, 5, 3, false);
    expect(without.copy).not.toEqual(without.original);
  });

  it('Grokfast MA: a wrapped window is restored slot for slot, with its running sum', async () => {
    const config = tiny({ grokfast: { enabled: true, variant: 'ma', window: 4, windowLambda: 3 } });
    const { state, original, copy } = await roundTrip(config, 7, 3);
    const saved = state.regularizers?.grokfast;
    expect(saved?.scalars).toMatchObject({ variant: 'ma', size: 4, 'pushes/embedding': 7 });
    // Four slots and the running sum, exactly as they lie (so the float32 sum continues bit for bit).
    expect(Object.keys(saved!.arrays).filter((key) => key.endsWith('/embedding'))).toHaveLength(5);
    expect(copy).toEqual(original);
  });

  it('Grokfast MA: a window not yet full stays not full', async () => {
    const config = tiny({ grokfast: { enabled: true, variant: 'ma', window: 6, windowLambda: 3 } });
    const { original, copy } = await roundTrip(config, 3, 5);
    expect(copy).toEqual(original);
  });

  it('NeuralGrok: φ and its Adam state are restored', async () => {
    const config = tiny({ neuralGrok: { enabled: true, every: 1, outerLr: 1e-3 } });
    const { state, original, copy } = await roundTrip(config, 4, 3);
    const saved = state.regularizers?.neuralGrok;
    expect(saved?.scalars).toMatchObject({ seed: config.seed, adamStep: 4 });
    expect(Object.keys(saved!.arrays)).toHaveLength(18); // 6 variables × (φ, m, v)
    expect(copy).toEqual(original);
  });

  it('a mismatched regularizer state is refused with an error, not a half-restored run', async () => {
    const config = tiny({ neuralGrok: { enabled: true, every: 1 } });
    const trainer = new Trainer(config);
    trainer.trainStep();
    const state = await trainer.getState();
    const broken = {
      ...state,
      regularizers: { neuralGrok: { arrays: {}, scalars: { seed: 0, adamStep: 1 } } },
    };
    expect(() => trainer.setState(broken)).toThrow(/neuralGrok state/);
    const wrongVariant = { ...state, regularizers: { neuralGrok: { arrays: {}, scalars: { seed: 'x' } } } };
    expect(() => trainer.setState(wrongVariant)).toThrow();
    trainer.dispose();
  });
});
