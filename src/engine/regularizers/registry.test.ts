import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig, type Config, type DeepPartial } from '../config';
import { initNodeBackend } from '../node';
import { Trainer } from '../trainer';
import { REGULARIZER_IMPLEMENTATIONS } from './implementations';
import { REGULARIZER_IDS, REGULARIZERS } from './registry';

beforeAll(async () => {
  await initNodeBackend();
});

describe('regularizer registry', () => {
  it('every method has an id matching its key, one-line texts and in-range defaults', () => {
    for (const [key, definition] of Object.entries(REGULARIZERS)) {
      expect(definition.id).toBe(key);
      for (const text of [definition.label, definition.description, definition.source]) {
        expect(text.length).toBeGreaterThan(0);
        expect(text).not.toContain('\n');
      }
      for (const spec of Object.values(definition.params)) {
        expect(spec.description.length).toBeGreaterThan(0);
        expect(spec.description).not.toContain('\n');
        if (spec.kind === 'number') {
          expect(spec.default).toBeGreaterThanOrEqual(spec.min);
          expect(spec.default).toBeLessThanOrEqual(spec.max);
          if (spec.integer) expect(Number.isInteger(spec.default)).toBe(true);
          if (spec.scale === 'log') expect(spec.min).toBeGreaterThan(0);
        }
        if (spec.kind === 'choice') expect(spec.options).toContain(spec.default);
      }
      expect(DEFAULT_CONFIG.regularizers[key as keyof typeof REGULARIZERS].enabled).toBe(
        key === 'weightDecay',
      );
    }
  });

  it('every definition has its implementation, in the same order, carrying the same definition', () => {
    expect(Object.keys(REGULARIZER_IMPLEMENTATIONS)).toEqual(REGULARIZER_IDS);
    for (const id of REGULARIZER_IDS) {
      const { create, ...definition } = REGULARIZER_IMPLEMENTATIONS[id];
      expect(typeof create).toBe('function');
      expect(definition).toEqual(REGULARIZERS[id]);
    }
  });
});

const tiny: DeepPartial<Config> = {
  task: { modulus: 11, trainFraction: 0.5 },
  model: { kind: 'mlp', embedDim: 8, hiddenWidth: 32 },
  optimizer: { lr: 3e-3, warmupSteps: 0 },
};

/** Settings that make each method act within a few steps (the defaults of some wait for step 500 or a full window). */
const ACTIVE: Record<string, Record<string, unknown>> = {
  frobenius: { trigger: 'step', startStep: 0 },
  normClamp: { startStep: 0 },
  grokfast: { variant: 'ma', window: 3 },
};

describe('toggling a method mid-run', () => {
  const cases = [
    ...REGULARIZER_IDS.map((id) => ({ id, extra: {} })),
    { id: 'grokfast', extra: { variant: 'ema' } },
  ];
  it.each(cases)(
    '$id $extra: tensors stay flat while on and return to the baseline when off',
    async ({ id, extra }) => {
      const result = resolveConfig(tiny);
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      const trainer = new Trainer(result.config);
      const run = async (steps: number): Promise<number> => {
        for (let i = 0; i < steps; i++) trainer.trainStep();
        await trainer.evaluate();
        return tf.memory().numTensors;
      };
      const toggle = (enabled: boolean): void => {
        const outcome = trainer.update({ regularizers: { [id]: { enabled, ...ACTIVE[id], ...extra } } });
        expect(outcome.ok).toBe(true);
      };
      const enabledByDefault = trainer.config.regularizers[id as keyof typeof REGULARIZERS].enabled;
      const baseline = await run(3);
      for (let round = 0; round < 2; round++) {
        toggle(!enabledByDefault);
        const on = await run(6);
        expect(await run(6)).toBe(on);
        toggle(enabledByDefault);
        expect(await run(3)).toBe(baseline);
      }
      trainer.dispose();
    },
  );
});
