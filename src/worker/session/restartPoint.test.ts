import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../engine/config';
import type { TrainerState } from '../../engine/snapshot';
import type { RunSnapshot } from '../protocol';
import { RestartPoint } from './restartPoint';

function state(step: number): TrainerState {
  return {
    config: DEFAULT_CONFIG,
    step,
    parameters: {},
    optimizer: { step, firstMoments: {}, secondMoments: {} },
    history: [],
    events: [],
    batchEpoch: 0,
  };
}

function setup() {
  const clock = { time: 0, now: () => clock.time };
  const point = new RestartPoint(clock, 100);
  let step = 0;
  const trainer = { getState: async () => state(step) };
  return { clock, point, trainer, setStep: (s: number) => (step = s) };
}

describe('restart point', () => {
  it('a fresh run has none and one is due at once; a restored run starts from its state', () => {
    const { point } = setup();
    point.reset(null);
    expect(point.last).toBeNull();
    expect(point.due).toBe(true);
    point.reset(state(40));
    expect(point.last?.step).toBe(40);
    expect(point.isStale).toBe(false);
    expect(point.due).toBe(false);
  });

  it('is due once the run changed and the interval passed; a config change makes it due at once', async () => {
    const { clock, point, trainer, setStep } = setup();
    point.reset(null);
    await point.take(trainer);
    point.changed();
    clock.time = 99;
    expect(point.due).toBe(false);
    clock.time = 100;
    expect(point.due).toBe(true);
    setStep(7);
    await point.take(trainer);
    expect(point.last?.step).toBe(7);
    expect(point.due).toBe(false);
    point.changedNow();
    expect(point.due).toBe(true);
  });

  it('posts every snapshot taken, versioned, to the listener', async () => {
    const { point, trainer } = setup();
    const posted: RunSnapshot[] = [];
    expect(point.listening).toBe(false);
    point.listen((snapshot) => posted.push(snapshot));
    expect(point.listening).toBe(true);
    await point.take(trainer);
    expect(posted).toMatchObject([{ step: 0, version: 1 }]);
    point.listen(null);
    await point.take(trainer);
    expect(posted).toHaveLength(1);
  });
});
