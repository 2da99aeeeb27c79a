/**
 * The headless loop (engine/run.ts: the CLI and the benches) and the worker's session stop a run by the same rules
 * (engine/stopRules.ts): the same scripted run stops at the same step for the same reason in both.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig, type Config } from '../../engine/config';
import { runTraining } from '../../engine/run';
import type { RunStatus } from '../protocol';
import { TrainingSession } from '../session';
import { FakeHost, FakeTrainer, type FakeBehaviour } from '../testing/fakes';

function config(training: object): Config {
  const result = resolveConfig({ training: { evalEvery: 10, ...training } });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

async function headless(cfg: Config, behaviour: FakeBehaviour) {
  const trainer = new FakeTrainer(cfg, 'wasm', behaviour);
  const summary = await runTraining(trainer, { untilStep: cfg.training.maxSteps });
  return { step: trainer.step, stoppedBecause: summary.stoppedBecause, stepsToGrok: summary.stepsToGrok };
}

async function inSession(cfg: Config, behaviour: FakeBehaviour) {
  const host = new FakeHost(['wasm']);
  let trainer: FakeTrainer | null = null;
  const session = new TrainingSession({
    host,
    createTrainer: (c) => (trainer = new FakeTrainer(c, host.active, behaviour)),
    options: { snapshotIntervalMs: 0 },
  });
  const messages: string[] = [];
  let streamed: RunStatus = 'idle';
  session.subscribe((batch) => {
    if (batch.message) messages.push(batch.message);
    streamed = batch.status;
  });
  expect((await session.init(cfg, 'wasm')).ok).toBe(true);
  await session.start();
  const ended: RunStatus[] = ['finished', 'diverged', 'error'];
  const started = performance.now();
  // The batch that says it stopped carries the notice too.
  while (!ended.includes(streamed)) {
    if (performance.now() - started > 5000) throw new Error('the session did not stop');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const result = { step: trainer!.step, status: session.currentStatus, messages };
  await session.dispose();
  return result;
}

// FakeTrainer: test accuracy min(1, step / 100), so ≥ 0.99 first at the evaluation of step 100.
describe('stop rules: the headless loop and the session agree', () => {
  it('grokked + stopAfterGrok', async () => {
    const cfg = config({ maxSteps: 1000, stopAfterGrok: 30 });
    expect(await headless(cfg, {})).toEqual({ step: 130, stoppedBecause: 'grokked', stepsToGrok: 100 });
    const session = await inSession(cfg, {});
    expect(session).toMatchObject({ step: 130, status: 'finished' });
    expect(session.messages.join('\n')).toContain('Grokked at step 100; stopped 30 steps later');
  });

  it('the step budget, evaluated at its last step', async () => {
    const cfg = config({ maxSteps: 75, stopAfterGrok: 0 });
    expect(await headless(cfg, {})).toEqual({ step: 75, stoppedBecause: 'budget', stepsToGrok: null });
    expect(await inSession(cfg, {})).toMatchObject({ step: 75, status: 'finished' });
  });

  it('divergence', async () => {
    const cfg = config({ maxSteps: 1000, stopAfterGrok: 30 });
    const behaviour: FakeBehaviour = { lossAt: (step) => (step >= 40 ? Number.NaN : 1) };
    expect(await headless(cfg, behaviour)).toEqual({
      step: 40,
      stoppedBecause: 'diverged',
      stepsToGrok: null,
    });
    const session = await inSession(cfg, behaviour);
    expect(session).toMatchObject({ step: 40, status: 'diverged' });
    expect(session.messages.join('\n')).toContain('Diverged at step 40: the training loss is NaN');
  });
});
