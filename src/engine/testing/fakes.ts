/**
 * Test doubles of engine types, for tests anywhere: metric records and progress measures with plausible values,
 * and a backend host that only records which backend is active.
 */
import type { BackendName } from '../backend';
import type { BackendHost, BackendInfo } from '../backendChoice';
import type { MetricRecord, ProgressMeasures } from '../records';

/** Live progress measures for a record (key frequencies 4, 11, 14, 2, 7), with any field overridden. */
export function fakeProgress(overrides: Partial<ProgressMeasures> = {}): ProgressMeasures {
  return {
    testWaveLoss: 3.4,
    testWaveShare: 0.05,
    key0: 4,
    key1: 11,
    key2: 14,
    key3: 2,
    key4: 7,
    embeddingTopShare: 0.4,
    embeddingGini: 0.3,
    ...overrides,
  };
}

export function fakeRecord(step: number, trainLoss: number): MetricRecord {
  return {
    step,
    trainAccuracy: Math.min(1, step / 50),
    testAccuracy: Math.min(1, step / 100),
    trainLoss,
    testLoss: trainLoss * 2,
    weightNorm: 10,
    activationRadius: { hidden0: 1 },
    radiusRatio: { hidden0: 0.5 },
    radialShare: { hidden0: 0.25 },
    gradientEntropy: 3,
    regularizers: {},
    learningRate: 0.001,
    trainingMs: step,
  };
}

/** A host where every listed backend "starts"; records activations. */
export class FakeHost implements BackendHost {
  active: BackendName | null = null;
  readonly activations: BackendName[] = [];
  readonly discarded: BackendName[] = [];
  onFault: ((backend: BackendName, reason: string) => void) | null = null;

  constructor(
    private readonly available: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'],
    private readonly info: Partial<Record<BackendName, BackendInfo>> = {},
  ) {}

  async activate(name: BackendName): Promise<void> {
    if (!this.available.includes(name) || this.discarded.includes(name))
      throw new Error(`${name} unavailable`);
    this.active = name;
    this.activations.push(name);
  }

  async inspect(name: BackendName): Promise<BackendInfo | null> {
    return this.info[name] ?? null;
  }

  discard(name: BackendName): void {
    this.discarded.push(name);
  }

  watch(onFault: (backend: BackendName, reason: string) => void): void {
    this.onFault = onFault;
  }
}
