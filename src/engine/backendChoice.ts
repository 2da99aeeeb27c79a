/**
 * The backend rules, the same in the browser's worker and in Node (node.ts): which backends to try in which order,
 * how a probe trainer is timed on each, which one a run gets, and which failures are the backend's fault.
 */
import type { BackendChoice, BackendName, BackendReport } from './backend';
import { TaskError } from './tasks/dataset';
import { ExpressionError } from './tasks/expression';

/** Milliseconds from any origin: performance, the worker's Clock, or a simulated clock in tests. */
export interface StepClock {
  now(): number;
}

/** Preference order: fastest hardware first; `cpu` (plain JS) is the last resort. */
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export const BACKEND_LABELS: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};

export function isBackendChoice(value: unknown): value is BackendChoice {
  return value === 'auto' || (BACKEND_ORDER as readonly unknown[]).includes(value);
}

/** What the environment knows about a backend before using it. */
export interface BackendInfo {
  /** Emulated on the CPU: a fallback WebGPU adapter or a software WebGL renderer (SwiftShader, llvmpipe). */
  software: boolean;
  /** e.g. the adapter's vendor/architecture or the WebGL renderer string. */
  description: string;
}

/** The backends of an environment: tfjs in the worker, wasm/cpu in Node, fakes in tests. */
export interface BackendHost {
  /** Makes `name` the active backend; throws with a readable reason if it cannot. */
  activate(name: BackendName): Promise<void>;
  /** Cheap facts known before activating; throws if the backend is plainly unavailable (e.g. no adapter). */
  inspect?(name: BackendName): Promise<BackendInfo | null>;
  /** After a fault: forget the backend (a lost device is not coming back in this worker). */
  discard?(name: BackendName): void;
  /** Registers the receiver of asynchronous faults (a WebGPU device lost between two chunks). */
  watch?(onFault: (backend: BackendName, reason: string) => void): void;
}

/** What timing needs from a trainer. */
export interface Steppable {
  trainStep(): void;
  /** Resolves when queued GPU work is done (no-op cost on wasm/cpu). */
  settle(): Promise<void>;
  dispose(): void;
}

export interface TimingLimits {
  /** Timed steps after the first (the first compiles shaders and allocates, so it is timed on its own). */
  maxSteps: number;
  /** Stop timing once this much time went into the timed steps. */
  maxMs: number;
  /** If the first step alone takes longer, take it as the estimate and stop (SwiftShader WebGPU: ~8 s). */
  maxFirstStepMs: number;
}

export interface StepTiming {
  firstStepMs: number;
  /** Mean over the timed steps; the first step's time if none were timed. */
  msPerStep: number;
  /** Steps timed after the first. */
  steps: number;
}

export const PROBE_LIMITS: TimingLimits = { maxSteps: 3, maxMs: 2000, maxFirstStepMs: 5000 };

/**
 * Times training steps: the first alone, then rounds of growing size (1, 2, 4, …) each ended by one settle(),
 * so GPU backends are measured at throughput rather than at one read-back per step, while the time cap holds
 * to within about one round.
 */
export async function timeSteps(
  trainer: Steppable,
  clock: StepClock,
  limits: TimingLimits,
): Promise<StepTiming> {
  let started = clock.now();
  trainer.trainStep();
  await trainer.settle();
  const firstStepMs = clock.now() - started;
  if (firstStepMs > limits.maxFirstStepMs || limits.maxSteps <= 0) {
    return { firstStepMs, msPerStep: firstStepMs, steps: 0 };
  }
  let steps = 0;
  let elapsed = 0;
  let round = 1;
  while (steps < limits.maxSteps && elapsed < limits.maxMs) {
    const estimate = steps > 0 ? elapsed / steps : firstStepMs;
    const affordable = Math.max(1, Math.floor((limits.maxMs - elapsed) / Math.max(estimate, 1e-3)));
    const size = Math.min(round, limits.maxSteps - steps, affordable);
    started = clock.now();
    for (let i = 0; i < size; i++) trainer.trainStep();
    await trainer.settle();
    elapsed += clock.now() - started;
    steps += size;
    round *= 2;
  }
  return { firstStepMs, msPerStep: elapsed / steps, steps };
}

export interface ChooseOptions {
  choice: BackendChoice;
  host: BackendHost;
  /** Builds a throwaway trainer for the run's config on the active backend. */
  createProbe(): Steppable;
  clock: StepClock;
  limits?: TimingLimits;
  /** Backends that failed earlier in this worker. */
  exclude?: ReadonlySet<BackendName>;
}

type Skip = BackendReport['skipped'][number];

export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  return ms >= 10 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * tfjs's own argument checks (util.assert) for shapes and lists: the same program with the same data raises them on
 * every backend, so moving to another backend only repeats the failure, slower.
 */
const PROGRAM_ERRORS: readonly RegExp[] = [
  /Pass at least one tensor to concat/,
  /^Error in \w+:/,
  /could not be broadcast together/,
  /must match the (product of )?shape/,
  /Size\(\d+\) must match/,
  /The new shape \(.*\) has \d+ elements and the old shape/,
];

/**
 * Whether a failed step is the backend's fault (a lost device, out of memory, a missing kernel, a shader that does
 * not compile: another backend may well succeed) or the run's own (a task that cannot be trained on, a shape error):
 * those fail the same everywhere, and demoting the backend for them would leave every later run on a slower one.
 * Unknown errors count as the backend's, which keeps the fail-over for anything not recognised.
 */
export function isBackendFault(error: unknown): boolean {
  if (error instanceof TaskError || error instanceof ExpressionError) return false;
  const message = reasonOf(error);
  return !PROGRAM_ERRORS.some((pattern) => pattern.test(message));
}

/**
 * Picks the backend for a run and leaves it active. Forced: the first of [choice, later backends in
 * BACKEND_ORDER] that starts. Auto: every backend before cpu that starts is timed on the actual model
 * (PROBE_LIMITS) and the fastest wins, because "WebGPU first" must not mean "slowest first" (DESIGN §4b):
 * a software WebGPU adapter is ~70× slower than wasm here. Software GPUs (fallback adapter, SwiftShader
 * renderer) are not even timed unless nothing else starts (see below).
 */
export async function chooseBackend(options: ChooseOptions): Promise<BackendReport> {
  const { choice, host, exclude } = options;
  const skipped: Skip[] = [];
  const usable = (name: BackendName): boolean => {
    if (!exclude?.has(name)) return true;
    skipped.push({ backend: name, reason: 'failed earlier in this session' });
    return false;
  };

  if (choice !== 'auto') {
    for (const name of BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(choice))) {
      if (!usable(name)) continue;
      try {
        await host.activate(name);
      } catch (error) {
        skipped.push({ backend: name, reason: reasonOf(error) });
        continue;
      }
      const summary =
        name === choice
          ? `Using ${BACKEND_LABELS[name]} (forced).`
          : `${BACKEND_LABELS[choice]} (forced) is unavailable: ${skipped.find((s) => s.backend === choice)?.reason}; using ${BACKEND_LABELS[name]}.`;
      return { backend: name, choice, skipped, measuredMsPerStep: {}, summary };
    }
    throw new Error(noBackend(skipped));
  }

  const candidates: BackendName[] = [];
  const notes: string[] = [];
  const software: { name: BackendName; info: BackendInfo }[] = [];
  for (const name of BACKEND_ORDER.filter((backend) => backend !== 'cpu')) {
    if (!usable(name)) continue;
    try {
      const info = (await host.inspect?.(name)) ?? null;
      if (info?.software) {
        software.push({ name, info });
        continue;
      }
      await host.activate(name);
      candidates.push(name);
    } catch (error) {
      skipped.push({ backend: name, reason: reasonOf(error) });
    }
  }
  // A software GPU is emulated on the same CPU that runs wasm, slower than wasm, and its first step compiles
  // shaders for seconds (≈ 8–10 s for WebGL and WebGPU on SwiftShader here): not worth timing when anything
  // else started. Without any other candidate it still beats the plain-JS cpu backend.
  const onlySoftware = candidates.length === 0;
  for (const { name, info } of software) {
    if (onlySoftware) {
      try {
        await host.activate(name);
        candidates.push(name);
        continue;
      } catch (error) {
        skipped.push({ backend: name, reason: reasonOf(error) });
        continue;
      }
    }
    const kind = name === 'webgpu' ? 'adapter' : 'renderer';
    const what = info.description ? ` (${info.description})` : '';
    skipped.push({
      backend: name,
      reason: `software ${kind}${what}: emulated on the CPU, slower than WASM, and its first step compiles shaders for seconds; not timed. Force ${BACKEND_LABELS[name]} to use it anyway.`,
    });
    notes.push(`${BACKEND_LABELS[name]} is a software ${kind} here (skipped)`);
  }
  skipped.sort((a, b) => BACKEND_ORDER.indexOf(a.backend) - BACKEND_ORDER.indexOf(b.backend));

  const measured: Partial<Record<BackendName, number>> = {};
  if (candidates.length === 0) {
    if (usable('cpu')) {
      try {
        await host.activate('cpu');
        notes.push('no faster backend started');
        return {
          backend: 'cpu',
          choice,
          skipped,
          measuredMsPerStep: measured,
          summary: `${notes.join('; ')}; using CPU.`,
        };
      } catch (error) {
        skipped.push({ backend: 'cpu', reason: reasonOf(error) });
      }
    }
    throw new Error(noBackend(skipped));
  }

  let best: BackendName = candidates[0];
  const firstStepOnly = new Set<BackendName>();
  if (candidates.length > 1) {
    const limits = options.limits ?? PROBE_LIMITS;
    for (const name of candidates) {
      let probe: Steppable | null = null;
      try {
        await host.activate(name);
        probe = options.createProbe();
        const timing = await timeSteps(probe, options.clock, limits);
        measured[name] = timing.msPerStep;
        if (timing.steps === 0) firstStepOnly.add(name);
      } catch (error) {
        skipped.push({ backend: name, reason: `failed while timing: ${reasonOf(error)}` });
      } finally {
        probe?.dispose();
      }
    }
    const timed = candidates.filter((name) => measured[name] !== undefined);
    if (timed.length === 0) throw new Error(noBackend(skipped));
    best = timed.reduce((a, b) => (measured[b]! < measured[a]! ? b : a));
    for (const name of timed) {
      if (name === best) continue;
      const firstOnly = firstStepOnly.has(name) ? ' (first step alone, shader compilation included)' : '';
      skipped.push({ backend: name, reason: `slower here: ${formatMs(measured[name]!)}/step${firstOnly}` });
      notes.push(`${BACKEND_LABELS[name]} ${formatMs(measured[name]!)}/step`);
    }
  }
  await host.activate(best);
  const speed = measured[best] !== undefined ? `: ${formatMs(measured[best]!)}/step` : '';
  notes.push(`using ${BACKEND_LABELS[best]}${speed}`);
  const summary = notes.join('; ');
  return {
    backend: best,
    choice,
    skipped,
    measuredMsPerStep: measured,
    summary: summary.charAt(0).toUpperCase() + summary.slice(1) + '.',
  };
}

function noBackend(skipped: readonly Skip[]): string {
  return `no backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`;
}
