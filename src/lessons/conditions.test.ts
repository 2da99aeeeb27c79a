import { describe, expect, it } from 'vitest';
import { conditionMet, conditionStep, describeCondition, type LaneProgress } from './conditions';

function lane(step: number, memorized: number | null, grokked: number | null, test = 0): LaneProgress {
  return { step, milestones: { memorized, grokked }, history: [{ step, testAccuracy: test }] };
}

describe('step conditions', () => {
  it('memorized waits for every lane, grokked for any', () => {
    const lanes = [lane(600, 480, 590), lane(600, null, null)];
    expect(conditionMet({ kind: 'memorized' }, lanes)).toBe(false);
    expect(conditionMet({ kind: 'grokked' }, lanes)).toBe(true);
    expect(conditionMet({ kind: 'memorized' }, [lane(600, 480, null), lane(600, 520, null)])).toBe(true);
    expect(conditionStep({ kind: 'memorized' }, [lane(600, 480, null), lane(600, 520, null)])).toBe(520);
  });

  it('a step count holds when every lane reached it; a test accuracy when a lane’s latest did', () => {
    expect(conditionMet({ kind: 'step', step: 500 }, [lane(500, null, null), lane(450, null, null)])).toBe(
      false,
    );
    expect(conditionMet({ kind: 'step', step: 500 }, [lane(500, null, null)])).toBe(true);
    expect(conditionMet({ kind: 'testAccuracy', atLeast: 0.5 }, [lane(300, 100, null, 0.49)])).toBe(false);
    expect(conditionMet({ kind: 'testAccuracy', atLeast: 0.5 }, [lane(300, 100, null, 0.5)])).toBe(true);
  });

  it('nothing holds without lanes', () => {
    expect(conditionMet({ kind: 'step', step: 1 }, [])).toBe(false);
  });

  it('says what it waits for', () => {
    expect(describeCondition({ kind: 'memorized' })).toBe('memorized (train accuracy at the threshold)');
    expect(describeCondition({ kind: 'grokked' }, 2)).toBe(
      'grokked (test accuracy at the threshold in a lane)',
    );
    expect(describeCondition({ kind: 'step', step: 1500 }, 2)).toBe('step 1,500 in every lane');
    expect(describeCondition({ kind: 'testAccuracy', atLeast: 0.5 })).toBe('test accuracy ≥ 50%');
  });
});

describe('lanes that have stopped for good', () => {
  it('a finished lane does not hold up “every lane” conditions; one lane must still have reached it', () => {
    const finished = { ...lane(1000, 50, 700), stopped: true };
    expect(conditionMet({ kind: 'step', step: 1500 }, [finished, lane(1500, 50, null)])).toBe(true);
    expect(conditionMet({ kind: 'step', step: 1500 }, [finished, lane(1200, 50, null)])).toBe(false);
    expect(conditionMet({ kind: 'step', step: 1500 }, [finished])).toBe(false);
    expect(
      conditionMet({ kind: 'memorized' }, [{ ...lane(80, null, null), stopped: true }, lane(90, 60, null)]),
    ).toBe(true);
  });
});
