import { describe, expect, it } from 'vitest';
import { bestOf, formatStepMs, loadsOf, timeNodeBlock, type BlockTiming } from './stepBlocks';

const rounds: BlockTiming[] = [
  { msPerStep: 7, cpuMsPerStep: 6, load: 0.4 },
  { msPerStep: 5, cpuMsPerStep: 8, load: 1.26 },
];

describe('kernel-tax step blocks', () => {
  it('takes the minimum over rounds of each figure on its own, NaN when nothing was timed', () => {
    expect(bestOf(rounds, 'msPerStep')).toBe(5);
    expect(bestOf(rounds, 'cpuMsPerStep')).toBe(6);
    expect(bestOf([], 'msPerStep')).toBeNaN();
  });

  it("runs the block's steps and divides its time by them", () => {
    let steps = 0;
    const timing = timeNodeBlock({ trainStep: () => void (steps += 1) }, 12);
    expect(steps).toBe(12);
    expect(timing.msPerStep).toBeGreaterThanOrEqual(0);
    expect(timing.cpuMsPerStep).toBeGreaterThanOrEqual(0);
  });

  it('prints loads and step times as the tables do', () => {
    expect(loadsOf(rounds)).toBe('0.4 1.3');
    expect(formatStepMs(5.214)).toBe('5.21');
    expect(formatStepMs(447.6)).toBe('448');
    expect(formatStepMs(NaN)).toBe('—');
  });
});
