import { describe, expect, it } from 'vitest';
import { RATE_WINDOW_MS, StepRate } from './stepRate';

describe('steps per second', () => {
  it('is 0 until two samples, then steps over seconds', () => {
    const rate = new StepRate();
    expect(rate.perSecond()).toBe(0);
    rate.restart(0, 100);
    expect(rate.perSecond()).toBe(0);
    rate.sample(500, 150);
    expect(rate.perSecond()).toBe(100);
  });

  it('measures over the last ~window: old samples are dropped', () => {
    const rate = new StepRate();
    rate.restart(0, 0);
    rate.sample(1000, 1000); // 1000 steps/s at first…
    rate.sample(RATE_WINDOW_MS + 1000, 1100); // …then 50 steps/s
    rate.sample(2 * RATE_WINDOW_MS + 1000, 1200);
    expect(rate.perSecond()).toBe(50);
  });

  it('starts over on restart', () => {
    const rate = new StepRate();
    rate.restart(0, 0);
    rate.sample(1000, 10_000);
    rate.restart(2000, 500);
    rate.sample(3000, 510);
    expect(rate.perSecond()).toBe(10);
  });
});
