/**
 * A replacement for tfjs-wasm 4.22's Slice and SplitV kernels. Upstream, Slice starts with
 * `backend.readSync(x)`, which copies the *whole* input out of the wasm heap into a fresh ArrayBuffer, and SplitV
 * slices once per part: splitting the optimizer's flat update into 11 parameters copies the 222 592-float vector
 * 11 times per step, and taking the transformer's last position copies the whole [rows, 3, d] stream. Measured
 * with `tf.profile` (bench:throughput, "Where a wasm step's time goes"): SplitV 5.3 of 16.8 ms kernel time per mlp
 * step, SplitV + Slice ≈ 55 ms per classic step, plus the garbage collections the copies trigger.
 * This version reads through views of the heap instead, copying only the requested elements.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type TensorInfo = tf.TensorInfo;

/** Copies the box `begin`…`begin + size` of a row-major array of `shape` into `out`, one innermost run at a time. */
export function copyBox(
  source: tf.TypedArray,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  out: tf.TypedArray,
): void {
  const rank = shape.length;
  if (rank === 0) {
    out[0] = source[0];
    return;
  }
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let axis = rank - 2; axis >= 0; axis--) strides[axis] = strides[axis + 1] * shape[axis + 1];
  const run = size[rank - 1];
  const runs = size.slice(0, -1).reduce((product, extent) => product * extent, 1);
  const index = new Array<number>(Math.max(0, rank - 1)).fill(0);
  for (let r = 0; r < runs; r++) {
    let offset = begin[rank - 1];
    for (let axis = 0; axis < rank - 1; axis++) offset += (begin[axis] + index[axis]) * strides[axis];
    out.set(source.subarray(offset, offset + run), r * run);
    // Odometer over the outer axes.
    for (let axis = rank - 2; axis >= 0; axis--) {
      if (++index[axis] < size[axis]) break;
      index[axis] = 0;
    }
  }
}

function sliceFromHeap(backend: BackendWasm, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const [begin_, size_] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
  // Allocate first: growing the heap detaches earlier views.
  const out = backend.makeOutput(size_, x.dtype);
  if (tf.util.sizeFromShape(size_) === 0) return out;
  const source = backend.typedArrayFromHeap(x);
  const target = backend.typedArrayFromHeap(out);
  if (tf.slice_util.isSliceContinous(x.shape, begin_, size_)) {
    const offset = tf.slice_util.computeFlatOffset(begin_, tf.util.computeStrides(x.shape));
    target.set(source.subarray(offset, offset + tf.util.sizeFromShape(size_)));
  } else {
    copyBox(source, x.shape, begin_, size_, target);
  }
  return out;
}

let installed = false;

export type NumericKernel = (
  x: TensorInfo,
  attrs: tf.NamedAttrMap,
  backend: BackendWasm,
  /** The upstream kernel on the same call. */
  upstream: () => TensorInfo | TensorInfo[],
) => TensorInfo | TensorInfo[];

/** Swaps the wasm kernel `name` for `numeric`; string tensors keep the original. False when it is not registered. */
export function replaceWasmKernel(name: string, numeric: NumericKernel): boolean {
  const original = tf.getKernel(name, 'wasm');
  if (!original) return false;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({
    kernelName: name,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs.x as TensorInfo;
      if (x.dtype === 'string') return original.kernelFunc(args);
      return numeric(x, args.attrs ?? {}, args.backend as BackendWasm, () => original.kernelFunc(args));
    },
  });
  return true;
}

/**
 * Registers the heap-view Slice and SplitV for the wasm backend (string tensors keep the original kernels).
 * Idempotent; does nothing when the wasm backend is not part of the bundle.
 */
export function installWasmSlice(): void {
  if (installed || !tf.getKernel(tf.Slice, 'wasm') || !tf.getKernel(tf.SplitV, 'wasm')) return;
  installed = true;
  replaceWasmKernel(tf.Slice, (x, attrs, backend) => {
    const { begin, size } = attrs as unknown as tf.SliceAttrs;
    return sliceFromHeap(backend, x, toArray(begin), toArray(size));
  });
  replaceWasmKernel(tf.SplitV, (x, attrs, backend) => {
    const { numOrSizeSplits, axis } = attrs as unknown as tf.SplitVAttrs;
    const splitAxis = tf.util.parseAxisParam(axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, splitAxis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((extent) => {
      const size = [...x.shape];
      size[splitAxis] = extent;
      const part = sliceFromHeap(backend, x, [...begin], size);
      begin[splitAxis] += extent;
      return part;
    });
  });
}

function toArray(value: number | number[]): number[] {
  return typeof value === 'number' ? [value] : value;
}
