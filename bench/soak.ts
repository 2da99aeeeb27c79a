/**
 * `npm run bench:soak`: a long headless run (small MLP, Node, wasm) that watches for leaks. Every SAMPLE_EVERY
 * steps it records tf.memory().numTensors / numBytes and process.memoryUsage() (after a GC when Node runs with
 * --expose-gc, as the npm script does). Reports whether the tensor count stays constant and how fast the JS heap
 * grows (least-squares slope over the samples after the warm-up, MB per 10k steps). Writes
 * bench/results/soak.json.
 *
 *   npm run bench:soak                      # 100 000 steps
 *   npm run bench:soak -- --steps 20000 --sample-every 500 --eval-every 1000
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { resolveConfig } from '../src/engine/config';
import { initNodeBackend } from '../src/engine/node';
import { Trainer } from '../src/engine/trainer';

export interface SoakSample {
  step: number;
  numTensors: number;
  numBytes: number;
  heapUsedMb: number;
  rssMb: number;
  elapsedS: number;
}

export interface SoakReport {
  steps: number;
  sampleEvery: number;
  evalEvery: number;
  backend: string;
  config: string;
  msPerStep: number;
  numTensors: { min: number; max: number; constant: boolean };
  /** Least-squares slope of heapUsed over the samples after the first 10% of steps. */
  heapMbPer10kSteps: number;
  rssMbPer10kSteps: number;
  heapUsedMb: { first: number; last: number; max: number };
  samples: SoakSample[];
}

/** Slope of y over x (least squares); 0 for fewer than two points. */
export function slope(points: readonly { x: number; y: number }[]): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

function argument(argv: readonly string[], flag: string, fallback: number): number {
  const at = argv.indexOf(flag);
  if (at < 0) return fallback;
  const value = Number(argv[at + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} needs a whole number > 0`);
  return value;
}

const MB = 1024 * 1024;

function sample(step: number, started: number): SoakSample {
  (globalThis as { gc?: () => void }).gc?.();
  const memory = tf.memory();
  const usage = process.memoryUsage();
  return {
    step,
    numTensors: memory.numTensors,
    numBytes: memory.numBytes,
    heapUsedMb: usage.heapUsed / MB,
    rssMb: usage.rss / MB,
    elapsedS: (performance.now() - started) / 1000,
  };
}

export async function soak(steps: number, sampleEvery: number, evalEvery: number): Promise<SoakReport> {
  const backend = await initNodeBackend('wasm');
  // Small enough to step in a few ms; radial + weight decay exercise a loss term and decoupled decay.
  const patch = {
    task: { modulus: 13, trainFraction: 0.5 },
    model: { kind: 'mlp', embedDim: 16, hiddenWidth: 32 },
    optimizer: { lr: 1e-3, warmupSteps: 0 },
    regularizers: { weightDecay: { enabled: true, coefficient: 0.1 }, radial: { enabled: true } },
    training: { maxSteps: steps },
  };
  const resolved = resolveConfig(patch);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
  const trainer = new Trainer(resolved.config);
  const started = performance.now();
  const samples: SoakSample[] = [sample(0, started)];
  let trainingMs = 0;
  for (let step = 1; step <= steps; step++) {
    const t = performance.now();
    trainer.trainStep();
    trainingMs += performance.now() - t;
    if (step % evalEvery === 0) {
      await trainer.evaluate();
      // The history is the run's product, not a leak: keep it bounded so it does not mask one.
      if (trainer.history.length > 100) trainer.history.splice(0, trainer.history.length - 100);
    }
    if (step % sampleEvery === 0) {
      await trainer.settle();
      const s = sample(step, started);
      samples.push(s);
      if (step % (sampleEvery * 10) === 0) {
        console.log(
          `step ${step}: ${s.numTensors} tensors, heap ${s.heapUsedMb.toFixed(1)} MB, rss ${s.rssMb.toFixed(1)} MB, ${s.elapsedS.toFixed(0)} s`,
        );
      }
    }
  }
  trainer.dispose();
  const afterWarmup = samples.filter((s) => s.step >= steps * 0.1);
  const counts = samples.slice(1).map((s) => s.numTensors);
  const heap = samples.map((s) => s.heapUsedMb);
  return {
    steps,
    sampleEvery,
    evalEvery,
    backend,
    config: JSON.stringify(patch),
    msPerStep: trainingMs / steps,
    numTensors: {
      min: Math.min(...counts),
      max: Math.max(...counts),
      constant: Math.min(...counts) === Math.max(...counts),
    },
    heapMbPer10kSteps: slope(afterWarmup.map((s) => ({ x: s.step, y: s.heapUsedMb }))) * 10_000,
    rssMbPer10kSteps: slope(afterWarmup.map((s) => ({ x: s.step, y: s.rssMb }))) * 10_000,
    heapUsedMb: { first: heap[1] ?? heap[0], last: heap.at(-1)!, max: Math.max(...heap) },
    samples,
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const steps = argument(argv, '--steps', 100_000);
  const sampleEvery = argument(argv, '--sample-every', 1000);
  const evalEvery = argument(argv, '--eval-every', 2000);
  if (!(globalThis as { gc?: unknown }).gc) console.log('(no --expose-gc: heap samples include garbage)');
  const report = await soak(steps, sampleEvery, evalEvery);
  const { samples: _samples, ...headline } = report;
  console.log(JSON.stringify(headline, null, 2));
  const out = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(out, { recursive: true });
  writeFileSync(`${out}soak.json`, `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `numTensors ${report.numTensors.constant ? `constant at ${report.numTensors.max}` : `varies ${report.numTensors.min}–${report.numTensors.max}`}; ` +
      `heap ${report.heapMbPer10kSteps.toFixed(3)} MB per 10k steps; rss ${report.rssMbPer10kSteps.toFixed(3)} MB per 10k steps; ${report.msPerStep.toFixed(2)} ms/step`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
