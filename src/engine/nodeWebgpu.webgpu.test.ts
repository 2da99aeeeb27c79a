/**
 * WebGPU in Node (Dawn, nodeWebgpu.ts) against wasm: the same seed gives the same losses within float tolerance,
 * and a step leaves no tensor behind. CI has no GPU: it runs on Chromium's SwiftShader Vulkan driver (CI installs
 * Debian's chromium), ≈ 70× slower than wasm, so a handful of steps on the mlp preset. Skipped only where that
 * driver is absent (said so on stderr); any other failure to create the adapter fails the test with its reason.
 */
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from './config';
import { initNodeBackend, startNodeBackend } from './node';
import { sumOfSquares } from './metrics/norms';
import { installNodeWebGpu, SWIFTSHADER_ICD, WebGpuUnavailableError } from './nodeWebgpu';
import { PRESETS } from './presets';
import type { MetricRecord } from './records';
import { Trainer } from './trainer';

const STEPS = 6;
const EVERY = 3;

interface Curve {
  records: MetricRecord[];
  /** tf.memory().numTensors after each step past the first (settled). */
  tensorsAfterStep: number[];
}

async function curve(): Promise<Curve> {
  const resolved = resolveConfig(PRESETS.mlp.config);
  if (!resolved.ok) throw new Error('mlp preset is invalid');
  const trainer = new Trainer(resolved.config);
  const records: MetricRecord[] = [];
  const tensorsAfterStep: number[] = [];
  try {
    for (let step = 0; step < STEPS; step++) {
      if (step % EVERY === 0) records.push((await trainer.evaluate()).record);
      trainer.trainStep();
      await trainer.settle();
      if (step > 0) tensorsAfterStep.push(tf.memory().numTensors);
    }
    records.push((await trainer.evaluate()).record);
    return { records, tensorsAfterStep };
  } finally {
    trainer.dispose();
  }
}

describe('Dawn as an optional package', () => {
  it('a missing package is a WebGpuUnavailableError that says what to install', async () => {
    const attempt = installNodeWebGpu({ packageName: 'webgpu-package-that-is-not-installed' });
    await expect(attempt).rejects.toBeInstanceOf(WebGpuUnavailableError);
    await expect(attempt).rejects.toThrow(/npm install --save-optional webgpu@/);
    // And the wasm path is untouched by the failed attempt.
    expect(await initNodeBackend()).toBe('wasm');
  });
});

const swiftShader = existsSync(SWIFTSHADER_ICD);
if (!swiftShader) {
  console.warn(
    `nodeWebgpu.webgpu.test: skipping the WebGPU run: ${SWIFTSHADER_ICD} is absent (apt-get install -y chromium)`,
  );
}

describe.skipIf(!swiftShader)('WebGPU in Node (SwiftShader) trains like wasm', () => {
  let wasm: Curve;
  beforeAll(async () => {
    await initNodeBackend();
    wasm = await curve();
  }, 120_000);

  it(`mlp preset, ${STEPS} steps from one seed: the same losses, no tensor left behind`, async () => {
    // Throws with the reason (no adapter, missing package) rather than skipping: CI must exercise this path.
    const started = await startNodeBackend('webgpu', { webgpuAdapter: 'swiftshader' });
    expect(started.backend).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(started.webgpu?.software).toBe(true);
    const webgpu = await curve();
    await initNodeBackend(); // leave wasm active for whatever runs next in this worker

    expect(webgpu.records.map((r) => r.step)).toEqual(wasm.records.map((r) => r.step));
    webgpu.records.forEach((record, i) => {
      const reference = wasm.records[i];
      for (const key of ['trainLoss', 'testLoss', 'weightNorm'] as const) {
        const scale = Math.max(1, Math.abs(reference[key]));
        expect(Math.abs(record[key] - reference[key]) / scale, `${key} at step ${record.step}`).toBeLessThan(
          1e-3,
        );
      }
      expect(Math.abs(record.trainAccuracy - reference.trainAccuracy)).toBeLessThanOrEqual(0.01);
    });
    // The run moved (not trivially equal).
    expect(wasm.records.at(-1)!.trainLoss).toBeLessThan(wasm.records[0].trainLoss);
    // Flat: every step after the first leaves the same number of tensors.
    expect(new Set(webgpu.tensorsAfterStep).size).toBe(1);
  }, 300_000);

  it('sums more tensors than a WebGPU shader stage can bind (the weight norm of a transformer)', async () => {
    // tfjs-webgpu binds each AddN input as a storage buffer; a device allows 8 per stage by default. Past that the
    // pipeline is invalid and Dawn drops the batch: the weight norm silently read 0.
    await startNodeBackend('webgpu', { webgpuAdapter: 'swiftshader' });
    try {
      const tensors = Array.from({ length: 12 }, (_, i) => tf.fill([3], i + 1));
      const expected = 3 * tensors.reduce((sum, _, i) => sum + (i + 1) ** 2, 0);
      const total = sumOfSquares(tensors);
      expect((await total.data())[0]).toBeCloseTo(expected, 2);
      tf.dispose([...tensors, total]);
    } finally {
      await initNodeBackend();
    }
  }, 120_000);
});
