/**
 * The lab's WebAssembly SIMD kernels (kernels.wat), instantiated on tfjs-wasm's own memory so that they read and
 * write tensors where they lie: a pointer is a tensor's memoryOffset. One instance per wasm backend (per memory).
 * null where they cannot run — a browser without wasm SIMD (tfjs then runs its plain build too), or a tfjs-wasm
 * whose memory this cannot find — and the callers keep their JavaScript or tfjs paths.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { FAST_PATHS } from '../../fastPaths';
import { KERNELS_PLAIN_MEMORY, KERNELS_SHARED_MEMORY } from './kernels.wasm';

/** The module's exports (kernels.wat says what each computes). Pointers are byte offsets; 0 means "none". */
export interface SimdKernels {
  rowsProduct(
    x: number,
    xInt: number,
    w: number,
    bias: number,
    rows: number,
    inner: number,
    columns: number,
    relu: number,
    out: number,
  ): void;
  rowsProductGrad(
    x: number,
    xInt: number,
    dy: number,
    y: number,
    rows: number,
    inner: number,
    columns: number,
    weightGrad: number,
    biasGrad: number,
  ): void;
  radialPenalty(h: number, rows: number, d: number, norms: number): number;
  columnSums(x: number, rows: number, columns: number, out: number): void;
  softmaxCrossEntropy(
    logits: number,
    targets: number,
    targetsInt: number,
    rows: number,
    classes: number,
    probabilities: number,
  ): number;
  softmaxCrossEntropyGrad(
    probabilities: number,
    targets: number,
    targetsInt: number,
    count: number,
    scale: number,
    out: number,
  ): void;
  radialPenaltyGrad(h: number, norms: number, rows: number, d: number, scale: number, dh: number): void;
  adamW(
    m: number,
    v: number,
    g: number,
    theta: number,
    outM: number,
    outV: number,
    outTheta: number,
    count: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    keep: number,
    stepSize: number,
  ): void;
}

/** Where tfjs-wasm's Emscripten module keeps its memory: exported by the single-threaded builds, made by the threaded. */
interface EmscriptenMemory {
  wasmMemory?: WebAssembly.Memory;
  asm?: { memory?: WebAssembly.Memory };
}

const decode = (base64: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

const instances = new WeakMap<WebAssembly.Memory, SimdKernels | null>();

function instantiate(memory: WebAssembly.Memory): SimdKernels | null {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const bytes = decode(shared ? KERNELS_SHARED_MEMORY : KERNELS_PLAIN_MEMORY);
  if (!WebAssembly.validate(bytes)) return null;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    return instance.exports as unknown as SimdKernels;
  } catch {
    return null;
  }
}

/** The kernels on this wasm backend's memory, or null where they cannot run. */
export function simdKernels(backend: BackendWasm): SimdKernels | null {
  const module = backend.wasm as unknown as EmscriptenMemory;
  const memory = module.wasmMemory ?? module.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  let kernels = instances.get(memory);
  if (kernels === undefined) {
    kernels = instantiate(memory);
    instances.set(memory, kernels);
  }
  return kernels;
}

/** A tensor's byte offset in this backend's wasm heap (what the kernels take as a pointer), as a function. */
export function heapAddresses(backend: BackendWasm): (tensor: tf.TensorInfo) => number {
  return (tensor) => backend.dataIdMap.get(tensor.dataId)!.memoryOffset;
}

/** The kernels on this backend when FAST_PATHS.simdKernels is on and they run here, else null (the other paths). */
export function activeSimdKernels(backend: BackendWasm): SimdKernels | null {
  return FAST_PATHS.simdKernels ? simdKernels(backend) : null;
}

/** Whether the SIMD kernels run on the active backend: FAST_PATHS.simdKernels, wasm, and wasm SIMD here. */
export function simdKernelsActive(): boolean {
  return tf.getBackend() === 'wasm' && activeSimdKernels(tf.backend() as BackendWasm) !== null;
}

export type SimdKernelFunc = (
  kernels: SimdKernels,
  wasm: BackendWasm,
  /** By the names the op passed (a kernel reads only the ones its op always passes). */
  inputs: Record<string, tf.TensorInfo>,
  attrs: tf.NamedAttrMap,
) => tf.TensorInfo | tf.TensorInfo[];

/** Registers a wasm-backend kernel that runs on the SIMD kernels (once; later calls do nothing). */
export function registerSimdKernel(kernelName: string, run: SimdKernelFunc): void {
  if (tf.getKernel(kernelName, 'wasm')) return;
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const wasm = backend as BackendWasm;
      const kernels = simdKernels(wasm);
      if (!kernels) throw new Error(`${kernelName} needs WebAssembly SIMD (check simdKernelsActive first)`);
      return run(kernels, wasm, inputs as Record<string, tf.TensorInfo>, attrs ?? {});
    },
  });
}

/** A kernel's int32 flag for a tensor (the one-hot data and targets come as int32). */
export const isInt32 = (info: tf.TensorInfo): number => (info.dtype === 'int32' ? 1 : 0);
