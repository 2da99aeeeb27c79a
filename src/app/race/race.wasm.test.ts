/**
 * The lab's store racing real training sessions (wasm backend in Node, one "worker" per lane on a MessageChannel):
 * the radial rescue race's two lanes start from identical weights (the engine's seeded init: equal step-0
 * weight norms), differ only in the radial switch, run on one backend and evaluate on one schedule. A lane that
 * really diverges pauses with the worker's message, rolls back alone, and the other lane never stops.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, deepMerge, validateConfig, type Config } from '../../engine/config';
import { initNodeBackend } from '../../engine/node';
import { Trainer } from '../../engine/trainer';
import { createTrainingApi } from '../../worker/api';
import { connectTrainingClient } from '../../worker/client';
import { TrainingSession } from '../../worker/session';
import { createSupervisedClient } from '../../worker/supervisor';
import { createTfHost } from '../../engine/tfHost';
import { fairnessIssues, laneColor, raceLanes } from '../lanes/race';
import { summarize } from '../lanes/summary';
import { createLabStore } from '../store';

beforeAll(async () => {
  expect(await initNodeBackend('wasm')).toBe('wasm');
});

const sessions: TrainingSession[] = [];

afterAll(async () => {
  await Promise.all(sessions.map((session) => session.dispose()));
});

/** A session's client, supervised as the app's are. */
const supervisedSession = () => createSupervisedClient(sessionClient, { stallMs: 0 });

function sessionClient() {
  const session = new TrainingSession({
    host: createTfHost(),
    createTrainer: (config) => new Trainer(config),
    memory: () => tf.memory(),
  });
  sessions.push(session);
  const channel = new MessageChannel();
  Comlink.expose(createTrainingApi(session, Comlink.transfer), channel.port1);
  return connectTrainingClient(channel.port2, () => {
    void session.dispose();
    channel.port1.close();
    channel.port2.close();
  });
}

async function until(condition: () => boolean, timeoutMs = 90_000): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('radial rescue race on real sessions', () => {
  it('both lanes start from the same weights: equal step-0 weight norms', async () => {
    const store = createLabStore({ createClient: supervisedSession, cores: 2 });
    const lanes = raceLanes('radialRescue');
    if (!lanes.ok) throw new Error('no race');
    expect(await store.getState().startRace('radialRescue', { autoStart: false })).toBe(true);
    await store.getState().start();
    await until(() => store.getState().lanes.every((lane) => lane.history.length >= 2));
    await store.getState().pause();
    const [a, b] = store.getState().lanes;
    expect(a.history[0].step).toBe(0);
    expect(b.history[0].step).toBe(0);
    expect(a.history[0].weightNorm).toBeGreaterThan(0);
    expect(a.history[0].weightNorm).toBe(b.history[0].weightNorm);
    // Same data split, same evaluation schedule, same backend: a fair race.
    expect(a.history[1].step).toBe(50);
    expect(b.history[1].step).toBe(50);
    expect(
      fairnessIssues(store.getState().lanes.map((lane) => ({ ...lane, backend: lane.activeBackend }))),
    ).toEqual([]);
    // Only the radial penalty differs, and it shows: lane A reports its penalty, lane B has none.
    expect(a.history[1].regularizers.radial).toBeDefined();
    expect(b.history[1].regularizers.radial).toBeUndefined();
  });
});

function config(partial: unknown): Config {
  const result = validateConfig(deepMerge(DEFAULT_CONFIG, partial));
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

const SMALL = {
  task: { modulus: 13, trainFraction: 0.5 },
  model: { kind: 'mlp', embedDim: 16, hiddenWidth: 32 },
  optimizer: { lr: 3e-3, warmupSteps: 0 },
  training: { maxSteps: 1_000_000, evalEvery: 10 },
};
/** lr·wd = 5 > 2: decoupled weight decay multiplies the weights by about −4 per step (see reliability.wasm). */
const DIVERGING = deepMerge(SMALL, {
  optimizer: { lr: 0.5 },
  regularizers: { weightDecay: { enabled: true, coefficient: 10 } },
});

describe('a diverging lane on real sessions', () => {
  it('pauses with the step and reason, rolls back alone with a lower lr, and the other lane runs on', async () => {
    const store = createLabStore({ createClient: supervisedSession, cores: 2 });
    const lanes = [
      { name: 'steady', difference: ['lr 0.003'], color: laneColor(0), config: config(SMALL) },
      {
        name: 'wild',
        difference: ['lr 0.5, weight decay 10'],
        color: laneColor(1),
        config: config(DIVERGING),
      },
    ];
    expect(await store.getState().startLanes('steady vs wild', lanes)).toBe(true);
    await until(() => store.getState().lanes[1].status === 'diverged');
    const wild = store.getState().lanes[1];
    expect(wild.message).toMatch(/Diverged at step \d+: the (weight norm|training loss) is (NaN|-?Infinity)/);
    expect(wild.canRollBack).toBe(true);
    expect(wild.phase).toBe('ready');
    const divergedAt = Number(/step (\d+)/.exec(wild.message ?? '')![1]);

    // The steady lane keeps training while the wild one waits.
    const steadyAt = store.getState().lanes[0].step;
    await until(() => store.getState().lanes[0].step >= steadyAt + 50);
    expect(summarize(store.getState().lanes).status).toBe('running');

    await store.getState().rollback(1);
    const rolled = store.getState().lanes[1];
    expect(rolled.config.optimizer.lr).toBe(0.25);
    expect(rolled.eventLog.events.at(-1)).toMatchObject({ path: 'optimizer.lr', from: 0.5, to: 0.25 });
    const point = rolled.eventLog.events.at(-1)!.step;
    expect(point).toBeLessThan(divergedAt);
    expect(rolled.history.at(-1)!.step).toBeLessThanOrEqual(point);
    expect(rolled.history.every((record) => Number.isFinite(record.weightNorm))).toBe(true);
    // It races on from the rollback point.
    await until(() => (store.getState().lanes[1].history.at(-1)?.step ?? 0) > point);
    expect(store.getState().lanes[0].status).toBe('running');
    await store.getState().pause();
  });
});
