import { describe, expect, it } from 'vitest';
import { configHash, stableStringify } from './hash';
import { isDone, pendingRuns } from './results';
import { planRuns, runHash } from './suites';

describe('config hashing', () => {
  it('ignores key order and is sensitive to values', () => {
    expect(stableStringify({ b: 1, a: { d: [1, 2], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,2]},"b":1}');
    expect(configHash({ a: 1, b: 2 })).toBe(configHash({ b: 2, a: 1 }));
    expect(configHash({ a: 1, b: 2 })).not.toBe(configHash({ a: 1, b: 3 }));
    expect(configHash({ a: 1 })).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives every planned run a unique id and a deterministic hash', () => {
    const first = planRuns('full');
    const second = planRuns('full');
    expect(new Set(first.map((r) => r.id)).size).toBe(first.length);
    expect(second.map((r) => r.hash)).toEqual(first.map((r) => r.hash));
    // Quick and full runs with the same id differ in cap, so their hashes differ.
    const quick = new Map(planRuns('quick').map((r) => [r.id, r.hash]));
    for (const run of first) if (quick.has(run.id)) expect(quick.get(run.id)).not.toBe(run.hash);
  });
});

describe('effective-config hash', () => {
  it('ignores the settings of regularizers that are switched off, not those that are on', () => {
    const run = planRuns('full').find((r) => r.id === 'methods.mlp31-add.radial.s0')!;
    const { config } = run;
    expect(runHash(config, run.cap, run.evalEvery)).toBe(run.hash);
    const offChanged = {
      ...config,
      regularizers: { ...config.regularizers, frobenius: { ...config.regularizers.frobenius, lambda: 0.5 } },
    };
    expect(runHash(offChanged, run.cap, run.evalEvery)).toBe(run.hash);
    const onChanged = {
      ...config,
      regularizers: { ...config.regularizers, radial: { ...config.regularizers.radial, lambda: 0.5 } },
    };
    expect(runHash(onChanged, run.cap, run.evalEvery)).not.toBe(run.hash);
    expect(runHash(config, run.cap + 1, run.evalEvery)).not.toBe(run.hash);
  });
});

describe('resume', () => {
  const runs = [
    { id: 'a', hash: 'h1' },
    { id: 'b', hash: 'h2' },
    { id: 'c', hash: 'h3' },
    { id: 'd', hash: 'h4' },
  ];
  const stored: Record<string, { hash: string; stoppedBecause: 'budget' | 'grokked' | 'error' }> = {
    a: { hash: 'h1', stoppedBecause: 'grokked' }, // done
    b: { hash: 'old', stoppedBecause: 'budget' }, // config changed → rerun
    c: { hash: 'h3', stoppedBecause: 'error' }, // failed → retry
  };

  it('skips runs whose stored result matches the config hash', () => {
    expect(pendingRuns(runs, (id) => stored[id] ?? null).map((r) => r.id)).toEqual(['b', 'c', 'd']);
  });

  it('treats a missing result as not done', () => {
    expect(isDone({ hash: 'h4' }, null)).toBe(false);
    expect(isDone({ hash: 'h1' }, { hash: 'h1', stoppedBecause: 'budget' })).toBe(true);
  });
});
