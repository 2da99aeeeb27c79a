import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, deepMerge, type Config } from '../../engine/config';
import { PRESETS } from '../../engine/presets';
import { fakeRecord } from '../testing/fakeClient';
import {
  fairnessIssues,
  finishMarkers,
  formatSeconds,
  historyRate,
  laneDifferences,
  laneFinish,
  laneLimit,
  RACE_EVAL_EVERY,
  raceButtonLabel,
  raceLanes,
  raceMessage,
  raceOutcome,
  racePresets,
  rateBalance,
  type LaneProgress,
} from './race';

const training = (overrides: Partial<Config['training']> = {}) => ({
  training: { evalEvery: 50, grokThreshold: 0.99, maxSteps: 20_000, stopAfterGrok: 500, ...overrides },
});

/** A history evaluated every 50 steps whose test accuracy reaches 1 at `grokAt` (null: never), 10 ms/step. */
function history(until: number, grokAt: number | null, stuckAt = 0.23) {
  const records = [];
  for (let step = 0; step <= until; step += 50) {
    const grokked = grokAt !== null && step >= grokAt;
    records.push(
      fakeRecord(step, { testAccuracy: grokked ? 1 : stuckAt, trainAccuracy: 1, trainingMs: step * 10 }),
    );
  }
  return records;
}

function lane(name: string, overrides: Partial<LaneProgress> = {}): LaneProgress {
  const records = overrides.history ?? [];
  return {
    name,
    status: 'running',
    step: records.at(-1)?.step ?? 0,
    history: records,
    config: training(),
    ...overrides,
  };
}

describe('raceLanes', () => {
  it('builds the radial rescue race: same seed, fixed evalEvery, differing only in the radial switch', () => {
    const result = raceLanes('radialRescue');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const [a, b] = result.lanes;
    expect(a.name).toBe('radial');
    expect(b.name).toBe('plain');
    expect(a.config.seed).toBe(b.config.seed);
    expect(a.config.training.evalEvery).toBe(RACE_EVAL_EVERY);
    expect(b.config.training.evalEvery).toBe(RACE_EVAL_EVERY);
    expect(a.config.regularizers.radial.enabled).toBe(true);
    expect(b.config.regularizers.radial.enabled).toBe(false);
    // Everything else equal.
    expect(deepMerge(b.config, { regularizers: { radial: { enabled: true } } })).toEqual(a.config);
    expect(a.difference).toEqual(['Radial penalty on']);
    expect(b.difference).toEqual(['Radial penalty off']);
    expect(a.color).not.toBe(b.color);
    expect(result.title).toMatch(/radial vs plain/);
  });

  it('lists every preset with a race and labels its button', () => {
    const names = racePresets();
    expect(names).toContain('radialRescue');
    expect(names).not.toContain('mlp');
    for (const name of names) expect(raceLanes(name).ok).toBe(true);
    expect(raceButtonLabel('radialRescue')).toBe('Race this: radial vs plain');
    expect(raceButtonLabel('mlp')).toBeNull();
    expect(Object.keys(PRESETS).length).toBeGreaterThan(names.length);
  });

  it('refuses unknown presets and presets without a race', () => {
    expect(raceLanes('nope').ok).toBe(false);
    expect(raceLanes('mlp').ok).toBe(false);
  });

  it('names parameters only where their regularizer is on', () => {
    const on = deepMerge(DEFAULT_CONFIG, { regularizers: { grokfast: { enabled: true, alpha: 0.9 } } });
    const differences = laneDifferences([on, DEFAULT_CONFIG]);
    expect(differences[0]).toEqual(expect.arrayContaining(['Grokfast on']));
    expect(differences[0].some((text) => text.includes('0.9'))).toBe(true);
    expect(differences[1]).toEqual(['Grokfast off']);
  });

  it('caps lanes at the core count, at least two', () => {
    expect(laneLimit(undefined)).toBe(2);
    expect(laneLimit(1)).toBe(2);
    expect(laneLimit(8)).toBe(8);
  });
});

describe('laneFinish', () => {
  it('finds the finish line (steps-to-grok) and its wall time', () => {
    const finish = laneFinish(lane('radial', { history: history(3000, 2650) }));
    expect(finish.grokStep).toBe(2650);
    expect(finish.grokWallMs).toBe(26_500);
    expect(finish.done).toBe(false);
  });

  it('is done stopAfterGrok steps after grokking, or at the step budget, or on divergence', () => {
    expect(laneFinish(lane('a', { history: history(3150, 2650) })).reason).toBe('grokked');
    expect(laneFinish(lane('a', { history: history(3100, 2650) })).done).toBe(false);
    const budget = lane('a', { history: history(1000, null), config: training({ maxSteps: 1000 }) });
    expect(laneFinish(budget).reason).toBe('budget');
    expect(laneFinish(lane('a', { history: history(200, null), status: 'diverged' })).reason).toBe(
      'diverged',
    );
    expect(laneFinish(lane('a', { history: history(200, null), status: 'finished' })).reason).toBe('budget');
  });

  it('keeps going with stopAfterGrok 0', () => {
    const run = lane('a', { history: history(9000, 1000), config: training({ stopAfterGrok: 0 }) });
    expect(laneFinish(run).done).toBe(false);
  });
});

describe('raceOutcome and raceMessage', () => {
  it('no winner before anyone groks', () => {
    const lanes = [
      lane('radial', { history: history(1000, null) }),
      lane('plain', { history: history(1000, null) }),
    ];
    const outcome = raceOutcome(lanes);
    expect(outcome.leader).toBeNull();
    expect(outcome.decided).toBe(false);
    expect(raceMessage(lanes)).toBeNull();
  });

  it('announces the winner with both numbers once the other lane has passed the finish line', () => {
    const lanes = [
      lane('radial', { history: history(3700, 3650) }),
      lane('plain', { history: history(3700, null) }),
    ];
    const outcome = raceOutcome(lanes);
    expect(outcome.leader).toBe(0);
    expect(outcome.decided).toBe(true);
    expect(raceMessage(lanes)).toBe(
      'radial grokked at step 3\u202f650 in 37 s; plain still at 23% test accuracy',
    );
  });

  it('waits while the other lane is behind the finish line (it could still grok earlier)', () => {
    const lanes = [
      lane('radial', { history: history(3700, 3650) }),
      lane('plain', { history: history(3000, null) }),
    ];
    const outcome = raceOutcome(lanes);
    expect(outcome.leader).toBe(0);
    expect(outcome.decided).toBe(false);
    expect(raceMessage(lanes)).toMatch(/waiting for plain to reach step 3\u202f650/);
  });

  it('the fewest steps win even if the other lane got there first in wall time', () => {
    const lanes = [
      lane('slow', { history: history(5000, 4000) }),
      lane('fast', { history: history(5000, 2000) }),
    ];
    expect(raceOutcome(lanes).leader).toBe(1);
    expect(raceMessage(lanes)).toBe(
      'fast grokked at step 2\u202f000 in 20 s; slow grokked at step 4\u202f000 in 40 s',
    );
  });

  it('equal steps: less wall time wins', () => {
    const slow = history(3000, 2000).map((record) => ({ ...record, trainingMs: record.trainingMs * 2 }));
    const lanes = [lane('a', { history: slow }), lane('b', { history: history(3000, 2000) })];
    expect(raceOutcome(lanes).leader).toBe(1);
  });

  it('is over when every lane stopped; says so when nobody grokked', () => {
    const config = training({ maxSteps: 1000 });
    const lanes = [
      lane('a', { history: history(1000, null), config, status: 'finished' }),
      lane('b', { history: history(1000, null, 0.5), config, status: 'finished' }),
    ];
    const outcome = raceOutcome(lanes);
    expect(outcome.over).toBe(true);
    expect(raceMessage(lanes)).toMatch(
      /^Nobody grokked: a stopped at step 1\u202f000 with 23% test accuracy; b stopped/,
    );
  });

  it('draws one finish line per lane that grokked', () => {
    const lanes = [
      lane('radial', { history: history(3700, 3650) }),
      lane('plain', { history: history(3700, null) }),
    ];
    expect(finishMarkers(lanes)).toEqual([{ step: 3650, label: 'radial grokked · 37 s', kind: 'grokked' }]);
  });
});

describe('fairness', () => {
  const base = { seed: 0, training: training().training };
  it('a race on one backend, one schedule and one seed is fair', () => {
    expect(
      fairnessIssues([
        { name: 'a', backend: 'wasm', config: base },
        { name: 'b', backend: 'wasm', config: base },
      ]),
    ).toEqual([]);
    // A lane still starting does not count as a different backend.
    expect(
      fairnessIssues([
        { name: 'a', backend: 'wasm', config: base },
        { name: 'b', backend: null, config: base },
      ]),
    ).toEqual([]);
  });

  it('names a different backend, schedule, adaptive schedule, seed', () => {
    expect(
      fairnessIssues([
        { name: 'a', backend: 'wasm', config: base },
        { name: 'b', backend: 'webgl', config: base },
      ]),
    ).toEqual(['different backends: a on wasm, b on webgl']);
    expect(
      fairnessIssues([
        { name: 'a', backend: 'wasm', config: base },
        { name: 'b', backend: 'wasm', config: { ...base, training: { ...base.training, evalEvery: 100 } } },
      ]),
    ).toEqual(['different evaluation schedules: a every 50, b every 100']);
    const adaptive = { ...base, training: { ...base.training, evalEvery: 0 } };
    expect(
      fairnessIssues([
        { name: 'a', backend: 'wasm', config: adaptive },
        { name: 'b', backend: 'wasm', config: adaptive },
      ])[0],
    ).toMatch(/adaptive/);
    expect(
      fairnessIssues([
        { name: 'a', backend: 'wasm', config: base },
        { name: 'b', backend: 'wasm', config: { ...base, seed: 1 } },
      ]),
    ).toEqual(['different seeds: a seed 0, b seed 1']);
  });
});

describe('rates', () => {
  it('measures steps/s from the history (training time only)', () => {
    expect(historyRate(history(1000, null))).toBeCloseTo(100);
    expect(historyRate([fakeRecord(0)])).toBeNull();
  });

  it('balance is slowest / fastest', () => {
    expect(rateBalance([40, 50])).toBeCloseTo(0.8);
    expect(rateBalance([40, 0])).toBeNull();
  });

  it('formats wall time', () => {
    expect(formatSeconds(4200)).toBe('4.2 s');
    expect(formatSeconds(41_000)).toBe('41 s');
    expect(formatSeconds(125_000)).toBe('2 min 05 s');
  });
});
