import { describe, expect, it } from 'vitest';
import { EvaluationSchedule, MAX_CHUNK_STEPS } from './evaluationSchedule';

describe('evaluation schedule of a session', () => {
  it('evaluates at once on a fresh run, after the last evaluation on a restored one', () => {
    const schedule = new EvaluationSchedule();
    schedule.restart(undefined, 100);
    expect(schedule).toMatchObject({ next: 0, lastEvaluated: -1 });
    schedule.restart(250, 100);
    expect(schedule).toMatchObject({ next: 300, lastEvaluated: 250 });
  });

  it('is due at the scheduled step, and at the target when that step is not evaluated yet', () => {
    const schedule = new EvaluationSchedule();
    schedule.restart(100, 100);
    expect(schedule.due(150, 1000)).toBe(false);
    expect(schedule.due(200, 1000)).toBe(true);
    expect(schedule.due(150, 150)).toBe(true);
    schedule.markEvaluated(150);
    expect(schedule.due(150, 150)).toBe(false);
  });

  it('schedules the next evaluation when one is recorded, and again after a training.* change', () => {
    const schedule = new EvaluationSchedule();
    schedule.restart(undefined, 50);
    schedule.markEvaluated(0);
    schedule.evaluated(0, 3, 50);
    expect(schedule.next).toBe(50);
    schedule.reschedule(20, 10);
    expect(schedule.next).toBe(10);
    const fresh = new EvaluationSchedule();
    fresh.restart(undefined, 50);
    fresh.reschedule(20, 10);
    expect(fresh.next).toBe(20); // nothing evaluated yet: evaluate where the run is
  });

  it('sizes chunks from the measured step time, ignoring the first (warm-up) chunk once a time is known', () => {
    const schedule = new EvaluationSchedule();
    schedule.restart(undefined, 1000);
    schedule.markEvaluated(0);
    schedule.evaluated(0, 1, 1000);
    expect(schedule.chunkSteps(0, 10_000, 80)).toBe(1); // no estimate yet: one step
    schedule.recordChunk(1, 40); // warm-up chunk: its time is the first estimate
    expect(schedule.msPerStep).toBe(40);
    expect(schedule.chunkSteps(1, 10_000, 80)).toBe(2);
    schedule.recordChunk(10, 10); // 1 ms/step, smoothed: 0.6·40 + 0.4·1
    expect(schedule.msPerStep).toBeCloseTo(24.4, 10);
    schedule.restart(0, 1000);
    schedule.recordChunk(1, 1000); // a new trainer warms up again: its first chunk sets the estimate
    schedule.recordChunk(1, 1000);
    expect(schedule.msPerStep).toBe(1000);
  });

  it('never runs past the next evaluation or the target, and caps a chunk', () => {
    const schedule = new EvaluationSchedule();
    schedule.restart(0, 100);
    schedule.recordChunk(1, 0.001);
    schedule.recordChunk(1, 0.001);
    expect(schedule.chunkSteps(90, 10_000, 80)).toBe(10);
    expect(schedule.chunkSteps(0, 7, 80)).toBe(7);
    const sparse = new EvaluationSchedule();
    sparse.restart(0, 1_000_000);
    sparse.recordChunk(1, 0.001);
    expect(sparse.chunkSteps(0, 1_000_000, 80)).toBe(MAX_CHUNK_STEPS);
  });
});
