import { describe, expect, it } from 'vitest';
import { chooseBackend, timeSteps, type Steppable } from './backendChoice';
import { FakeHost } from './testing/fakes';
import type { BackendName } from './backend';

/** A clock advanced by the fake trainer's steps: timing without waiting. */
function simulated(msPerStep: (backend: BackendName | null) => number, host: FakeHost, firstStepExtra = 0) {
  let time = 0;
  const clock = { now: () => time };
  const probes: Steppable[] = [];
  const createProbe = (): Steppable => {
    const backend = host.active;
    let steps = 0;
    let disposed = false;
    const probe = {
      trainStep: () => {
        time += msPerStep(backend) + (steps++ === 0 ? firstStepExtra : 0);
      },
      settle: async () => undefined,
      dispose: () => {
        disposed = true;
      },
      get disposed() {
        return disposed;
      },
    };
    probes.push(probe);
    return probe;
  };
  return { clock, createProbe, probes };
}

describe('timeSteps', () => {
  it('times the first step alone and caps the rest by steps', async () => {
    const host = new FakeHost();
    host.active = 'wasm';
    const { clock, createProbe } = simulated(() => 20, host, 500);
    const timing = await timeSteps(createProbe(), clock, { maxSteps: 3, maxMs: 2000, maxFirstStepMs: 5000 });
    expect(timing).toEqual({ firstStepMs: 520, msPerStep: 20, steps: 3 });
  });

  it('stops once the time cap is used up', async () => {
    const host = new FakeHost();
    const { clock, createProbe } = simulated(() => 900, host);
    const timing = await timeSteps(createProbe(), clock, { maxSteps: 10, maxMs: 2000, maxFirstStepMs: 5000 });
    expect(timing.steps).toBeLessThanOrEqual(3);
    expect(timing.msPerStep).toBe(900);
  });

  it('gives up after a first step longer than allowed (shader compilation on a software GPU)', async () => {
    const host = new FakeHost();
    const { clock, createProbe } = simulated(() => 1600, host, 8000);
    const timing = await timeSteps(createProbe(), clock, { maxSteps: 3, maxMs: 2000, maxFirstStepMs: 5000 });
    expect(timing).toEqual({ firstStepMs: 9600, msPerStep: 9600, steps: 0 });
  });
});

describe('chooseBackend', () => {
  it('auto: times the candidates and picks the fastest, saying why', async () => {
    const host = new FakeHost(['webgpu', 'webgl', 'wasm', 'cpu']);
    const cost: Record<BackendName, number> = { webgpu: 5, webgl: 217, wasm: 22, cpu: 1000 };
    const { clock, createProbe, probes } = simulated((b) => cost[b!], host);
    const report = await chooseBackend({ choice: 'auto', host, createProbe, clock });
    expect(report.backend).toBe('webgpu');
    expect(report.measuredMsPerStep).toEqual({ webgpu: 5, webgl: 217, wasm: 22 });
    expect(host.active).toBe('webgpu');
    expect(probes.every((p) => (p as unknown as { disposed: boolean }).disposed)).toBe(true);
    expect(report.summary).toMatch(/using WebGPU: 5\.0 ms\/step/);
  });

  it('auto: skips software GPUs (fallback adapter, SwiftShader renderer) without timing them', async () => {
    const host = new FakeHost(['webgpu', 'webgl', 'wasm', 'cpu'], {
      webgpu: { software: true, description: 'google swiftshader' },
      webgl: { software: true, description: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))' },
    });
    const { clock, createProbe, probes } = simulated(() => 1, host);
    const report = await chooseBackend({ choice: 'auto', host, createProbe, clock });
    expect(report.backend).toBe('wasm');
    expect(probes).toHaveLength(0);
    expect(report.skipped.map((s) => s.backend)).toEqual(['webgpu', 'webgl']);
    expect(report.skipped[0].reason).toMatch(/^software adapter \(google swiftshader\)/);
    expect(report.skipped[1].reason).toMatch(/^software renderer \(ANGLE/);
    expect(report.summary).toBe(
      'WebGPU is a software adapter here (skipped); WebGL is a software renderer here (skipped); using WASM.',
    );
    expect(host.activations).toEqual(['wasm', 'wasm']);
  });

  it('auto: times a software GPU against others only when nothing else started, and beats cpu with it', async () => {
    const host = new FakeHost(['webgpu', 'webgl', 'cpu'], {
      webgpu: { software: true, description: 'swiftshader' },
      webgl: { software: true, description: 'SwiftShader' },
    });
    const cost: Record<BackendName, number> = { webgpu: 1600, webgl: 217, wasm: 22, cpu: 1000 };
    const { clock, createProbe } = simulated((b) => cost[b!], host);
    const report = await chooseBackend({ choice: 'auto', host, createProbe, clock });
    expect(report.backend).toBe('webgl');
    expect(report.measuredMsPerStep).toEqual({ webgpu: 1600, webgl: 217 });
    expect(report.summary).toBe('WebGPU 1.6 s/step; using WebGL: 217 ms/step.');
  });

  it('auto: reports a first step over the cap as such', async () => {
    const host = new FakeHost(['webgl', 'wasm']);
    const cost: Record<BackendName, number> = { webgpu: 1, webgl: 200, wasm: 22, cpu: 1 };
    const { clock, createProbe } = simulated((b) => cost[b!], host, 0);
    const report = await chooseBackend({
      choice: 'auto',
      host,
      createProbe,
      clock,
      limits: { maxSteps: 3, maxMs: 2000, maxFirstStepMs: 100 },
    });
    expect(report.backend).toBe('wasm');
    expect(report.skipped).toEqual([
      { backend: 'webgpu', reason: 'webgpu unavailable' },
      {
        backend: 'webgl',
        reason: 'slower here: 200 ms/step (first step alone, shader compilation included)',
      },
    ]);
  });

  it('auto: one candidate is used without timing; cpu only as the last resort', async () => {
    const single = new FakeHost(['wasm', 'cpu']);
    const { clock, createProbe, probes } = simulated(() => 1, single);
    const report = await chooseBackend({ choice: 'auto', host: single, createProbe, clock });
    expect(report.backend).toBe('wasm');
    expect(probes).toHaveLength(0);
    expect(report.skipped.map((s) => s.backend)).toEqual(['webgpu', 'webgl']);

    const cpuOnly = new FakeHost(['cpu']);
    const last = await chooseBackend({ choice: 'auto', host: cpuOnly, createProbe, clock });
    expect(last.backend).toBe('cpu');
  });

  it('forced: uses the choice, or the next backend in order with the reason', async () => {
    const host = new FakeHost(['webgl', 'wasm', 'cpu']);
    const { clock, createProbe, probes } = simulated(() => 1, host);
    const forced = await chooseBackend({ choice: 'wasm', host, createProbe, clock });
    expect(forced).toMatchObject({
      backend: 'wasm',
      choice: 'wasm',
      skipped: [],
      summary: 'Using WASM (forced).',
    });
    const fallback = await chooseBackend({ choice: 'webgpu', host, createProbe, clock });
    expect(fallback.backend).toBe('webgl');
    expect(fallback.skipped).toEqual([{ backend: 'webgpu', reason: 'webgpu unavailable' }]);
    expect(fallback.summary).toMatch(/WebGPU \(forced\) is unavailable/);
    expect(probes).toHaveLength(0);
  });

  it('skips excluded backends and fails with every reason when nothing starts', async () => {
    const host = new FakeHost(['wasm']);
    const { clock, createProbe } = simulated(() => 1, host);
    await expect(
      chooseBackend({ choice: 'auto', host, createProbe, clock, exclude: new Set<BackendName>(['wasm']) }),
    ).rejects.toThrow(
      /no backend could start: webgpu: webgpu unavailable; webgl: webgl unavailable; wasm: failed earlier/,
    );
  });
});
