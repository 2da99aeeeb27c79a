/**
 * XNNPACK threads for a training worker's wasm backend. The page decides how many (it knows the cores and the
 * lanes); the worker learns the number from its own name, which it can read synchronously before wasm starts (the
 * thread pool is made once, when wasm first starts, and cannot change after). No tfjs here: the page imports it.
 */
import type { BackendReport } from './protocol';

/**
 * emscripten's pthread pool in tfjs-wasm 4.22 preallocates 8 workers; a pool larger than that would have to start
 * workers while the wasm thread waits for them, which a worker's event loop cannot do.
 */
export const MAX_WASM_THREADS = 8;

/**
 * Threads for each lane's worker: the cores shared evenly, every lane the same count (a race stays fair), at
 * least one. One lane on 2 cores: 2; a two-lane race on 2 cores: 1 each.
 */
export function wasmThreadsPerLane(cores: number | undefined, lanes: number): number {
  const usable = Number.isFinite(cores) && (cores ?? 0) >= 1 ? Math.floor(cores!) : 1;
  return Math.max(1, Math.min(MAX_WASM_THREADS, Math.floor(usable / Math.max(1, lanes))));
}

/**
 * Estimated ms/step (src/engine/runCost.ts) from which a run gets threads. Measured on 2 cores, quiet (Node wasm,
 * bench/results/threads.md): 2 XNNPACK threads took 0.69× the 1-thread time on classic (276 ms), but 1.07× on the
 * mlp (8.5 ms) and 1.08× on the small transformer (23 ms): on small models the threads' synchronization costs more
 * than they share. Between 23 and 276 ms nothing was measured; classic is estimated at ≈ 320 ms, the fast
 * transformer at ≈ 34, addition at ≈ 105.
 */
export const THREADS_FROM_MS_PER_STEP = 150;

/** Threads for a lane's worker: its share of the cores (wasmThreadsPerLane) when the run is big enough to gain. */
export function wasmThreadsForRun(
  cores: number | undefined,
  lanes: number,
  estimatedMsPerStep: number,
): number {
  return estimatedMsPerStep >= THREADS_FROM_MS_PER_STEP ? wasmThreadsPerLane(cores, lanes) : 1;
}

const NAME = 'training';
const THREADS = / wasm-threads=(\d+)$/;

/** The Worker's `name` option: readable in devtools, and the worker's only input before its first message. */
export function trainingWorkerName(threads: number): string {
  return threads > 1 ? `${NAME} wasm-threads=${Math.floor(threads)}` : NAME;
}

/** The thread count a worker was named with (1 for any other name). */
export function threadsFromWorkerName(name: string | undefined): number {
  const match = THREADS.exec(name ?? '');
  const threads = match ? Number(match[1]) : 1;
  return Number.isSafeInteger(threads) && threads >= 1 ? Math.min(threads, MAX_WASM_THREADS) : 1;
}

/** tfjs-wasm's thread setter, as this file needs it (injected: the page must not import tfjs). */
export interface WasmThreadControls {
  setThreadsCount(threads: number): void;
}

/**
 * Asks tfjs-wasm for `threads` threads; call before wasm first starts. Stock 4.22 sizes its pool as
 * min(setThreadsCount(n), navigator.hardwareConcurrency / 2) (backend.cc assumes two hyper-threads per core), so on
 * 2 cores it would get 1: the worker reports twice its cores to the wasm glue (only in this worker, and only when
 * threads were asked for) — twice the threads asked for if that is more, so the pool is what the page asked for
 * (the page asks for at most the cores); one thread is asked for explicitly. Without cross-origin isolation the
 * threaded build cannot load; nothing is changed then.
 * Returns the threads asked for (1 when none could be).
 */
export function requestWasmThreads(
  threads: number,
  scope: { navigator: { readonly hardwareConcurrency: number }; crossOriginIsolated?: boolean },
  wasm: WasmThreadControls,
): number {
  if (!scope.crossOriginIsolated) return 1;
  if (threads <= 1) {
    // Unasked, the threaded build takes half the logical cores (up to 8) for every worker: on an 8-core laptop a
    // sweep's workers would each start 4 threads and oversubscribe the cores the page meant them to share.
    wasm.setThreadsCount(1);
    return 1;
  }
  const cores = scope.navigator.hardwareConcurrency || 1;
  Object.defineProperty(scope.navigator, 'hardwareConcurrency', {
    value: 2 * Math.max(cores, threads),
    configurable: true,
  });
  wasm.setThreadsCount(threads);
  return threads;
}

/** The backend report with the threads the wasm backend runs on (other backends: unchanged). */
export function withThreads(report: BackendReport, threads: number): BackendReport {
  if (report.backend !== 'wasm' || threads <= 1) return report;
  const summary = report.summary.replace(/\.$/, '');
  return { ...report, threads, summary: `${summary} (${threads} threads).` };
}
