import { describe, expect, it } from 'vitest';
import { fakeProgress } from '../testing/fakes';
import { NOT_DEFINED } from './progressMeasures';
import { PHASE_WORDS, progressPhase, WAVE_MARGIN, WAVE_SHARE, withPhase } from './progressPhase';

const ADD = { defined: true, operation: 'a+b', sign: 1 } as const;
const NONE = { defined: false, reason: NOT_DEFINED } as const;
const P = 31;
const LN_P = Math.log(P);

describe('progressPhase', () => {
  it('is silent until the test waves beat a uniform guess by the margin', () => {
    const at = (testWaveLoss: number, testWaveShare = 0.3, testAccuracy = 0.02) =>
      progressPhase(ADD, { testAccuracy, progress: fakeProgress({ testWaveLoss, testWaveShare }) }, P);
    expect(at(LN_P + 0.05)).toBe('no-waves');
    // A fit to noise lands a little below ln p: not enough.
    expect(at(LN_P - WAVE_MARGIN + 0.01)).toBe('no-waves');
    expect(at(LN_P - WAVE_MARGIN - 0.01)).toBe('waves');
    // A memorizing transformer: huge logits, so small waves beat a uniform guess by far; but they are a small
    // part of its test logits, and its test accuracy stays at chance.
    expect(at(LN_P - 3, WAVE_SHARE - 0.01)).toBe('no-waves');
    expect(at(LN_P - 3, WAVE_SHARE)).toBe('waves');
    expect(at(0.01, 0.9, 0.995)).toBe('generalized');
  });

  it('waits for a record with measures, and is not defined where the task has no waves', () => {
    expect(progressPhase(ADD, undefined, P)).toBe('waiting');
    expect(progressPhase(ADD, { testAccuracy: 0.5 }, P)).toBe('waiting');
    expect(progressPhase(NONE, { testAccuracy: 0.5, progress: fakeProgress() }, P)).toBe('not-defined');
  });
});

describe('withPhase (the CLI history)', () => {
  it('adds the classroom words as progress.phase and leaves records without measures alone', () => {
    const record = {
      step: 300,
      testAccuracy: 0.03,
      progress: fakeProgress({ testWaveLoss: 2, testWaveShare: 0.4 }),
    };
    expect(withPhase(record, ADD, P)).toEqual({
      ...record,
      progress: { ...record.progress, phase: PHASE_WORDS.waves },
    });
    expect(PHASE_WORDS.waves).toBe('test logits line up with waves');
    const bare = { step: 0, testAccuracy: 0 };
    expect(withPhase(bare, ADD, P)).toBe(bare);
    expect(withPhase(record, NONE, P)).toMatchObject({ progress: { phase: 'not defined' } });
  });
});
