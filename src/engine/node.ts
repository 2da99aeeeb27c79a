/**
 * Headless setup for Node (CLI, tests, benches): the wasm backend, whose .wasm binaries ship in the npm package,
 * with the cpu backend as fallback; WebGPU through Dawn when asked (nodeWebgpu.ts, an optional package).
 * (@tensorflow/tfjs-node cannot be installed here: it downloads a binary.)
 */
// The union package registers every op's gradient (tfjs-core alone does not) and the cpu backend.
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend, type BackendName, type NodeBackendChoice } from './backend';
import {
  installNodeWebGpu,
  WebGpuUnavailableError,
  type NodeWebGpuInfo,
  type WebGpuAdapterChoice,
} from './nodeWebgpu';
import { installWasmSlice } from './wasmSlice';
import { installWasmSharedCopies } from './kernels/wasmSharedCopies';
import { BACKEND_LABELS, chooseBackend, type BackendHost, type Steppable } from './backendChoice';
import { createTfHost } from './tfHost';

installWasmSlice();
installWasmSharedCopies();

export interface NodeBackendOptions {
  /**
   * wasm: XNNPACK threads (default 1, the single-threaded SIMD build). More loads tfjs's threaded build, which
   * in Node needs patches/@tensorflow+tfjs-backend-wasm+4.22.0.patch (applied by npm install's patch-package):
   * stock 4.22 cannot start its pthread workers in Node, and caps threads at half the logical cores.
   * Fixed for the life of the process once wasm has started.
   */
  wasmThreads?: number;
  /** Which WebGPU adapter Dawn uses (default: GROK_WEBGPU_ADAPTER, else the system's Vulkan driver). */
  webgpuAdapter?: WebGpuAdapterChoice;
  /** `auto` only: a throwaway trainer for the run's config on the active backend, to time candidates. */
  createProbe?: () => Steppable;
}

export interface NodeBackendReport {
  backend: BackendName;
  /** One line for the log: what was chosen and why. */
  summary: string;
  /** Set when WebGPU was set up (whether or not it was chosen). */
  webgpu: NodeWebGpuInfo | null;
}

/** The Node backends as a BackendHost: wasm and cpu from the registry, webgpu once Dawn is installed. */
function createNodeHost(options: NodeBackendOptions, seen: { webgpu: NodeWebGpuInfo | null }): BackendHost {
  const base = createTfHost();
  const webgpu = async (): Promise<NodeWebGpuInfo> => {
    seen.webgpu = await installNodeWebGpu({ adapter: options.webgpuAdapter });
    return seen.webgpu;
  };
  return {
    async activate(name) {
      if (name === 'webgpu') await webgpu();
      await base.activate(name);
    },
    async inspect(name) {
      if (name === 'webgpu') return webgpu();
      if (name === 'webgl') throw new Error('WebGL is not available in Node');
      return null;
    },
    discard: base.discard,
  };
}

/**
 * Starts the requested backend. `wasm` / `cpu`: that one (wasm falls back to cpu). `webgpu`: WebGPU or a
 * WebGpuUnavailableError saying what to install (no silent fallback: the user asked for the GPU).
 * `auto`: the browser's rule (backendChoice.ts): every backend that starts, except a software
 * adapter, is timed on the run's model (a few steps: PROBE_LIMITS) and the fastest is used; a software
 * adapter is used only when nothing else starts.
 */
export async function startNodeBackend(
  choice: NodeBackendChoice,
  options: NodeBackendOptions = {},
): Promise<NodeBackendReport> {
  const seen: { webgpu: NodeWebGpuInfo | null } = { webgpu: null };
  requestWasmThreads(options.wasmThreads ?? 1);
  if (choice === 'wasm' || choice === 'cpu') {
    const order: BackendName[] = choice === 'cpu' ? ['cpu'] : ['wasm', 'cpu'];
    const { backend, skipped } = await selectBackend(order);
    if (backend === 'wasm') checkWasmThreads(options.wasmThreads ?? 1);
    const threads = backend === 'wasm' && getThreadsCount() > 1 ? `, ${getThreadsCount()} threads` : '';
    const why = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
    return {
      backend,
      summary: `using ${BACKEND_LABELS[backend]}${threads}${why ? ` (${why})` : ''}`,
      webgpu: null,
    };
  }
  const host = createNodeHost(options, seen);
  if (choice === 'webgpu') {
    await host.activate('webgpu');
    const info = seen.webgpu!;
    const software = info.software ? ', a software adapter: for correctness checks, not speed' : '';
    return { backend: 'webgpu', summary: `using WebGPU (${info.description}${software})`, webgpu: info };
  }
  if (!options.createProbe) throw new Error('backend "auto" needs createProbe (the run\'s model, to time)');
  const report = await chooseBackend({
    choice: 'auto',
    host,
    createProbe: options.createProbe,
    clock: performance,
  });
  const skipped = report.skipped
    .filter((skip) => !report.summary.includes(BACKEND_LABELS[skip.backend]))
    .map((skip) => `${BACKEND_LABELS[skip.backend]}: ${skip.reason}`);
  const why = skipped.length > 0 ? ` (skipped ${skipped.join('; ')})` : '';
  return { backend: report.backend, summary: `${report.summary}${why}`, webgpu: seen.webgpu };
}

/** Asks for `threads` XNNPACK threads before wasm first starts (the thread pool is made at start). */
function requestWasmThreads(threads: number): void {
  if (threads <= 1 || tf.findBackend('wasm')) return;
  // tfjs-wasm reports no thread support in Node (IS_NODE); the patch makes the threaded build start there.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
}

function checkWasmThreads(threads: number): void {
  const actual = getThreadsCount();
  if (threads > 1 && actual !== threads) {
    throw new Error(
      `asked for ${threads} wasm threads, got ${actual}: wasm had already started in this process, or ` +
        'patches/@tensorflow+tfjs-backend-wasm+4.22.0.patch is not applied (npm install runs patch-package)',
    );
  }
}

/** The wasm (or cpu) backend, as tests and benches have always started it. */
export async function initNodeBackend(preferred: BackendName = 'wasm'): Promise<BackendName> {
  const { backend } = await startNodeBackend(preferred === 'cpu' ? 'cpu' : 'wasm');
  return backend;
}

export { WebGpuUnavailableError };
export type { WebGpuAdapterChoice };
