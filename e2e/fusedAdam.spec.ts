/**
 * The fused AdamW update (FAST_PATHS.fusedAdamWebGpu, src/engine/webgpuAdam.ts) in real Chromium on the webgpu
 * backend, driven through the harness page: the mlp preset trained with the switch off (the flat path's
 * elementwise kernels) and on, from the same seed, in one bench worker. SwiftShader's adapter here needs ~10 s
 * for a first step and ~1 s per step after, so the run is a handful of steps.
 */
import { expect, test } from '@playwright/test';
import { PRESETS } from '../src/engine/presets';
// The harness's `window.grokHarness` declaration, for the page.evaluate callbacks.
import type {} from '../src/harness/main';

const STEPS = 5;
/** The last steps of each run, counted by stepProfile.ts. */
const PROFILED = 2;
/** The flat path's update arithmetic is 13 elementwise kernels; the fused one is 3 programs. */
const SAVED_DISPATCHES = 10;

test('fused AdamW on WebGPU: the flat path’s losses and parameters in 10 fewer dispatches a step, no tensor leaked', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/harness.html');
  await page.waitForFunction(() => document.title.includes('(ready)'));

  const [flat, fused] = await page.evaluate(
    ([config, steps, profiled]) =>
      window.grokHarness.fastPaths(
        config,
        'webgpu',
        [{ fusedAdamWebGpu: false }, { fusedAdamWebGpu: true }],
        steps,
        profiled,
      ),
    [PRESETS.mlp.config, STEPS, PROFILED] as const,
  );
  expect(flat.fastPaths).toMatchObject({ flatOptimizer: true, fusedAdamWebGpu: false });
  expect(fused.fastPaths).toMatchObject({ flatOptimizer: true, fusedAdamWebGpu: true });

  for (const key of ['trainLoss', 'testLoss'] as const) {
    expect(Number.isFinite(flat[key]), key).toBe(true);
    expect(Math.abs(fused[key] - flat[key]), key).toBeLessThan(1e-4 * Math.max(1, Math.abs(flat[key])));
  }
  let largest = 0;
  for (const [name, reference] of Object.entries(flat.parameters)) {
    const values = fused.parameters[name];
    expect(values.length, name).toBe(reference.length);
    const worst = Math.max(...values.map((value, i) => Math.abs(value - reference[i])));
    // One AdamW step moves a weight by up to lr = 3e-3; a wrong scalar or moment shows far above this.
    expect(worst, `largest difference in ${name}`).toBeLessThan(1e-5);
    largest = Math.max(largest, worst);
  }
  test.info().annotations.push({
    type: 'fused vs flat after 5 steps',
    description: `|Δθ| ≤ ${largest.toExponential(2)}, Δ train loss ${(fused.trainLoss - flat.trainLoss).toExponential(2)}`,
  });

  const before = flat.profile.dispatchesPerStep!;
  const after = fused.profile.dispatchesPerStep!;
  test.info().annotations.push({
    type: 'dispatches per step (mlp, webgpu)',
    description: `${before} → ${after}; kernels ${flat.profile.kernelsPerStep} → ${fused.profile.kernelsPerStep}`,
  });
  expect(before - after).toBeGreaterThanOrEqual(SAVED_DISPATCHES);
  for (const run of [flat, fused]) {
    expect(run.profile.syncReadsPerStep).toBe(0);
    // The same number of live tensors after every step.
    expect(new Set(run.tensorsAfterStep).size, run.tensorsAfterStep.join(', ')).toBe(1);
  }
  expect(errors).toEqual([]);
});
