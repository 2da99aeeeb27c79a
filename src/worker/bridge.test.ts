import { describe, expect, it } from 'vitest';
import { forwardCalls, Listeners, TRAINING_CALLS, type CallTarget } from './bridge';
const NOT_OK = { ok: false as const, issues: [{ path: '', message: 'fake' }] };

/** A target whose calls record their name, arguments and `this`; rollbackPoints answers synchronously. */
class RecordingTarget implements CallTarget {
  readonly calls: { name: string; args: unknown[]; self: unknown }[] = [];
  constructor(readonly label: string) {}
  private record(name: string, args: unknown[]): void {
    this.calls.push({ name, args, self: this });
  }
  async init(...args: unknown[]) {
    this.record('init', args);
    return NOT_OK;
  }
  async start() {
    this.record('start', []);
  }
  async pause() {
    this.record('pause', []);
  }
  async step(count: number) {
    this.record('step', [count]);
  }
  async reset(...args: unknown[]) {
    this.record('reset', args);
    return NOT_OK;
  }
  async update(...args: unknown[]) {
    this.record('update', args);
    return NOT_OK;
  }
  async snapshot(): Promise<never> {
    throw new Error('no run to snapshot');
  }
  async restore(...args: unknown[]) {
    this.record('restore', args);
    return NOT_OK;
  }
  async rollback(...args: unknown[]) {
    this.record('rollback', args);
    return NOT_OK;
  }
  rollbackPoints() {
    this.record('rollbackPoints', []);
    return [0, 10];
  }
  debugMemory(): null {
    throw new Error('no memory report here');
  }
  async progressAnalysis() {
    this.record('progressAnalysis', []);
    return null;
  }
  async keepIn(...args: unknown[]) {
    this.record('keepIn', args);
  }
}

describe('worker bridge', () => {
  it('forwards every call with its arguments, as a method of the target', async () => {
    const target = new RecordingTarget('a');
    const calls = forwardCalls(() => target);
    expect(Object.keys(calls).sort()).toEqual([...TRAINING_CALLS].sort());
    await calls.init({ task: {} }, 'wasm');
    await calls.step(5);
    await calls.rollback(10, 0.5);
    expect(target.calls).toEqual([
      { name: 'init', args: [{ task: {} }, 'wasm'], self: target },
      { name: 'step', args: [5], self: target },
      { name: 'rollback', args: [10, 0.5], self: target },
    ]);
  });

  it('answers with promises: synchronous results resolve, synchronous throws reject', async () => {
    const calls = forwardCalls(() => new RecordingTarget('a'));
    const points = calls.rollbackPoints();
    expect(points).toBeInstanceOf(Promise);
    expect(await points).toEqual([0, 10]);
    await expect(calls.debugMemory()).rejects.toThrow('no memory report here');
    await expect(calls.snapshot()).rejects.toThrow('no run to snapshot');
  });

  it('runs each call through the hook, and reads the target only when the hook lets the call through', async () => {
    let current = new RecordingTarget('old');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const hooked: string[] = [];
    const calls = forwardCalls(
      () => current,
      async (invoke) => {
        hooked.push('waiting');
        await gate;
        return invoke();
      },
    );
    const started = calls.start();
    const old = current;
    current = new RecordingTarget('new'); // e.g. a supervisor replaced the worker while the call waited
    release();
    await started;
    expect(hooked).toEqual(['waiting']);
    expect(old.calls).toEqual([]);
    expect(current.calls.map((call) => call.name)).toEqual(['start']);
  });

  it('a hook can end a call another way (a dead worker rejects what is in flight)', async () => {
    const calls = forwardCalls(
      () => new RecordingTarget('a'),
      () => Promise.reject(new Error('the training worker stopped (crash)')),
    );
    await expect(calls.pause()).rejects.toThrow('the training worker stopped');
  });

  it('listeners: each added one hears every value until removed', () => {
    const listeners = new Listeners<number>();
    const heard: string[] = [];
    const removeA = listeners.add((value) => heard.push(`a${value}`));
    listeners.add((value) => heard.push(`b${value}`));
    listeners.emit(1);
    removeA();
    listeners.emit(2);
    expect(heard).toEqual(['a1', 'b1', 'b2']);
  });
});
