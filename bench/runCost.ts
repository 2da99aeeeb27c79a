/**
 * Calibrates and checks src/engine/runCost.ts: for a few configs, the estimate beside what a run really costs on
 * the wasm backend: CPU ms per full-batch step (process.cpuUsage over a few steps after a warm-up; CPU time because
 * the machine is shared, note `uptime` beside it) and the wasm heap after building the run, two steps and one
 * evaluation (the heap only grows, so that is the run's peak, allocator slack included: what the 4 GB limit bounds).
 *
 *   npx tsx bench/runCost.ts            # every case, each in its own process (a wasm heap never shrinks)
 *   npx tsx bench/runCost.ts NAME [steps]
 */
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { resolveConfig, type Config, type DeepPartial } from '../src/engine/config';
import { initNodeBackend } from '../src/engine/node';
import { PRESETS } from '../src/engine/presets';
import { estimateRunCost, formatBytes } from '../src/engine/runCost';
import { Trainer } from '../src/engine/trainer';

const CASES: Record<string, { config: DeepPartial<Config>; steps: number }> = {
  mlp: { config: PRESETS.mlp.config, steps: 40 },
  'mlp-p97': {
    config: {
      ...PRESETS.mlp.config,
      task: { modulus: 97, trainFraction: 0.3 },
      model: { kind: 'mlp', embedDim: 128, hiddenWidth: 512 },
    },
    steps: 8,
  },
  classic: { config: PRESETS.classic.config, steps: 4 },
  'transformer-p31': {
    config: { task: { modulus: 31, trainFraction: 0.7 }, model: { dModel: 64, dMlp: 256, heads: 4 } },
    steps: 10,
  },
  addition: { config: PRESETS.addition.config, steps: 10 },
  // Two blocks and 10 000 training rows: the first block takes tfjs's batched-matMul attention path.
  'transformer-p113-2x': {
    config: { task: { modulus: 113, trainFraction: 0.8 }, model: { layers: 2 } },
    steps: 1,
  },
};

function heapBytes(): number {
  return (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
}

async function measure(name: string, stepsArg: number | undefined): Promise<void> {
  const entry = CASES[name];
  if (!entry) throw new Error(`unknown case ${name}; choose one of ${Object.keys(CASES).join(', ')}`);
  const resolved = resolveConfig(entry.config);
  if (!resolved.ok) throw new Error(`${name}: invalid config`);
  const steps = stepsArg ?? entry.steps;
  const backend = await initNodeBackend();
  if (backend !== 'wasm') throw new Error(`needs the wasm backend, got ${backend}`);
  const estimate = estimateRunCost(resolved.config);
  const trainer = new Trainer(resolved.config);
  trainer.trainStep(); // warm-up: kernel setup, first allocations
  trainer.trainStep();
  await trainer.evaluate();
  const heap = heapBytes();
  const cpu = process.cpuUsage();
  for (let i = 0; i < steps; i++) trainer.trainStep();
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000 / steps;
  trainer.dispose();
  console.log(
    [
      name.padEnd(20),
      `cpu ${cpuMs.toFixed(1)} ms/step over ${steps}`,
      `estimate ${estimate.msPerStep.toFixed(1)} ms (${(estimate.stepMacs / 1e6).toFixed(0)} M MACs)`,
      `heap ${formatBytes(heap)}`,
      `estimate ${formatBytes(estimate.bytes.peak)}`,
      `ratios ${(estimate.msPerStep / cpuMs).toFixed(2)} time, ${(estimate.bytes.peak / heap).toFixed(2)} bytes`,
    ].join(' · '),
  );
}

const [name, steps] = process.argv.slice(2);
if (name) {
  void measure(name, steps === undefined ? undefined : Number(steps));
} else {
  for (const each of Object.keys(CASES)) {
    execFileSync(process.execPath, [...process.execArgv, process.argv[1], each], { stdio: 'inherit' });
  }
}
