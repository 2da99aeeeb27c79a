import { describe, expect, it } from 'vitest';
import {
  gpuMarkdown,
  mergeParts,
  parseGpuBenchArgs,
  type AdapterProbe,
  type GrokPart,
  type PartFile,
  type ThroughputPart,
  type ThroughputRow,
} from './gpuReport';

const machine = { cpu: 'Test CPU', cores: 16, node: 'v20.20.2' };
const meta = { date: '2026-12-04', command: 'bash bench/gpu.sh', machine };
const json = (name: string, value: unknown): PartFile => ({ name, text: JSON.stringify(value) });

function row(
  backend: 'wasm' | 'webgpu',
  name: string,
  msPerStep: number,
  variant = 'default',
): ThroughputRow {
  return {
    case: name,
    variant,
    backend,
    msPerStep,
    firstStepMs: 10 * msPerStep,
    steps: 50,
    cpuMsPerStep: msPerStep,
    profile: {
      kernelsPerStep: 60,
      dispatchesPerStep: backend === 'webgpu' ? 55.5 : null,
      issueMsPerStep: 1,
      settleMsPerStep: 0,
      idleReadbackMs: 0.1,
    },
    trainRows: 672,
    load: 0.5,
  };
}

function throughput(backend: 'wasm' | 'webgpu', rows: ThroughputRow[]): ThroughputPart {
  return {
    kind: 'throughput',
    backend,
    machine,
    adapter: null,
    error: null,
    dispatchCost: null,
    limits: { maxSteps: 300, maxMs: 5000, maxFirstStepMs: 60000 },
    rows,
  };
}

const probe = (
  label: string,
  adapter: AdapterProbe['adapter'],
  error: string | null = null,
): AdapterProbe => ({
  label,
  adapter,
  error,
  env: {},
});

const grok: GrokPart = {
  kind: 'grok',
  backend: 'webgpu',
  machine,
  preset: 'fastTransformer',
  seed: 0,
  adapter: null,
  grokStep: 675,
  grokThreshold: 0.99,
  wallSecondsToGrok: 4.2,
  memorizeStep: 100,
  stepsRun: 700,
  wallSeconds: 4.5,
  trainingSeconds: 1.4,
  evaluations: 40,
  evaluationSeconds: 0.8,
  finalTrainAccuracy: 1,
  finalTestAccuracy: 0.995,
  stoppedBecause: 'grokked',
  error: null,
};

describe('parseGpuBenchArgs', () => {
  it('reads each mode', () => {
    expect(
      parseGpuBenchArgs(['throughput', '--backend', 'webgpu', '--out', '/x.json', '--quick']),
    ).toMatchObject({
      mode: 'throughput',
      backend: 'webgpu',
      out: '/x.json',
      quick: true,
    });
    expect(
      parseGpuBenchArgs(['grok', '--backend', 'wasm', '--out', 'g.json', '--limit-s', '50']),
    ).toMatchObject({
      mode: 'grok',
      limitSeconds: 50,
    });
    expect(parseGpuBenchArgs(['adapter', '--out', 'a.json', '--label', 'icd1']).label).toBe('icd1');
    expect(parseGpuBenchArgs(['report', '--dir', '/tmp/r']).dir).toBe('/tmp/r');
  });

  it('says precisely what is wrong, with the usage', () => {
    expect(() => parseGpuBenchArgs([])).toThrow(
      /first argument must be one of adapter, throughput, grok, report\n/,
    );
    expect(() => parseGpuBenchArgs(['bench'])).toThrow(/not "bench"/);
    expect(() => parseGpuBenchArgs(['grok', '--out', 'g.json'])).toThrow(/grok needs --backend/);
    expect(() => parseGpuBenchArgs(['grok', '--backend', 'cuda', '--out', 'g.json'])).toThrow(
      /--backend must be one of wasm, webgpu, not "cuda"/,
    );
    expect(() => parseGpuBenchArgs(['throughput', '--backend', 'wasm'])).toThrow(
      /throughput needs --out FILE/,
    );
    expect(() => parseGpuBenchArgs(['report'])).toThrow(/report needs --dir DIR/);
    expect(() => parseGpuBenchArgs(['grok', '--backend', 'wasm', '--out', 'g', '--limit-s', '0'])).toThrow(
      /--limit-s must be a positive number of seconds, not "0"/,
    );
    expect(() => parseGpuBenchArgs(['adapter', '--out'])).toThrow(/--out needs a value/);
    expect(() => parseGpuBenchArgs(['adapter', '--out', 'a', '--fast'])).toThrow(
      /unknown argument "--fast"\nusage:/,
    );
  });
});

describe('mergeParts and gpuMarkdown', () => {
  it('a GPU adapter: its name, webgpu beside wasm with their ratio, the grok run', () => {
    const results = mergeParts(
      [
        { name: 'nvidia-smi.txt', text: 'NVIDIA H200, 580.159.04, 143771 MiB\n' },
        json('adapter-1-system.json', probe('system', null, 'no WebGPU adapter')),
        json(
          'adapter-icd1.json',
          probe('icd1', { adapter: 'system', description: 'nvidia · hopper', software: false }),
        ),
        json('throughput-wasm.json', throughput('wasm', [row('wasm', 'mlp', 8)])),
        json('throughput-webgpu.json', throughput('webgpu', [row('webgpu', 'mlp', 2)])),
        json('grok-webgpu.json', grok),
        json('grok-webgpu.status.json', { part: 'grok-webgpu', rc: 0, seconds: 6, limitSeconds: 110 }),
      ],
      meta,
    );
    expect(results.adapter?.label).toBe('icd1');
    expect(results.gpu).toBe('NVIDIA H200, 580.159.04, 143771 MiB');
    const markdown = gpuMarkdown(results);
    expect(markdown).toContain('WebGPU adapter: **nvidia · hopper** (Vulkan setup "icd1")');
    expect(markdown).toContain('| mlp | 8.00 ms | 2.00 ms | 0.25× | 55.5 | 20.0 ms |');
    expect(markdown).toContain(
      '| webgpu | 0 | 675 | 4.2 s | 100 | 700 | 2.00 ms | 40 (0.8 s) | 99.5% | grokked |',
    );
    expect(markdown).toContain('| grok-webgpu | ok | 6 | 110 |');
  });

  it('no GPU adapter: says so with every try, keeps the wasm rows, flags a part killed at its limit', () => {
    const software = { adapter: 'system' as const, description: 'google · swiftshader', software: true };
    const results = mergeParts(
      [
        json('adapter-1-system.json', probe('system', null, 'no WebGPU adapter: install the driver')),
        json('adapter-2-icd1.json', probe('icd1', software)),
        json('throughput-wasm.json', throughput('wasm', [row('wasm', 'classic', 250)])),
        json('throughput-webgpu.status.json', {
          part: 'throughput-webgpu',
          rc: 0,
          seconds: 0,
          limitSeconds: 0,
          skipped: 'no hardware WebGPU adapter',
        }),
        json('grok-wasm.status.json', { part: 'grok-wasm', rc: 124, seconds: 60, limitSeconds: 60 }),
        { name: 'grok-wasm.json', text: '{"kind": "grok", ' },
      ],
      meta,
    );
    const markdown = gpuMarkdown(results);
    expect(markdown).toContain('GPU none found');
    expect(markdown).toContain('**a software adapter (CPU emulation), no GPU adapter was found**');
    expect(markdown).toContain(
      '"system": no WebGPU adapter: install the driver; "icd1": google · swiftshader',
    );
    expect(markdown).toContain('| classic | 250 ms | — | — |');
    expect(markdown).toContain('| throughput-webgpu | not run: no hardware WebGPU adapter |');
    expect(markdown).toContain('| grok-wasm | **killed at its 60 s limit** | 60 | 60 |');
    expect(results.unreadable).toEqual([expect.stringMatching(/^grok-wasm\.json: /)]);
  });

  it('no adapter at all and a failed measurement (NaN, read back as null)', () => {
    const failed = { ...row('wasm', 'mlp', 1), msPerStep: null, firstStepMs: null, error: 'out of memory' };
    const results = mergeParts(
      [
        json('adapter-1-system.json', probe('system', null, 'no WebGPU adapter')),
        json('throughput-wasm.json', throughput('wasm', [failed])),
      ],
      meta,
    );
    expect(results.adapter).toBeNull();
    const markdown = gpuMarkdown(results);
    expect(markdown).toContain(
      '**No WebGPU adapter**: the webgpu parts did not run; only wasm was measured.',
    );
    expect(markdown).toContain('| mlp | error: out of memory | — |');
  });
});
