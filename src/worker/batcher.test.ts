import { describe, expect, it } from 'vitest';
import { MetricBatcher, type Progress } from './batcher';
import type { Clock } from './clock';
import type { MetricBatch } from './protocol';
import { fakeRecord } from './testing/fakes';

/** A clock whose timers fire only when the test advances time. */
class ManualClock implements Pick<Clock, 'now' | 'setTimer'> {
  time = 0;
  private timers: { at: number; callback: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, ms: number): () => void {
    const timer = { at: this.time + ms, callback, cancelled: false };
    this.timers.push(timer);
    return () => (timer.cancelled = true);
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = due.at;
      due.cancelled = true;
      due.callback();
    }
    this.time = end;
  }
}

const progress = (step: number, status: Progress['status'] = 'running'): Progress => ({
  status,
  step,
  stepsPerSecond: 100,
  backend: 'wasm',
});

function setup(intervalMs = 100) {
  const clock = new ManualClock();
  const batcher = new MetricBatcher(clock, intervalMs);
  const sent: { batch: MetricBatch; transfer: ArrayBuffer[] }[] = [];
  batcher.connect((batch, transfer) => sent.push({ batch, transfer }));
  return { clock, batcher, sent };
}

describe('MetricBatcher', () => {
  it('coalesces everything produced together into one batch', () => {
    const { clock, batcher, sent } = setup();
    batcher.setProgress(progress(10));
    batcher.addRecord(fakeRecord(5, 1));
    batcher.addRecord(fakeRecord(10, 0.5));
    batcher.addEvents([{ step: 10, regularizer: 'optimizer', path: 'optimizer.lr', from: 0.001, to: 0.002 }]);
    batcher.setPredictions(Int32Array.of(1, 2));
    batcher.setPredictions(Int32Array.of(3, 4)); // only the newest is kept
    batcher.addMessage('first');
    batcher.addMessage('second');
    expect(sent).toHaveLength(0); // deferred to a timer, never sent synchronously
    clock.advance(0);
    expect(sent).toHaveLength(1);
    const { batch, transfer } = sent[0];
    expect(batch.step).toBe(10);
    expect(batch.records.map((r) => r.step)).toEqual([5, 10]);
    expect(batch.events).toHaveLength(1);
    expect(Array.from(batch.predictions!)).toEqual([3, 4]);
    expect(batch.message).toBe('first\nsecond');
    expect(batch.rewoundTo).toBeNull();
    expect(transfer).toEqual([batch.predictions!.buffer]);
  });

  it('sends at most once per interval however often the run reports', () => {
    const { clock, batcher, sent } = setup(100);
    for (let step = 1; step <= 1000; step++) {
      batcher.setProgress(progress(step));
      if (step % 10 === 0) batcher.addRecord(fakeRecord(step, 1));
      clock.advance(1); // 1000 updates over one second
    }
    clock.advance(100);
    expect(sent.length).toBeGreaterThanOrEqual(9);
    expect(sent.length).toBeLessThanOrEqual(11);
    // Nothing is lost: every record arrives exactly once, in order.
    const steps = sent.flatMap(({ batch }) => batch.records.map((r) => r.step));
    expect(steps).toEqual(Array.from({ length: 100 }, (_, i) => (i + 1) * 10));
    expect(sent.at(-1)!.batch.step).toBe(1000);
  });

  it('stays silent while nothing changes', () => {
    const { clock, batcher, sent } = setup();
    batcher.setProgress(progress(3, 'paused'));
    clock.advance(500);
    expect(sent).toHaveLength(1);
    batcher.setProgress(progress(3, 'paused'));
    clock.advance(500);
    expect(sent).toHaveLength(1);
  });

  it('holds content until a receiver connects, then sends it at once', () => {
    const clock = new ManualClock();
    const batcher = new MetricBatcher(clock, 100);
    batcher.setProgress(progress(1));
    batcher.addRecord(fakeRecord(1, 1));
    clock.advance(1000);
    const sent: MetricBatch[] = [];
    batcher.connect((batch) => sent.push(batch));
    expect(sent).toHaveLength(1);
    expect(sent[0].records).toHaveLength(1);
  });

  it('drops pending records after a rewind step and marks the batch', () => {
    const { clock, batcher, sent } = setup();
    batcher.setProgress(progress(30));
    batcher.addRecord(fakeRecord(10, 1));
    batcher.addRecord(fakeRecord(20, 1));
    batcher.addEvents([{ step: 25, regularizer: 'optimizer', path: 'optimizer.lr', from: 1, to: 2 }]);
    batcher.rewind(15);
    clock.advance(0);
    expect(sent[0].batch.rewoundTo).toBe(15);
    expect(sent[0].batch.records.map((r) => r.step)).toEqual([10]);
    expect(sent[0].batch.events).toEqual([]);
  });

  it('discard forgets everything pending (a new run)', () => {
    const { clock, batcher, sent } = setup();
    batcher.setProgress(progress(30));
    batcher.addRecord(fakeRecord(10, 1));
    batcher.discard();
    clock.advance(1000);
    expect(sent).toHaveLength(0);
    batcher.setProgress(progress(0, 'idle'));
    clock.advance(1000);
    expect(sent).toHaveLength(1);
    expect(sent[0].batch.records).toEqual([]);
  });
});
