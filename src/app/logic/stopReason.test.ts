import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../engine/config';
import { GROUP } from './format';
import { stopReason } from './stopReason';

describe('stopReason', () => {
  it('names the auto-stop after grokking', () => {
    const training = { ...DEFAULT_CONFIG.training, stopAfterGrok: 500 };
    expect(stopReason(1500, training, 1000)).toMatch(/^Stopped 500 steps after grokking/);
  });

  it('names the step budget otherwise', () => {
    expect(stopReason(20_000, DEFAULT_CONFIG.training, null)).toBe(
      `Reached the step budget (20${GROUP}000). Raise it under Optimizer & run to continue.`,
    );
  });
});
