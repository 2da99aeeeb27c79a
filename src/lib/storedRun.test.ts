import { describe, expect, it } from 'vitest';
import { resolveConfig, type Config, type DeepPartial } from '../engine/config';
import { parameterSize } from '../engine/carriedState';
import { parameterShapes } from '../engine/models/parameterShapes';
import { MAX_PROBLEMS } from '../engine/problems';
import type { MetricRecord } from '../engine/records';
import { snapshotIssues, type RunSnapshot } from '../engine/snapshot';
import { metricRecord, snapshot, storedRace, storedRun } from './testRuns';
import { CLOCK_SKEW_MS, storedRunIssues, validateStoredRun } from './storedRun';

const NOW = Date.UTC(2026, 10, 29);

function config(patch: DeepPartial<Config>): Config {
  const result = resolveConfig(patch);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

/** A snapshot with weights that fit `of`'s model, as a real trainer writes one. */
function fitting(of: Config, step = 100): RunSnapshot {
  const parameters = Object.fromEntries(
    parameterShapes(of).map((info) => [info.name, new Float32Array(parameterSize(info.shape)).fill(0.5)]),
  );
  const copy = () => Object.fromEntries(Object.entries(parameters).map(([name, v]) => [name, v.slice()]));
  return {
    ...snapshot(step),
    config: of,
    parameters,
    optimizer: { step, firstMoments: copy(), secondMoments: copy() },
  };
}

function errorsOf(value: unknown): string[] {
  const result = validateStoredRun(value, NOW);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

const MLP = config({ task: { modulus: 13 }, model: { kind: 'mlp', embedDim: 4, hiddenWidth: 16 } });

describe('validateStoredRun', () => {
  it('accepts a run whose snapshot fits its model, and a race whose lanes do', () => {
    const run = storedRun('a', NOW - 1000, { config: MLP, snapshot: fitting(MLP) });
    expect(validateStoredRun(run, NOW)).toEqual({ ok: true, run, notes: [] });
    const race = storedRace(run, storedRun('b', NOW), { lanes: [{}, { snapshot: fitting(MLP) }] });
    expect(validateStoredRun(race, NOW).ok).toBe(true);
  });

  it('refuses weights that no longer fit the model (model.hiddenWidth edited in the file)', () => {
    const edited = { ...MLP, model: { ...MLP.model, hiddenWidth: 20 } };
    const errors = errorsOf(storedRun('a', NOW, { snapshot: { ...fitting(MLP), config: edited } }));
    expect(errors).toContain(
      'run.snapshot.parameters.hidden0.weight: has 128 values but the model its config builds needs 160 (8 × 20)',
    );
    expect(errors).toContain(
      'run.snapshot.parameters.output.weight: has 208 values but the model its config builds needs 260 (20 × 13)',
    );
  });

  it('checks every lane of a race: the second lane’s weights belong to another model', () => {
    const transformer = config({ task: { modulus: 13 }, model: { kind: 'transformer', dModel: 8, dMlp: 8 } });
    const run = storedRun('a', NOW, { config: MLP, snapshot: fitting(MLP) });
    const race = storedRace(run, run, {
      lanes: [{}, { snapshot: { ...fitting(transformer), config: MLP } }],
    });
    const errors = errorsOf(race).join('\n');
    expect(errors).toMatch(
      /run\.comparison\.lanes\[1\]\.snapshot\.parameters\.hidden0\.weight: missing; the model/,
    );
    expect(errors).toMatch(
      /run\.comparison\.lanes\[1\]\.snapshot\.parameters\.position: is not a parameter of the model its config builds \(mlp\)/,
    );
    expect(errors).not.toMatch(/run\.snapshot/);
  });

  it('checks the optimizer moments against the weights', () => {
    const snap = fitting(MLP);
    snap.optimizer.firstMoments['output.bias'] = new Float32Array(3);
    delete snap.optimizer.secondMoments['embedding'];
    snap.optimizer.secondMoments['ghost'] = new Float32Array(2);
    const errors = errorsOf(storedRun('a', NOW, { snapshot: snap }));
    expect(errors).toEqual([
      'run.snapshot.optimizer.firstMoments.output.bias: has 3 values but the parameter has 13',
      'run.snapshot.optimizer.secondMoments.ghost: belongs to no parameter',
      'run.snapshot.optimizer.secondMoments.embedding: missing (the parameter has 52 values)',
    ]);
  });

  it('stops checking a 100 000-evaluation history after a screenful of problems', () => {
    const run = storedRun('a', NOW, { history: Array.from({ length: 100_000 }, () => ({}) as never) });
    // Checking stops after the first few records: no 1.3 million problems are collected.
    const errors = errorsOf(run);
    expect(errors).toHaveLength(MAX_PROBLEMS + 1);
    expect(errors[0]).toBe('run.history[0].step: must be a whole number ≥ 0, got undefined');
    expect(errors.at(-1)).toMatch(/more problems/);
  });

  it('reads a long history in order, and says where it goes backwards', () => {
    const history = Array.from({ length: 100_000 }, (_, i) => metricRecord(i));
    expect(validateStoredRun(storedRun('a', NOW, { history }), NOW).ok).toBe(true);
    history[70_000] = metricRecord(5);
    expect(errorsOf(storedRun('a', NOW, { history }))).toEqual([
      'run.history[70000].step: 5 comes after step 69999: evaluations out of order',
    ]);
  });

  it('sets dates that are not dates (1e300), before 2020 or in the future to now, and says so', () => {
    for (const createdAt of [1e300, 1000, NOW + 2 * CLOCK_SKEW_MS]) {
      const result = validateStoredRun(storedRun('a', createdAt), NOW);
      expect(result.ok && [result.run.createdAt, result.run.updatedAt]).toEqual([NOW, NOW]);
      expect(result.ok && result.notes[0]).toMatch(
        /^run\.createdAt \(.+\) is not a date between 2020 and today/,
      );
    }
    const skewed = validateStoredRun(storedRun('a', NOW + CLOCK_SKEW_MS / 2), NOW);
    expect(skewed.ok && skewed.notes).toEqual([]);
    expect(errorsOf(storedRun('a', -5))).toEqual(['run.createdAt: must be a number ≥ 0']);
  });

  it('drops keys it does not know', () => {
    const result = validateStoredRun({ ...storedRun('a', NOW), secret: 1 }, NOW);
    expect(result.ok && 'secret' in result.run).toBe(false);
  });

  it('drops the retired all-pairs restricted/excluded loss of runs saved before 2026-12-04 (memorization fools it)', () => {
    const retired = { restrictedLoss: 0.004, excludedLoss: 0.02, keyShare: 0.3, waveShare: 0.8, key0: 4 };
    // As read back from an older version's database: not a MetricRecord of today's type.
    const older = { ...metricRecord(100), progress: retired } as unknown as MetricRecord;
    const run = storedRun('a', NOW, { history: [metricRecord(0), older] });
    const result = validateStoredRun(run, NOW);
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.run.history[1].progress).toBeUndefined();
    // A record that has the live measures but is damaged is still refused, not silently dropped.
    const damaged = { ...metricRecord(100), progress: { testWaveLoss: 'x' } } as unknown as MetricRecord;
    expect(validateStoredRun(storedRun('b', NOW, { history: [damaged] }), NOW).ok).toBe(false);
  });
});

describe('snapshotIssues (the worker’s restore)', () => {
  it('checks the structure only: the config and the weights’ fit are the session’s and trainer’s', () => {
    const snap = snapshot(10);
    expect(snapshotIssues(snap)).toEqual([]);
    expect(
      snapshotIssues({ ...snap, config: { task: 'anything' }, parameters: { w: new Float32Array(1) } }),
    ).toEqual([]);
    expect(snapshotIssues(null)).toEqual([{ path: 'snapshot', message: 'must be an object' }]);
    expect(snapshotIssues({ ...snap, version: 2, history: [null], step: -1 })).toEqual([
      { path: 'snapshot.version', message: 'snapshot version 2 is not 1' },
      { path: 'snapshot.step', message: 'must be a whole number ≥ 0, got -1' },
      { path: 'snapshot.history', message: 'every record must be an object with a whole-number step' },
    ]);
  });
});

describe('storedRunIssues (RunStore.put)', () => {
  it('checks the envelope, not the bulk', () => {
    expect(storedRunIssues(storedRun('a', 1, { history: [{}] as never }))).toEqual([]);
    expect(storedRunIssues(storedRun('', 1))).toEqual([{ path: 'id', message: 'must be non-empty text' }]);
  });
});
