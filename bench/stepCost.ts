/**
 * What one training step of each method costs, measured back to back in one process so every method sees the same
 * machine: the sweep's own ms/step comes from runs hours apart under whatever load the shared machine had then,
 * which cannot show that a method saving steps costs more per step. Rounds interleave the methods; the figure is
 * the median over rounds of CPU ms per step (this process is single-threaded: CPU time is the step's own cost).
 *
 *   npm run bench:stepcost            → bench/results/step-cost.json (read by the report)
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { initNodeBackend } from '../src/engine/node';
import { Trainer } from '../src/engine/trainer';
import { writeJson } from './lib/resultFiles';
import type { StepCosts } from './results';
import { median } from './stats';
import { planRuns } from './suites';

const STEPS = process.argv.includes('--quick') ? 20 : 150;
const ROUNDS = 3;

async function main(): Promise<void> {
  await initNodeBackend('wasm');
  const group = 'mlp31-add';
  const runs = planRuns('full', ['methods']).filter((run) => run.group === group && run.seed === 0);
  const trainers = runs.map((run) => ({ method: run.method, trainer: new Trainer(run.config) }));
  const samples = new Map<string, number[]>(runs.map((run) => [run.method, []]));
  const loadBefore = loadavg()[0];
  try {
    // Past memorization (step 500): where the sweep spends its steps, with every delayed method switched on.
    for (const { trainer } of trainers) {
      for (let i = 0; i < 500; i++) trainer.trainStep();
      await trainer.settle();
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const { method, trainer } of trainers) {
        const before = process.cpuUsage();
        for (let i = 0; i < STEPS; i++) trainer.trainStep();
        await trainer.settle();
        const used = process.cpuUsage(before);
        samples.get(method)!.push((used.user + used.system) / 1000 / STEPS);
      }
    }
  } finally {
    for (const { trainer } of trainers) trainer.dispose();
  }
  const costs: StepCosts = {
    measuredAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    group,
    steps: STEPS,
    rounds: ROUNDS,
    load: [Number(loadBefore.toFixed(2)), Number(loadavg()[0].toFixed(2))],
    cpuMsPerStep: Object.fromEntries(
      [...samples].map(([method, values]) => [method, Number(median(values).toFixed(2))]),
    ),
  };
  const path = fileURLToPath(new URL('./results/step-cost.json', import.meta.url));
  writeJson(path, costs);
  for (const [method, ms] of Object.entries(costs.cpuMsPerStep))
    console.log(`${method.padEnd(16)} ${ms} CPU ms/step`);
  console.log(`wrote ${path}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
