/**
 * A long run's history survives the whole way back: exported, imported, checked, handed to the worker through
 * Comlink and restored into the real Trainer (wasm). The lab once spread the history into one call
 * (`history.splice(0, n, ...state.history)`), which overflows the argument limit: a browser worker failed at
 * 98 606 evaluations; Node's main thread takes about 125 000 arguments, so the second case goes past that.
 */
import * as Comlink from 'comlink';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, type Config } from '../engine/config';
import { initNodeBackend } from '../engine/node';
import { Trainer } from '../engine/trainer';
import { exportRunJson, importRunJson } from '../lib/exportRun';
import { storedRun } from '../lib/testRuns';
import { createTrainingApi } from './api';
import { connectTrainingClient } from './client';
import type { RunSnapshot } from './protocol';
import { TrainingSession } from './session';
import { fakeRecord } from './testing/fakes';
import { createTfHost } from '../engine/tfHost';

const resolved = resolveConfig({
  task: { modulus: 7, trainFraction: 0.5 },
  model: { kind: 'mlp', embedDim: 4, hiddenWidth: 8 },
  training: { maxSteps: 10_000_000, evalEvery: 100_000 },
});
if (!resolved.ok) throw new Error('bad test config');
const CONFIG: Config = resolved.config;

beforeAll(async () => {
  expect(await initNodeBackend('wasm')).toBe('wasm');
});

/** A session behind Comlink, as the page reaches the worker; a snapshot of it with `length` evaluations. */
async function sessionWithHistory(length: number) {
  const session = new TrainingSession({ host: createTfHost(), createTrainer: (c) => new Trainer(c) });
  const channel = new MessageChannel();
  Comlink.expose(createTrainingApi(session, Comlink.transfer), channel.port1);
  const client = connectTrainingClient(channel.port2, () => {
    channel.port1.close();
    channel.port2.close();
  });
  expect(await client.init(CONFIG, 'wasm')).toMatchObject({ ok: true });
  const real = await client.snapshot();
  const snapshot: RunSnapshot = {
    ...real,
    step: length,
    // Short records (≈ 190 characters), so the run's and the snapshot's copies fit a 50 MB file.
    history: Array.from({ length }, (_, i) => ({
      ...fakeRecord(i + 1, 1),
      activationRadius: {},
      radiusRatio: {},
      radialShare: {},
    })),
  };
  return { session, client, snapshot };
}

describe('a history of 100 000 evaluations and more', () => {
  it('exports, imports and restores with 100 000 evaluations', async () => {
    const { client, session, snapshot } = await sessionWithHistory(100_000);
    const run = storedRun('long', Date.UTC(2026, 10, 29), {
      config: CONFIG,
      history: snapshot.history,
      snapshot,
    });
    const exported = exportRunJson(run);
    const imported = importRunJson(exported.text, Date.UTC(2026, 10, 29, 12));
    expect(imported.ok ? 'ok' : imported.errors).toBe('ok');
    if (!imported.ok || !imported.run.snapshot) return;
    expect(imported.run.history).toHaveLength(100_000);

    const restored = await client.restore(imported.run.snapshot);
    expect(restored.ok ? restored.step : restored.issues).toBe(100_000);
    await client.step(1);
    const after = await client.snapshot();
    expect(after.step).toBe(100_001);
    expect(after.history.length).toBeGreaterThan(100_000);
    expect(after.history[99_999].step).toBe(100_000);
    client.terminate();
    await session.dispose();
  }, 300_000);

  it('restores 300 000 evaluations (past any engine’s argument limit)', async () => {
    const { client, session, snapshot } = await sessionWithHistory(300_000);
    const restored = await client.restore(snapshot);
    expect(restored.ok ? 'ok' : restored.issues).toBe('ok');
    const after = await client.snapshot();
    expect(after.history).toHaveLength(300_000);
    client.terminate();
    await session.dispose();
  }, 300_000);
});
