/**
 * Bench-only worker: times training steps of a config on one backend, in the same worker environment as the
 * training worker (same backend registration and wasm paths). A fresh worker per measurement, so tfjs flags
 * that are read when a backend initializes (e.g. WASM_HAS_MULTITHREAD_SUPPORT) take effect.
 */
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as Comlink from 'comlink';
import type { BackendName } from '../engine/backend';
import { resolveConfig } from '../engine/config';
import { FAST_PATHS, type FastPath } from '../engine/fastPaths';
import { Trainer } from '../engine/trainer';
import { timeSteps, type StepTiming, type TimingLimits } from '../engine/backendChoice';
import { createBrowserHost } from '../worker/browserBackends';
import { requestWasmThreads } from '../worker/wasmThreads';
import { simdKernelsActive } from '../engine/kernels/simd/simdKernels';
import { profileSteps, type StepProfile } from './stepProfile';

export interface BenchResult extends StepTiming {
  backend: BackendName;
  /** What inspect() says (software adapter / renderer), if anything. */
  device: string | null;
  flags: Record<string, unknown>;
  /** Kernel / dispatch / read-back counts per step, when asked for (profileSteps > 0). */
  profile: StepProfile | null;
}

/** One run of train(): what a fast path must leave unchanged (losses, parameters) and what it should cut. */
export interface FastPathRun {
  fastPaths: Record<FastPath, boolean>;
  /** Kernel / dispatch counts over the run's last steps. */
  profile: StepProfile;
  /** tf.memory().numTensors after each step. */
  tensorsAfterStep: number[];
  trainLoss: number;
  testLoss: number;
  parameters: Record<string, Float32Array>;
}

/** Which tfjs-wasm binary a worker runs, and on how many XNNPACK threads. */
export interface WasmBuild {
  /** 'threaded-simd', 'simd' or 'plain': what tfjs-wasm's init loads for these two flags. */
  build: string;
  threads: number;
  crossOriginIsolated: boolean;
  flags: Record<string, unknown>;
  /** Wall ms from asking for wasm to its backend being ready (a fresh worker: fetch, compile, thread pool). */
  startMs: number;
  /** Whether the lab's WebAssembly SIMD kernels run on this backend's memory (kernels/simd/simdKernels.ts). */
  simdKernels: boolean;
}

/** How a bench worker starts wasm, beyond tfjs flags. */
export interface BlockSetup {
  /**
   * navigator.hardwareConcurrency as this worker's wasm glue will read it: tfjs-wasm's threaded build sizes its
   * XNNPACK pool by it (half, capped at 8) when setThreadsCount was not called — to see what a training worker
   * does on a machine with more logical cores than this one.
   */
  reportCores?: number;
  /** XNNPACK threads asked for as the training worker asks for them (requestWasmThreads), before wasm starts. */
  labThreads?: number;
}

/** The trainers openBlocks made, one per config, kept between calls so blocks run on warm code. */
let blockTrainers: Trainer[] = [];

const api = {
  /**
   * Starts wasm in this worker (with `flags` set first: a fresh worker decides its build here) and makes one
   * trainer per config, for timeBlock. bench/pageVsNode.ts keeps the worker for a whole run, as Node keeps its
   * process, so both are timed warm.
   */
  async openBlocks(
    configs: unknown[],
    flags: Record<string, number | boolean> = {},
    setup: BlockSetup = {},
  ): Promise<WasmBuild> {
    for (const [flag, value] of Object.entries(flags)) tf.env().set(flag, value);
    if (setup.reportCores !== undefined)
      Object.defineProperty(navigator, 'hardwareConcurrency', {
        value: setup.reportCores,
        configurable: true,
      });
    if (setup.labThreads !== undefined) requestWasmThreads(setup.labThreads, self, { setThreadsCount });
    const started = performance.now();
    await createBrowserHost().activate('wasm');
    const startMs = performance.now() - started;
    blockTrainers = configs.map((config) => {
      const resolved = resolveConfig(config);
      if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
      return new Trainer(resolved.config);
    });
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threaded = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    return {
      build: threaded && simd ? 'threaded-simd' : simd ? 'simd' : 'plain',
      threads: getThreadsCount(),
      crossOriginIsolated: self.crossOriginIsolated,
      flags: { WASM_HAS_SIMD_SUPPORT: simd, WASM_HAS_MULTITHREAD_SUPPORT: threaded },
      startMs,
      simdKernels: simdKernelsActive(),
    };
  },

  /**
   * `steps` back-to-back steps of trainer `index`, timed here (no message round trip inside the block), as
   * bench/lib/stepBlocks.ts times a block in Node. Returns wall ms per step.
   */
  async timeBlock(index: number, steps: number): Promise<number> {
    const trainer = blockTrainers[index];
    const started = performance.now();
    for (let i = 0; i < steps; i++) trainer.trainStep();
    await trainer.settle();
    return (performance.now() - started) / steps;
  },

  closeBlocks(): void {
    blockTrainers.forEach((trainer) => trainer.dispose());
    blockTrainers = [];
  },

  async measure(
    config: unknown,
    backend: BackendName,
    limits: TimingLimits,
    flags: Record<string, number | boolean> = {},
    profile = 0,
  ): Promise<BenchResult> {
    const resolved = resolveConfig(config);
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
    for (const [flag, value] of Object.entries(flags)) tf.env().set(flag, value);
    const host = createBrowserHost();
    const info = await host.inspect?.(backend).catch(() => null);
    await host.activate(backend);
    const trainer = new Trainer(resolved.config);
    try {
      const timing = await timeSteps(trainer, performance, limits);
      const stepProfile = profile > 0 ? await profileSteps(trainer, profile) : null;
      const effective: Record<string, unknown> = {};
      for (const flag of ['WASM_HAS_MULTITHREAD_SUPPORT', 'WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD']) {
        if (tf.env().getFlags()[flag] !== undefined) effective[flag] = tf.env().getFlags()[flag];
      }
      return {
        ...timing,
        backend,
        device: info ? `${info.description}${info.software ? ' (software)' : ''}` : null,
        flags: effective,
        profile: stepProfile,
      };
    } finally {
      trainer.dispose();
    }
  },

  /**
   * Trains `steps` steps of `config` on `backend` with the fast-path switches `paths` (the others at their
   * defaults; restored after), profiling the last `profile` of them (≥ 1), then evaluates once.
   */
  async train(
    config: unknown,
    backend: BackendName,
    paths: Partial<Record<FastPath, boolean>>,
    steps: number,
    profile: number,
  ): Promise<FastPathRun> {
    const resolved = resolveConfig(config);
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
    await createBrowserHost().activate(backend);
    const saved = { ...FAST_PATHS };
    Object.assign(FAST_PATHS, paths);
    const trainer = new Trainer(resolved.config);
    try {
      const tensorsAfterStep: number[] = [];
      for (let step = profile; step < steps; step++) {
        trainer.trainStep();
        await trainer.settle();
        tensorsAfterStep.push(tf.memory().numTensors);
      }
      const stepProfile = await profileSteps(trainer, profile);
      tensorsAfterStep.push(tf.memory().numTensors);
      const { record } = await trainer.evaluate();
      const { parameters } = await trainer.getState();
      return {
        fastPaths: { ...FAST_PATHS },
        profile: stepProfile,
        tensorsAfterStep,
        trainLoss: record.trainLoss,
        testLoss: record.testLoss,
        parameters,
      };
    } finally {
      trainer.dispose();
      Object.assign(FAST_PATHS, saved);
    }
  },
};

export type BenchApi = typeof api;

Comlink.expose(api);
