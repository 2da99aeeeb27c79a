import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig, type Config } from '../engine/config';
import { PRESETS } from '../engine/presets';
import { TaskError } from '../engine/tasks/dataset';
import { ExpressionError } from '../engine/tasks/expression';
import { isBackendFault } from '../engine/backendChoice';
import type { MetricBatch } from './protocol';
import { TrainingSession } from './session';
import { FakeHost, FakeTrainer, type FakeBehaviour } from './testing/fakes';

describe('isBackendFault', () => {
  it('takes device, memory, kernel and shader failures for the backend’s', () => {
    for (const message of [
      'GPU device lost: unknown',
      'out of memory',
      'memory access out of bounds',
      "Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'",
      'Failed to compile fragment shader.',
      'WebGL context lost',
      'something nobody has seen before',
    ]) {
      expect(isBackendFault(new Error(message)), message).toBe(true);
    }
  });

  it('takes errors of the task or of the program’s shapes for errors every backend would raise', () => {
    expect(isBackendFault(new TaskError('nothing to learn'))).toBe(false);
    expect(isBackendFault(new ExpressionError("unexpected 'x'", 0))).toBe(false);
    for (const message of [
      'Pass at least one tensor to concat',
      'Error in matMul: inner shapes (3) and (4) of Tensors with shapes 2,3 and 4,5 must match',
      'Operands could not be broadcast together with shapes 2,3 and 4.',
      'Size(12) must match the product of shape 5,2',
      'The new shape (6) has 6 elements and the old shape (5) has 5 elements.',
    ]) {
      expect(isBackendFault(new Error(message)), message).toBe(false);
    }
  });
});

const sessions: TrainingSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.dispose()));
});

function mlp(): Config {
  const result = resolveConfig(PRESETS.mlp.config);
  if (!result.ok) throw new Error('preset invalid');
  return result.config;
}

describe('TrainingSession: a task-level error at a step', () => {
  it('ends the run in error with the reason, and never demotes the backend', async () => {
    const host = new FakeHost(['wasm', 'cpu']);
    const behaviour: FakeBehaviour = {
      failAt: (step) => (step === 0 ? 'Pass at least one tensor to concat' : null),
    };
    const trainers: FakeTrainer[] = [];
    const session = new TrainingSession({
      host,
      createTrainer: (config) => {
        const trainer = new FakeTrainer(config, host.active, behaviour);
        trainers.push(trainer);
        return trainer;
      },
      options: { batchIntervalMs: 20, snapshotIntervalMs: 0 },
    });
    sessions.push(session);
    const batches: MetricBatch[] = [];
    session.subscribe((batch) => batches.push(batch));
    await session.init(mlp(), 'wasm');
    await session.start();
    const started = performance.now();
    while (batches.at(-1)?.status !== 'error') {
      // A limit only for a run that never ends; a loaded machine takes its time.
      if (performance.now() - started > 60_000) throw new Error('the run never ended in error');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const messages = batches.flatMap((batch) => (batch.message ? [batch.message] : [])).join(' ');
    expect(messages).toMatch(/Pass at least one tensor to concat/);
    expect(messages).not.toMatch(/continuing on/);
    expect(trainers.map((trainer) => trainer.backend)).toEqual(['wasm']);
    expect(host.discarded).toEqual([]);
    // The next run starts on the same backend.
    behaviour.failAt = () => null;
    const next = await session.reset();
    expect(next.ok && next.backend.backend).toBe('wasm');
  });
});
