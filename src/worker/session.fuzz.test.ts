/**
 * Fuzzing the worker API at the session level, on the real Trainer (wasm, a tiny MLP): random sequences of
 * init / update / step / start / pause / reset / snapshot / restore / rollback with random and adversarial
 * payloads. Properties: no call hangs; bad input comes back as issues, never as an exception (the only
 * rejections allowed are the documented "call init first" ones); no unhandled rejection; every tensor is freed.
 */
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../engine/node';
import { Trainer } from '../engine/trainer';
import type { RunSnapshot } from './protocol';
import { TrainingSession } from './session';
import { createTfHost } from '../engine/tfHost';

const TINY = {
  task: { modulus: 5, trainFraction: 0.6 },
  model: { kind: 'mlp', embedDim: 4, hiddenWidth: 8 },
  optimizer: { warmupSteps: 0 },
  training: { evalEvery: 3 },
};

const nasty = fc.oneof(
  fc.double(),
  fc.integer({ min: -10, max: 10 }),
  fc.constantFrom(0, 1, 1e9, -1e-9, Number.NaN, Number.POSITIVE_INFINITY),
  fc.string({ maxLength: 6 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.integer(), { maxLength: 3 }),
);

const LIVE_LEAVES = [
  'optimizer.lr',
  'optimizer.beta1',
  'optimizer.beta2',
  'optimizer.batchSize',
  'training.evalEvery',
  'training.maxSteps',
  'training.stopAfterGrok',
  'regularizers.grokfast.enabled',
  'regularizers.grokfast.variant',
  'regularizers.grokfast.window',
  'regularizers.neuralGrok.enabled',
  'regularizers.radial.enabled',
  'regularizers.radial.lambda',
  'regularizers.weightDecay.coefficient',
  'regularizers.stableMax.enabled',
  'regularizers.normClamp.enabled',
  'task.modulus',
  'model.hiddenWidth',
  'seed',
];

function patchAt(path: string, value: unknown): Record<string, unknown> {
  return path
    .split('.')
    .reverse()
    .reduce<Record<string, unknown>>((inner, key) => ({ [key]: inner }), value as Record<string, unknown>);
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] =
      typeof existing === 'object' && existing && typeof value === 'object' && value && !Array.isArray(value)
        ? merge(existing as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

/** Live-section patches with valid and invalid values (mostly small, so runs stay tiny). */
const patch = fc
  .array(
    fc.tuple(
      fc.constantFrom(...LIVE_LEAVES),
      fc.oneof(nasty, fc.constantFrom(1e-3, 0.01, 0.5, 5, 'ma', 'ema', true, false)),
    ),
    { maxLength: 3 },
  )
  .map((sets) => sets.reduce((acc, [path, value]) => merge(acc, patchAt(path, value)), {}));

/**
 * A config for init/reset: the tiny run, a patched tiny run, or junk that is not a config object. Every object here
 * carries the tiny run's task and model: a bare object (or a reset before any init) would overlay the defaults, the
 * classic p = 97 transformer, whose steps on the cpu backend take minutes on a loaded machine — what this test
 * checks is how the session handles calls, not how fast a large model trains.
 */
const config = fc.oneof(
  fc.constant(TINY),
  patch.map((p) => merge(TINY, p)),
  fc.anything().filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)),
  fc.constant({ ...TINY, nonsense: 1 }),
);

type Op =
  | { kind: 'init'; config: unknown; backend: unknown }
  | { kind: 'reset'; config: unknown }
  | { kind: 'update'; patch: unknown }
  | { kind: 'step'; count: number }
  | { kind: 'start' }
  | { kind: 'pause' }
  | { kind: 'snapshot' }
  | { kind: 'restore'; which: 'last' | 'nan' | 'short' | 'junk' | 'fields'; junk: unknown }
  | { kind: 'rollback'; toStep: unknown; factor: unknown };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('init' as const),
    config,
    backend: fc.constantFrom('wasm', 'wasm', 'auto', 'cpu', 'quantum', 7),
  }),
  fc.record({ kind: fc.constant('reset' as const), config }),
  fc.record({ kind: fc.constant('update' as const), patch: fc.oneof(patch, nasty) }),
  fc.record({
    kind: fc.constant('step' as const),
    count: fc.oneof(
      fc.integer({ min: -2, max: 12 }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 0.5),
    ),
  }),
  fc.record({ kind: fc.constant('start' as const) }),
  fc.record({ kind: fc.constant('pause' as const) }),
  fc.record({ kind: fc.constant('snapshot' as const) }),
  fc.record({
    kind: fc.constant('restore' as const),
    which: fc.constantFrom('last', 'nan', 'short', 'junk', 'fields'),
    junk: fc.anything(),
  }),
  fc.record({
    kind: fc.constant('rollback' as const),
    toStep: fc.oneof(fc.constant(undefined), fc.integer({ min: -5, max: 50 }), nasty),
    factor: fc.oneof(fc.constant(undefined), fc.constantFrom(0.5, 0.1, 2, 1e6, 0, -1), nasty),
  }),
);

function damaged(snapshot: RunSnapshot, which: 'nan' | 'short' | 'fields'): unknown {
  const [name] = Object.keys(snapshot.parameters);
  if (which === 'nan') {
    return {
      ...snapshot,
      parameters: {
        ...snapshot.parameters,
        [name]: new Float32Array(snapshot.parameters[name].length).fill(Number.NaN),
      },
    };
  }
  if (which === 'short')
    return { ...snapshot, parameters: { ...snapshot.parameters, [name]: new Float32Array(1) } };
  return { ...snapshot, history: [null, 3], events: 'x', optimizer: { step: -1 }, version: 2 };
}

const ALLOWED_REJECTIONS = /call init first|reset\(\) or restore\(\) it|no run to snapshot/;
// A hang, not a slow call: one step of a sequence that resets to a large model took 17 s of wall time on a machine
// at load 20, so the limit leaves room for a busy CI runner.
const OP_TIMEOUT_MS = 60_000;

async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} hung for ${OP_TIMEOUT_MS} ms`)), OP_TIMEOUT_MS);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

let cases = 0;
let operations = 0;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  expect(await initNodeBackend('wasm')).toBe('wasm');
  process.on('unhandledRejection', onUnhandled);
});

afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  console.log(`session fuzz: ${cases} sequences, ${operations} API calls`);
});

describe('worker session API (fuzz, real Trainer on wasm)', () => {
  it('random call sequences with random payloads: no throw, no hang, no leak', async () => {
    const baseline = tf.memory().numTensors;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        cases++;
        const session = new TrainingSession({
          host: createTfHost(),
          createTrainer: (c) => new Trainer(c),
          options: { snapshotIntervalMs: 50, rollbackIntervalMs: 0 },
        });
        session.subscribe(() => undefined);
        let last: RunSnapshot | null = null;
        try {
          for (const o of ops) {
            operations++;
            try {
              switch (o.kind) {
                case 'init':
                  await within(session.init(o.config, o.backend as 'wasm'), 'init');
                  break;
                case 'reset':
                  await within(session.reset(o.config), 'reset');
                  break;
                case 'update':
                  await within(session.update(o.patch), 'update');
                  break;
                case 'step':
                  await within(session.step(o.count), 'step');
                  break;
                case 'start':
                  await within(session.start(), 'start');
                  break;
                case 'pause':
                  await within(session.pause(), 'pause');
                  break;
                case 'snapshot':
                  last = await within(session.snapshot(), 'snapshot');
                  break;
                case 'restore': {
                  const input =
                    o.which === 'junk' || !last ? o.junk : o.which === 'last' ? last : damaged(last, o.which);
                  const result = await within(session.restore(input), 'restore');
                  if (o.which !== 'last' && last) expect(result.ok).toBe(false);
                  break;
                }
                case 'rollback':
                  await within(session.rollback(o.toStep, o.factor), 'rollback');
                  break;
              }
            } catch (error) {
              const message = error instanceof Error ? error.message : String(error);
              if (!ALLOWED_REJECTIONS.test(message)) throw error;
            }
          }
        } finally {
          await within(session.dispose(), 'dispose');
        }
        expect(tf.memory().numTensors).toBe(baseline);
      }),
      { numRuns: 250 },
    );
    expect(unhandled).toEqual([]);
  }, 900_000);
});
