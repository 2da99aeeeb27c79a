/**
 * Bench instrumentation (not used by the app): counts what one training step asks of the backend — tfjs kernels
 * (engine.runKernel calls, gradients included), GPU program dispatches (WebGPU/WebGL), synchronous and
 * asynchronous read-backs — and splits its wall time into issuing work and waiting for it (settle()). Patches
 * the engine and backend instances for the duration of one call and restores them.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface StepProfile {
  steps: number;
  /** engine.runKernel calls per step (every backend). */
  kernelsPerStep: number;
  /** GPU programs run per step (runWebGPUProgram / runWebGLProgram); null on CPU backends. */
  dispatchesPerStep: number | null;
  /** dataSync-style reads per step on the training path (should be 0). */
  syncReadsPerStep: number;
  /** Asynchronous reads per step (settle() reads one element per batch of steps). */
  asyncReadsPerStep: number;
  /** Wall time spent issuing the steps (the whole step on wasm/cpu, which run synchronously). */
  issueMsPerStep: number;
  /** Wall time of the one settle() after the steps, per step (GPU backends: waiting for queued work). */
  settleMsPerStep: number;
  /** One read-back with nothing queued: the latency every settle() and evaluation pays at least once. */
  idleReadbackMs: number;
}

interface Profilable {
  trainStep(): void;
  settle(): Promise<void>;
}

type Method = (...args: unknown[]) => unknown;

/** Replaces `object[key]` with a counting wrapper; returns the restore function. */
function count(object: object, key: string, onCall: () => void): () => void {
  const target = object as Record<string, unknown>;
  const original = target[key];
  if (typeof original !== 'function') return () => {};
  const own = Object.prototype.hasOwnProperty.call(object, key);
  target[key] = function (this: unknown, ...args: unknown[]) {
    onCall();
    return (original as Method).apply(this, args);
  };
  return () => {
    if (own) target[key] = original;
    else delete target[key];
  };
}

/** Runs `steps` training steps (after the caller's warm-up) under counters; one settle() at the end. */
export async function profileSteps(trainer: Profilable, steps: number): Promise<StepProfile> {
  const backend = tf.backend() as object;
  const counts = { kernels: 0, dispatches: 0, syncReads: 0, asyncReads: 0 };
  const gpuMethod = ['runWebGPUProgram', 'runWebGLProgram'].find(
    (name) => typeof (backend as Record<string, unknown>)[name] === 'function',
  );
  await trainer.settle();
  const restore = [
    count(tf.engine(), 'runKernel', () => counts.kernels++),
    gpuMethod ? count(backend, gpuMethod, () => counts.dispatches++) : () => {},
    count(backend, 'readSync', () => counts.syncReads++),
    count(backend, 'read', () => counts.asyncReads++),
  ];
  let issueMs: number;
  let settleMs: number;
  try {
    const started = performance.now();
    for (let i = 0; i < steps; i++) trainer.trainStep();
    const issued = performance.now();
    await trainer.settle();
    issueMs = issued - started;
    settleMs = performance.now() - issued;
  } finally {
    for (const undo of restore) undo();
  }
  const idleStarted = performance.now();
  await trainer.settle();
  const idleReadbackMs = performance.now() - idleStarted;
  return {
    steps,
    kernelsPerStep: counts.kernels / steps,
    dispatchesPerStep: gpuMethod ? counts.dispatches / steps : null,
    syncReadsPerStep: counts.syncReads / steps,
    // settle() reads once per batch of steps: that read is not the step's.
    asyncReadsPerStep: Math.max(0, counts.asyncReads - 1) / steps,
    issueMsPerStep: issueMs / steps,
    settleMsPerStep: settleMs / steps,
    idleReadbackMs,
  };
}
