import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  deepMerge,
  resolveConfig,
  validateConfig,
  type Config,
  type DeepPartial,
} from './config';
import { PRESETS, type PresetName } from './presets';
import { describeRunCost, estimateRunCost, taskShape, WASM_HEAP_BYTES } from './runCost';

const merged = (patch: DeepPartial<Config>): Config => deepMerge(DEFAULT_CONFIG, patch);
const preset = (name: PresetName): Config => {
  const result = resolveConfig(PRESETS[name].config);
  if (!result.ok) throw new Error(`preset ${name} is invalid`);
  return result.config;
};

/** The whole table (p = 257, the schema's largest modulus) with 99% of it for training. */
const BIGGEST_TASK = { modulus: 257, trainFraction: 0.99 } as const;
const LARGEST_TRANSFORMER = merged({
  task: BIGGEST_TASK,
  model: { kind: 'transformer', layers: 8, dModel: 1024, heads: 32, dMlp: 4096, layerNorm: true },
});
const LARGEST_MLP = merged({
  task: BIGGEST_TASK,
  model: { kind: 'mlp', embedDim: 1024, hiddenWidth: 4096, hiddenLayers: 8 },
});

/**
 * Measured with `npx tsx bench/runCost.ts` on this machine (2-core Intel Xeon, 2026-11-29, load average 10–15, so
 * CPU time per step, not wall time): CPU ms per full-batch step, and the wasm heap after two steps and one
 * evaluation.
 */
const MEASURED: { name: string; config: () => Config; msPerStep: number; heapBytes: number }[] = [
  { name: 'mlp preset', config: () => preset('mlp'), msPerStep: 11.9, heapBytes: 19 * 2 ** 20 },
  { name: 'classic preset', config: () => preset('classic'), msPerStep: 301, heapBytes: 358 * 2 ** 20 },
  { name: 'addition preset', config: () => preset('addition'), msPerStep: 160, heapBytes: 865 * 2 ** 20 },
  {
    name: 'transformer p 113, 2 blocks, 80%',
    config: () => merged({ task: { modulus: 113, trainFraction: 0.8 }, model: { layers: 2 } }),
    msPerStep: 3637,
    heapBytes: 2.6 * 2 ** 30,
  },
];

describe('run cost estimate', () => {
  it.each(MEASURED)('is within 2× of what $name measured', ({ config, msPerStep, heapBytes }) => {
    const cost = estimateRunCost(config());
    expect(cost.msPerStep / msPerStep).toBeGreaterThan(0.5);
    expect(cost.msPerStep / msPerStep).toBeLessThan(2);
    expect(cost.bytes.peak / heapBytes).toBeGreaterThan(0.5);
    expect(cost.bytes.peak / heapBytes).toBeLessThan(2);
  });

  it('counts parameters exactly for the models it knows', () => {
    // classic: 98×128 + 3×128 + (4·128² + 2·128·512 + 512 + 128) + 128×97, as transformer.ts declares them.
    expect(estimateRunCost(preset('classic')).parameters).toBe(
      98 * 128 + 3 * 128 + 4 * 128 ** 2 + 2 * 128 * 512 + 640 + 128 * 97,
    );
    // mlp: 31×64 embedding, 128→256, 256→31.
    expect(estimateRunCost(preset('mlp')).parameters).toBe(31 * 64 + 128 * 256 + 256 + 256 * 31 + 31);
  });

  it('knows each task family’s shape', () => {
    expect(taskShape(preset('classic'))).toMatchObject({
      examples: 97 * 97,
      trainRows: 2823,
      length: 3,
      vocab: 98,
    });
    expect(taskShape(preset('addition'))).toMatchObject({
      examples: 4000,
      length: 11,
      answers: 4,
      classes: 10,
    });
    const table = merged({
      task: { kind: 'table', modulus: 7, table: { name: 't', rows: new Array(3 * 40).fill(0) } },
    });
    expect(taskShape(table).examples).toBe(40);
  });

  it('lets every preset run without a question or a refusal', () => {
    for (const name of Object.keys(PRESETS) as PresetName[])
      expect(describeRunCost(preset(name)).level).toBe('ok');
  });

  it('refuses the largest transformer and MLP the schema allows, with the numbers', () => {
    for (const config of [LARGEST_TRANSFORMER, LARGEST_MLP]) {
      const description = describeRunCost(config);
      expect(description.level).toBe('refuse');
      expect(description.bytes).toBeGreaterThan(WASM_HEAP_BYTES);
      expect(description.text).toMatch(/needs ≈ [\d.]+ GB for one step; the browser allows ≈ 4 GB/);
    }
  });

  it('refuses the issue’s p = 257 classic transformer at 99% train (it runs the wasm heap out: "memory access out of bounds")', () => {
    expect(describeRunCost(merged({ task: BIGGEST_TASK })).level).toBe('refuse');
  });

  it('warns (asks first) for a run that fits but needs minutes and gigabytes', () => {
    const description = describeRunCost(merged({ ...PRESETS.mlp.config, task: BIGGEST_TASK }));
    expect(description.level).toBe('warn');
    expect(description.text).toMatch(/GB of memory/);
    expect(description.text).toMatch(/per step/);
    expect(description.msPerStep).toBeGreaterThan(1000);
  });

  it('makes a refusal a validation issue beside the fields that set the size', () => {
    const result = validateConfig(LARGEST_TRANSFORMER);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const issue = result.issues.find((each) => each.message.includes('the browser allows'));
    expect(issue?.path.split(', ')).toEqual(
      expect.arrayContaining(['task.modulus', 'task.trainFraction', 'model.dModel', 'model.layers']),
    );
    expect(validateConfig(LARGEST_MLP).ok).toBe(false);
    expect(validateConfig(preset('classic')).ok).toBe(true);
  });
});
