/** Builders of realistic run data for the lib tests (imported only by *.test.ts files). */
import { DEFAULT_CONFIG, type Config } from '../engine/config';
import { parameterSize } from '../engine/carriedState';
import { parameterShapes } from '../engine/models/parameterShapes';
import type { ConfigEvent, MetricRecord } from '../engine/records';
import type { RunSnapshot } from '../worker/protocol';
import type { StoredComparison, StoredComparisonLane, StoredRun } from './runStore';

export function metricRecord(step: number, overrides: Partial<MetricRecord> = {}): MetricRecord {
  const progress = Math.min(1, step / 1000);
  return {
    step,
    trainAccuracy: Math.min(1, 0.1 + step / 100),
    testAccuracy: progress,
    trainLoss: 4 / (1 + step),
    testLoss: 4 * (1 - progress) + 0.01,
    weightNorm: 60 - step / 100,
    activationRadius: { embedding: 11.3, hidden0: 5.5 + step / 1000 },
    radiusRatio: { embedding: 1, hidden0: 0.24 },
    radialShare: { embedding: 0.2, hidden0: 0.35 },
    gradientEntropy: 9.5 - progress,
    regularizers: { weightDecay: { coefficient: 1 } },
    learningRate: 0.001,
    trainingMs: step * 2.5,
    ...overrides,
  };
}

/** The default task with a tiny transformer (d 8): its embedding is 98 × 8 = 784 values, its unembed 8 × 97 = 776. */
export const SNAPSHOT_CONFIG: Config = {
  ...DEFAULT_CONFIG,
  model: { ...DEFAULT_CONFIG.model, dModel: 8, heads: 4, dMlp: 16 },
};

/** A snapshot whose weights fit the model `config` builds, as a real one does. */
export function snapshotFor(config: Config, step: number): RunSnapshot {
  const parameters: Record<string, Float32Array> = {};
  for (const [index, info] of parameterShapes(config).entries())
    parameters[info.name] = Float32Array.from(
      { length: parameterSize(info.shape) },
      (_, i) => Math.sin(i + index) / (3 + index),
    );
  const moments = (f: (v: number) => number) =>
    Object.fromEntries(Object.entries(parameters).map(([name, values]) => [name, values.map(f)]));
  return {
    version: 1,
    config,
    step,
    parameters,
    optimizer: { step, firstMoments: moments((v) => v / 10), secondMoments: moments((v) => v * v) },
    history: [metricRecord(0), metricRecord(step)],
    events: [],
    batchEpoch: 0,
  };
}

/** A snapshot whose weights fit the model SNAPSHOT_CONFIG builds. */
export function snapshot(step: number): RunSnapshot {
  return snapshotFor(SNAPSHOT_CONFIG, step);
}

function pickFixed(config: Config): Pick<Config, 'task' | 'model' | 'seed'> {
  return { task: config.task, model: config.model, seed: config.seed };
}

export function storedRun(id: string, createdAt: number, overrides: Partial<StoredRun> = {}): StoredRun {
  const events: ConfigEvent[] = [
    { step: 200, regularizer: 'radial', path: 'regularizers.radial.enabled', from: false, to: true },
  ];
  return {
    id,
    name: `run ${id}`,
    createdAt,
    updatedAt: createdAt + 1000,
    // A run carrying weights is the run of their model (its snapshot's task, model and seed).
    config: overrides.snapshot
      ? { ...DEFAULT_CONFIG, ...pickFixed(overrides.snapshot.config) }
      : DEFAULT_CONFIG,
    history: [0, 100, 200, 500].map((step) => metricRecord(step)),
    events,
    status: 'paused',
    wallTimeMs: 1250,
    ...overrides,
  };
}

/**
 * "Race · radial vs plain" (the radialRescue preset) saved as one record with id `race`: the record is
 * `radial`'s run; each lane has its source run's config and history, radial's lane took 41 s and won, plain's
 * took 60 s. `lanes[i]` overrides lane i; the other fields override the rest of the comparison.
 */
export function storedRace(
  radial: StoredRun,
  plain: StoredRun,
  {
    lanes = [],
    ...overrides
  }: Partial<Omit<StoredComparison, 'lanes'>> & { lanes?: Partial<StoredComparisonLane>[] } = {},
): StoredRun {
  const lane = (
    source: StoredRun,
    name: string,
    wallTimeMs: number,
    index: number,
  ): StoredComparisonLane => ({
    name,
    difference: [],
    // A lane given weights is the lane of their model.
    config: lanes[index]?.snapshot
      ? { ...source.config, ...pickFixed(lanes[index].snapshot.config) }
      : source.config,
    history: source.history,
    events: [],
    status: 'finished',
    wallTimeMs,
    backend: 'wasm',
    grokStep: null,
    ...lanes[index],
  });
  return {
    ...radial,
    id: 'race',
    name: 'Race · radial vs plain',
    comparison: {
      kind: 'race',
      preset: 'radialRescue',
      evalEvery: 50,
      winner: 0,
      summary: null,
      lanes: [lane(radial, 'radial', 41_000, 0), lane(plain, 'plain', 60_000, 1)],
      ...overrides,
    },
  };
}
