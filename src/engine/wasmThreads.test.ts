/**
 * tfjs-wasm's threaded build in Node (patches/@tensorflow+tfjs-backend-wasm+4.22.0.patch): it starts, XNNPACK
 * gets the threads asked for, a large matMul's work is split across them, and training gives the losses of the
 * single-threaded build (run in a child process: a process's wasm thread pool is fixed at start).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, type BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from './config';
import { oneHotProduct, simdOneHotProductAvailable } from './kernels/oneHotProduct';
import { simdKernels } from './kernels/simd/simdKernels';
import { startNodeBackend } from './node';
import { PRESETS } from './presets';
import type { MetricRecord } from './records';
import { Trainer } from './trainer';

const run = promisify(execFile);

beforeAll(async () => {
  const started = await startNodeBackend('wasm', { wasmThreads: 2 });
  expect(started.backend).toBe('wasm');
}, 60_000);

/** CPU milliseconds per thread of this process (Linux). */
function threadCpuMs(): Map<string, number> {
  const times = new Map<string, number>();
  for (const task of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, in clock ticks (100 per second on Linux).
    times.set(task, (Number(fields[11]) + Number(fields[12])) * 10);
  }
  return times;
}

describe('wasm threads in Node', () => {
  it('XNNPACK has 2 threads', () => {
    expect(getThreadsCount()).toBe(2);
  });

  it("the lab's WebAssembly SIMD kernels run on the threaded build's shared memory", () => {
    const backend = tf.backend() as BackendWasm;
    expect(simdKernels(backend)).not.toBeNull();
    expect(simdOneHotProductAvailable()).toBe(true);
    const x = tf.tensor2d([
      [1, 0, 0, 1],
      [0, 1, 1, 0],
    ]);
    const w = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], [4, 5]);
    expect(Array.from(oneHotProduct(x, w, null, false).dataSync())).toEqual(
      Array.from(tf.matMul(x, w).dataSync()),
    );
    tf.dispose([x, w]);
  });

  it.skipIf(!existsSync('/proc/self/task'))('a large matMul runs on two threads', () => {
    const a = tf.randomNormal([1024, 512]);
    const b = tf.randomNormal([512, 512]);
    const before = threadCpuMs();
    for (let i = 0; i < 20; i++) {
      const product = tf.matMul(a, b);
      product.dataSync();
      product.dispose();
    }
    const after = threadCpuMs();
    tf.dispose([a, b]);
    const busy = [...after].map(([task, ms]) => ms - (before.get(task) ?? 0)).sort((x, y) => y - x);
    const total = busy.reduce((sum, ms) => sum + ms, 0);
    // Work stealing may shift the split on a loaded machine, but both threads take a real share.
    expect(busy[1] / total).toBeGreaterThan(0.1);
  });

  it('mlp preset, 6 steps: the single-threaded build’s losses', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wasm-threads-')), 'run.json');
    await run(
      'npx',
      [
        'tsx',
        'scripts/train.ts',
        '--preset',
        'mlp',
        '--steps',
        '6',
        '--eval-every',
        '3',
        '--quiet',
        '--out',
        out,
      ],
      { timeout: 120_000 },
    );
    const single = (JSON.parse(readFileSync(out, 'utf8')) as { history: MetricRecord[] }).history;

    const resolved = resolveConfig(PRESETS.mlp.config);
    if (!resolved.ok) throw new Error('mlp preset is invalid');
    const trainer = new Trainer(resolved.config);
    const threaded: MetricRecord[] = [];
    try {
      for (let step = 0; step < 6; step++) {
        if (step % 3 === 0) threaded.push((await trainer.evaluate()).record);
        trainer.trainStep();
      }
      threaded.push((await trainer.evaluate()).record);
    } finally {
      trainer.dispose();
    }
    expect(threaded.map((r) => r.step)).toEqual(single.map((r) => r.step));
    threaded.forEach((record, i) => {
      for (const key of ['trainLoss', 'testLoss', 'weightNorm'] as const) {
        expect(
          Math.abs(record[key] - single[i][key]) / Math.max(1, Math.abs(single[i][key])),
          key,
        ).toBeLessThan(1e-5);
      }
    });
  }, 180_000);
});
