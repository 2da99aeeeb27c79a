/**
 * What the progress measures add to one evaluation, measured back to back in one process: evaluate() with and
 * without them, interleaved, CPU ms (the process is single-threaded, so CPU time is its own cost and load on the
 * shared machine matters less than for wall time), against the CPU cost of a training step.
 *
 *   npx tsx bench/progressCost.ts [--rounds N]    → prints a table (markdown) to stdout
 */
import { loadavg } from 'node:os';
import { resolveConfig, type Config, type DeepPartial } from '../src/engine/config';
import { initNodeBackend } from '../src/engine/node';
import { progressMeasures } from '../src/engine/metrics/progressMeasures';
import { PRESETS } from '../src/engine/presets';
import { Trainer } from '../src/engine/trainer';
import { median } from './stats';

const roundsFlag = process.argv.indexOf('--rounds');
const ROUNDS = roundsFlag >= 0 ? Number(process.argv[roundsFlag + 1]) : 7;

function cpuMs(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

function config(patch: DeepPartial<Config>): Config {
  const result = resolveConfig(patch);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

interface Row {
  name: string;
  stepMs: number;
  withMs: number;
  withoutMs: number;
  hostFitMs: number;
}

async function measure(
  name: string,
  patch: DeepPartial<Config>,
  warmSteps: number,
  timedSteps: number,
): Promise<Row> {
  const trainer = new Trainer(config(patch));
  for (let i = 0; i < warmSteps; i++) trainer.trainStep();
  await trainer.settle();
  const steps: number[] = [];
  const withProgress: number[] = [];
  const without: number[] = [];
  // The measures are on whenever the task has them; switching the private flag off is the only way to time the same
  // evaluation without them (this script is the one place that does it).
  const sign = Reflect.get(trainer, 'progressSign') as 1 | -1 | null;
  if (sign === null) throw new Error(`${name}: no progress measures for this task`);
  await trainer.evaluate(); // warm-up: first-call kernel setup
  for (let round = 0; round < ROUNDS; round++) {
    let before = process.cpuUsage();
    for (let i = 0; i < timedSteps; i++) trainer.trainStep();
    await trainer.settle();
    steps.push(cpuMs(before) / timedSteps);
    Reflect.set(trainer, 'progressSign', sign);
    before = process.cpuUsage();
    await trainer.evaluate();
    withProgress.push(cpuMs(before));
    Reflect.set(trainer, 'progressSign', null);
    before = process.cpuUsage();
    await trainer.evaluate();
    without.push(cpuMs(before));
  }
  Reflect.set(trainer, 'progressSign', sign);
  // The host-side part alone, on a table of the same size (random logits: the cost does not depend on values).
  const { dataset } = trainer;
  const p = dataset.numClasses;
  const logits = Float32Array.from({ length: p * p * p }, () => Math.random());
  const embedding = await trainer.readParameter('embedding');
  const fits: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const before = process.cpuUsage();
    progressMeasures(
      {
        logits,
        a: dataset.grid!.a,
        b: dataset.grid!.b,
        targets: dataset.targets,
        isTrain: dataset.isTrain,
        p,
        sign,
      },
      { values: embedding.values, shape: embedding.shape as [number, number] },
    );
    fits.push(cpuMs(before));
  }
  trainer.dispose();
  return {
    name,
    stepMs: median(steps),
    withMs: median(withProgress),
    withoutMs: median(without),
    hostFitMs: median(fits),
  };
}

async function main(): Promise<void> {
  await initNodeBackend('wasm');
  const loadBefore = loadavg()[0];
  const rows = [
    await measure('mlp (a+b) mod 31 (bench methods suite, Fast MLP preset)', PRESETS.mlp.config, 300, 50),
    await measure('classic transformer (a+b) mod 97', PRESETS.classic.config, 2, 3),
  ];
  const fixed = 50;
  console.log(
    `rounds ${ROUNDS}, load ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)} (CPU ms, medians)\n`,
  );
  console.log(
    '| setup | CPU ms/step | evaluate() without | with progress | added | host fit alone | evaluation share at eval every 50, without → with |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const share = (ms: number): string => `${((100 * ms) / (fixed * row.stepMs)).toFixed(1)}%`;
    console.log(
      `| ${row.name} | ${row.stepMs.toFixed(1)} | ${row.withoutMs.toFixed(1)} | ${row.withMs.toFixed(1)} | ` +
        `${(row.withMs - row.withoutMs).toFixed(1)} (${((100 * (row.withMs - row.withoutMs)) / row.withoutMs).toFixed(0)}%) | ` +
        `${row.hostFitMs.toFixed(1)} | ${share(row.withoutMs)} → ${share(row.withMs)} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
