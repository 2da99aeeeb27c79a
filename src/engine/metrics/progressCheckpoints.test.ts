import { describe, expect, it } from 'vitest';
import { ProgressCheckpoints } from './progressCheckpoints';

const table = (value: number, size = 10): Float32Array => new Float32Array(size).fill(value);

describe('ProgressCheckpoints', () => {
  it("keeps each evaluation's table, and thins evenly past its byte limit, keeping the first and the latest", () => {
    const keeper = new ProgressCheckpoints(8 * 40); // room for 8 tables of 10 floats
    for (let step = 0; step <= 2000; step += 100) keeper.add(step, table(step));
    expect(keeper.bytes).toBeLessThanOrEqual(8 * 40);
    const steps = keeper.steps;
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(2000);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(keeper.all.map((checkpoint) => checkpoint.logits[0])).toEqual(steps);
  });

  it('forgets what a rollback undid, and what a repeated step replaces', () => {
    const keeper = new ProgressCheckpoints();
    for (const step of [0, 50, 100, 150]) keeper.add(step, table(step));
    keeper.truncateAfter(60);
    expect(keeper.steps).toEqual([0, 50]);
    keeper.add(50, table(7));
    expect(keeper.steps).toEqual([0, 50]);
    keeper.clear();
    expect(keeper.steps).toEqual([]);
  });
});
