/**
 * tfjs-wasm 4.22's Identity and Cast copy their input into a fresh heap allocation, even for a cast to the same
 * dtype. tfjs-core calls Identity for every tensor a taped kernel saves for its gradient (Engine.clone in
 * saveTensorsForBackwardMode, and customGrad's save): 16 copies per `mlp` training step, 69 per fast-transformer
 * step, each a malloc, a copy and a free (bench/results/kernel-tax/README.md). tfjs-wasm's own Reshape already
 * shares its input's buffer by reference count, as the cpu backend's Identity does; no wasm kernel writes into
 * its inputs, so sharing is exact. With FAST_PATHS.sharedCopies off, the upstream kernels run.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { FAST_PATHS } from '../fastPaths';
import { replaceWasmKernel } from '../wasmSlice';

function share(x: tf.TensorInfo, backend: BackendWasm): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

let installed = false;

/** Registers the sharing Identity and Cast for the wasm backend. Idempotent; nothing when wasm is not bundled. */
export function installWasmSharedCopies(): void {
  if (installed || !tf.getKernel(tf.Identity, 'wasm') || !tf.getKernel(tf.Cast, 'wasm')) return;
  installed = true;
  replaceWasmKernel(tf.Identity, (x, _attrs, backend, upstream) =>
    FAST_PATHS.sharedCopies ? share(x, backend) : upstream(),
  );
  replaceWasmKernel(tf.Cast, (x, attrs, backend, upstream) =>
    FAST_PATHS.sharedCopies && (attrs as unknown as tf.CastAttrs).dtype === x.dtype
      ? share(x, backend)
      : upstream(),
  );
}
