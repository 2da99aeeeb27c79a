/**
 * The race store on real training sessions (wasm backend in Node, one "worker" per lane on a MessageChannel):
 * the radial rescue race's two lanes start from identical weights (the engine's seeded init: equal step-0
 * weight norms), differ only in the radial switch, run on one backend and evaluate on one schedule.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../engine/node';
import { Trainer } from '../../engine/trainer';
import { createTrainingApi } from '../../worker/api';
import { connectTrainingClient } from '../../worker/client';
import { TrainingSession } from '../../worker/session';
import { createTfHost } from '../../worker/tfHost';
import { fairnessIssues, raceLanes } from './lanes';
import { createRaceStore } from './raceStore';

beforeAll(async () => {
  expect(await initNodeBackend('wasm')).toBe('wasm');
});

const sessions: TrainingSession[] = [];

afterAll(async () => {
  await Promise.all(sessions.map((session) => session.dispose()));
});

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
    const store = createRaceStore({ createClient: sessionClient, cores: 2 });
    const lanes = raceLanes('radialRescue');
    if (!lanes.ok) throw new Error('no race');
    expect(await store.getState().startRace('radialRescue', { autoStart: false })).toBe(true);
    await store.getState().resume();
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
    expect(fairnessIssues(store.getState().lanes)).toEqual([]);
    // Only the radial penalty differs, and it shows: lane A reports its penalty, lane B has none.
    expect(a.history[1].regularizers.radial).toBeDefined();
    expect(b.history[1].regularizers.radial).toBeUndefined();
    store.getState().close();
  });
});
