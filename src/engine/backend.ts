import * as tf from '@tensorflow/tfjs-core';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** What a run asks for: a backend, or 'auto' (picked by measurement: backendChoice.ts). */
export type BackendChoice = BackendName | 'auto';

/** Which backend a run got and why, for the page's badge and the CLI's log. */
export interface BackendReport {
  backend: BackendName;
  /** What was asked for: 'auto' (picked by measurement) or a forced backend. */
  choice: BackendChoice;
  /** Why each faster backend was not used, e.g. { backend: 'webgpu', reason: 'no adapter' }. */
  skipped: { backend: BackendName; reason: string }[];
  /** Measured ms/step of the backends that were timed (auto selection). */
  measuredMsPerStep: Partial<Record<BackendName, number>>;
  /** One sentence for the page, e.g. "WebGPU is a software adapter here (skipped); using WASM: 22 ms/step". */
  summary: string;
  /** wasm only: the XNNPACK threads it runs on, when more than one (src/worker/wasmThreads.ts). */
  threads?: number;
}

/** What a Node entry point may ask for (`--backend`): Node has no WebGL; `auto` measures (src/engine/node.ts). */
export type NodeBackendChoice = 'auto' | 'webgpu' | 'wasm' | 'cpu';
export const NODE_BACKEND_CHOICES: readonly NodeBackendChoice[] = ['auto', 'webgpu', 'wasm', 'cpu'];

export function isNodeBackendChoice(value: unknown): value is NodeBackendChoice {
  return (NODE_BACKEND_CHOICES as readonly unknown[]).includes(value);
}

/** Tries each backend in order and returns the first that initializes, with why the others were skipped. */
export async function selectBackend(
  order: readonly BackendName[],
): Promise<{ backend: BackendName; skipped: { backend: BackendName; reason: string }[] }> {
  const skipped: { backend: BackendName; reason: string }[] = [];
  for (const backend of order) {
    try {
      if (await tf.setBackend(backend)) {
        await tf.ready();
        return { backend, skipped };
      }
      skipped.push({ backend, reason: 'failed to initialize' });
    } catch (error) {
      skipped.push({ backend, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  throw new Error(`no backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}
