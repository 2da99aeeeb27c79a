import { describe, expect, it } from 'vitest';
import type { BackendReport } from './protocol';
import {
  MAX_WASM_THREADS,
  requestWasmThreads,
  threadsFromWorkerName,
  trainingWorkerName,
  wasmThreadsForRun,
  wasmThreadsPerLane,
  THREADS_FROM_MS_PER_STEP,
  withThreads,
} from './wasmThreads';

describe('wasmThreadsPerLane', () => {
  it('gives one lane every core and a race one core per lane, every lane alike', () => {
    expect(wasmThreadsPerLane(2, 1)).toBe(2);
    expect(wasmThreadsPerLane(2, 2)).toBe(1);
    expect(wasmThreadsPerLane(8, 2)).toBe(4);
    expect(wasmThreadsPerLane(6, 4)).toBe(1);
    expect(wasmThreadsPerLane(2, 3)).toBe(1);
  });

  it('never asks for fewer than one or more than the pthread pool holds', () => {
    expect(wasmThreadsPerLane(undefined, 1)).toBe(1);
    expect(wasmThreadsPerLane(0, 1)).toBe(1);
    expect(wasmThreadsPerLane(Number.NaN, 1)).toBe(1);
    expect(wasmThreadsPerLane(64, 1)).toBe(MAX_WASM_THREADS);
    expect(wasmThreadsPerLane(4, 0)).toBe(4);
  });
});

describe('the worker name carries the thread count', () => {
  it('round-trips', () => {
    for (const threads of [1, 2, 4, MAX_WASM_THREADS]) {
      expect(threadsFromWorkerName(trainingWorkerName(threads))).toBe(threads);
    }
    expect(trainingWorkerName(1)).toBe('training');
  });

  it('reads 1 from any other name and caps what it reads', () => {
    expect(threadsFromWorkerName(undefined)).toBe(1);
    expect(threadsFromWorkerName('')).toBe(1);
    expect(threadsFromWorkerName('bench')).toBe(1);
    expect(threadsFromWorkerName('training wasm-threads=0')).toBe(1);
    expect(threadsFromWorkerName('training wasm-threads=999')).toBe(MAX_WASM_THREADS);
  });
});

describe('requestWasmThreads', () => {
  const scope = (isolated: boolean) => ({
    navigator: { hardwareConcurrency: 2 },
    crossOriginIsolated: isolated,
  });

  it('doubles the cores the wasm glue sees (it halves them) and asks for the threads', () => {
    const asked: number[] = [];
    const isolated = scope(true);
    expect(requestWasmThreads(2, isolated, { setThreadsCount: (n) => asked.push(n) })).toBe(2);
    expect(asked).toEqual([2]);
    expect(isolated.navigator.hardwareConcurrency).toBe(4);
  });

  it('gives the threads asked for on a machine with fewer cores (the page never asks for more than it has)', () => {
    const oneCore = { navigator: { hardwareConcurrency: 1 }, crossOriginIsolated: true };
    requestWasmThreads(2, oneCore, { setThreadsCount: () => undefined });
    expect(oneCore.navigator.hardwareConcurrency).toBe(4);
  });

  it('asks for exactly one thread when one is wanted (tfjs would take half the logical cores), the cores untouched', () => {
    const asked: number[] = [];
    const eightCores = { navigator: { hardwareConcurrency: 8 }, crossOriginIsolated: true };
    expect(requestWasmThreads(1, eightCores, { setThreadsCount: (n) => asked.push(n) })).toBe(1);
    expect(asked).toEqual([1]);
    expect(eightCores.navigator.hardwareConcurrency).toBe(8);
  });

  it('changes nothing on a page that is not cross-origin isolated (the threaded build cannot load)', () => {
    const asked: number[] = [];
    for (const threads of [1, 2]) {
      const target = scope(false);
      expect(requestWasmThreads(threads, target, { setThreadsCount: (n) => asked.push(n) })).toBe(1);
      expect(target.navigator.hardwareConcurrency).toBe(2);
    }
    expect(asked).toEqual([]);
  });
});

describe('withThreads', () => {
  const report: BackendReport = {
    backend: 'wasm',
    choice: 'wasm',
    skipped: [],
    measuredMsPerStep: {},
    summary: 'Using WASM (forced).',
  };

  it('names the threads of a threaded wasm backend', () => {
    expect(withThreads(report, 2)).toMatchObject({ threads: 2, summary: 'Using WASM (forced) (2 threads).' });
  });

  it('leaves one thread and other backends alone', () => {
    expect(withThreads(report, 1)).toBe(report);
    const webgl = { ...report, backend: 'webgl' as const };
    expect(withThreads(webgl, 2)).toBe(webgl);
  });
});

describe('wasmThreadsForRun', () => {
  it('gives threads only to runs big enough to gain from them (classic-sized)', () => {
    expect(wasmThreadsForRun(2, 1, 320)).toBe(2);
    expect(wasmThreadsForRun(2, 2, 320)).toBe(1);
    expect(wasmThreadsForRun(2, 1, 34)).toBe(1);
    expect(wasmThreadsForRun(2, 1, THREADS_FROM_MS_PER_STEP)).toBe(2);
  });
});
