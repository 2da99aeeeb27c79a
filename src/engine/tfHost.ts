import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from './backend';
import { BACKEND_LABELS, type BackendHost } from './backendChoice';

/**
 * A BackendHost over tfjs's backend registry: whatever backends the entry point registered (the worker: all
 * four; Node: wasm and cpu). The browser host adds adapter inspection and device-loss watching on top.
 */
export function createTfHost(): BackendHost {
  return {
    async activate(name: BackendName): Promise<void> {
      if (!tf.findBackendFactory(name)) throw new Error(`${BACKEND_LABELS[name]} is not available here`);
      if (tf.getBackend() === name) return;
      // setBackend reports failure as `false` (the cause only goes to console.warn).
      if (!(await tf.setBackend(name))) throw new Error(`${BACKEND_LABELS[name]} failed to initialize`);
      await tf.ready();
    },
    discard(name: BackendName): void {
      try {
        tf.removeBackend(name);
      } catch {
        // Disposing a broken backend can throw; it is unregistered either way.
      }
    },
  };
}
