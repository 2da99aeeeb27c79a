/**
 * The kernel-tax benches' timing method (bench/kernelTax.ts, bench/pageVsNode.ts): the two small presets, timed in
 * blocks of S back-to-back training steps; a figure is the minimum over rounds of wall ms/step (the round least
 * disturbed by the rest of the machine), with CPU ms/step and the 1-minute load beside it.
 */
import type { Config, DeepPartial } from '../../src/engine/config';
import { PRESETS } from '../../src/engine/presets';
import { load1 } from './machine';

export interface StepCase {
  name: 'mlp' | 'fastTransformer';
  config: DeepPartial<Config>;
}

/** The models issue 23 times: both step in milliseconds, so tfjs's fixed cost per kernel dominates. */
export const STEP_CASES: readonly StepCase[] = [
  { name: 'mlp', config: PRESETS.mlp.config },
  { name: 'fastTransformer', config: PRESETS.fastTransformer.config },
];

export interface BlockTiming {
  msPerStep: number;
  cpuMsPerStep: number;
  /** The 1-minute load when the block started. */
  load: number;
}

/** A block of `steps` steps in this process, timed by the wall clock and by this process's CPU time. */
export function timeNodeBlock(trainer: { trainStep(): void }, steps: number): BlockTiming {
  const load = load1();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < steps; i++) trainer.trainStep();
  const used = process.cpuUsage(cpu);
  return {
    msPerStep: (performance.now() - started) / steps,
    cpuMsPerStep: (used.user + used.system) / 1000 / steps,
    load,
  };
}

/** The figure a list of rounds gives: its minimum (NaN when nothing was timed). */
export function bestOf(list: readonly BlockTiming[], key: 'msPerStep' | 'cpuMsPerStep'): number {
  return list.length === 0 ? NaN : Math.min(...list.map((t) => t[key]));
}

/** Each round's load, as the tables print them: "0.4 0.6 0.9". */
export function loadsOf(list: readonly BlockTiming[]): string {
  return list.map((t) => t.load.toFixed(1)).join(' ');
}

/** ms as the kernel-tax tables print them: two decimals below 100, none above; a dash for NaN. */
export function formatStepMs(x: number): string {
  return Number.isFinite(x) ? x.toFixed(x >= 100 ? 0 : 2) : '—';
}
