/**
 * Headless setup for Node (CLI, tests, benches): the wasm backend, whose .wasm binaries ship in the npm package,
 * with the cpu backend as fallback. (@tensorflow/tfjs-node cannot be installed here: it downloads a binary.)
 */
// The union package registers every op's gradient (tfjs-core alone does not) and the cpu backend.
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { selectBackend, type BackendName } from './backend';
import { installWasmSlice } from './wasmSlice';

installWasmSlice();

export async function initNodeBackend(preferred: BackendName = 'wasm'): Promise<BackendName> {
  const order: BackendName[] = preferred === 'cpu' ? ['cpu'] : ['wasm', 'cpu'];
  const { backend } = await selectBackend(order);
  return backend;
}
