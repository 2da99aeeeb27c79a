/**
 * x · w where x is data that is mostly zeros (one-hot rows), as two hand-written wasm-backend kernels that visit
 * only x's nonzero entries: engine.embed() — the transformer's token lookup [2 019, 32] · [32, 64] and its table
 * gradient, which XNNPACK computes as dense products (plus a Transpose of the one-hot matrix, two Casts of the
 * int32 one-hots and a zero gradient for the data). Each kernel is one pass over heap views (as wasmSlice.ts reads
 * them); bias and ReLU and their gradients can ride in the same pass (tested), but for the factored MLP's
 * two-hot [673, 62] · [62, 256] layer these scalar JavaScript passes cost more CPU than XNNPACK's SIMD product, so
 * ops.dataDense does not use them (bench/results/kernel-tax/README.md).
 *
 * The sums are those of the dense product without its zero terms (0·w adds ±0), so values agree to rounding; a
 * weight row that is ±∞ or NaN but never selected gives NaN in the dense product and not here.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { activeSimdKernels, heapAddresses, isInt32, simdKernelsActive } from './simd/simdKernels';

const FORWARD = 'GrokOneHotProduct';
const BACKWARD = 'GrokOneHotProductGrad';

interface ForwardAttrs {
  relu: boolean;
}

/** Column indices of row `r`'s nonzero entries of x [M, K], into `into`; returns how many. */
function nonzeros(x: ArrayLike<number>, r: number, inner: number, into: Int32Array): number {
  let count = 0;
  const offset = r * inner;
  for (let k = 0; k < inner; k++) if (x[offset + k] !== 0) into[count++] = k;
  return count;
}

/**
 * relu?(x · w + bias?) for x [M, K], w [K, N], bias [N], reading only x's nonzero entries: per row one pass per
 * nonzero entry (two for the MLP's one-hot pairs), bias folded into the first and ReLU into the last.
 */
export function sparseRowsProduct(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  bias: ArrayLike<number> | null,
  rows: number,
  inner: number,
  columns: number,
  relu: boolean,
  out: Float32Array,
): void {
  const selected = new Int32Array(inner);
  for (let r = 0; r < rows; r++) {
    const o = r * columns;
    const xOffset = r * inner;
    const count = nonzeros(x, r, inner, selected);
    if (count === 0) {
      for (let j = 0; j < columns; j++)
        out[o + j] = bias === null ? 0 : relu ? Math.max(bias[j], 0) : bias[j];
      continue;
    }
    for (let n = 0; n < count; n++) {
      const k = selected[n];
      const v = x[xOffset + k];
      const wOffset = k * columns;
      const last = n === count - 1;
      if (n === 0) {
        if (bias === null) for (let j = 0; j < columns; j++) out[o + j] = v * w[wOffset + j];
        else for (let j = 0; j < columns; j++) out[o + j] = v * w[wOffset + j] + bias[j];
      } else if (!(last && relu)) {
        for (let j = 0; j < columns; j++) out[o + j] += v * w[wOffset + j];
      }
      if (last && relu) {
        if (n === 0) {
          for (let j = 0; j < columns; j++) if (!(out[o + j] > 0)) out[o + j] = 0;
        } else {
          for (let j = 0; j < columns; j++) {
            const sum = out[o + j] + v * w[wOffset + j];
            out[o + j] = sum > 0 ? sum : 0;
          }
        }
      }
    }
  }
}

/**
 * The gradients of relu?(x · w + bias) with respect to w ([K, N] = xᵀ · g) and bias ([N] = Σ rows of g), where
 * g = dy masked by y > 0 when `y` (the ReLU's output) is given, else dy. Per row: one pass that masks dy and adds
 * it to the bias gradient and the first selected weight row, then one pass per further nonzero entry.
 */
export function sparseRowsProductGrad(
  x: ArrayLike<number>,
  dy: ArrayLike<number>,
  y: ArrayLike<number> | null,
  rows: number,
  inner: number,
  columns: number,
  weightGrad: Float32Array,
  biasGrad: Float32Array | null,
): void {
  weightGrad.fill(0, 0, inner * columns);
  biasGrad?.fill(0, 0, columns);
  const masked = new Float32Array(columns);
  const selected = new Int32Array(inner);
  for (let r = 0; r < rows; r++) {
    const offset = r * columns;
    const xOffset = r * inner;
    const count = nonzeros(x, r, inner, selected);
    const first = count > 0 ? selected[0] * columns : -1;
    const v = count > 0 ? x[xOffset + selected[0]] : 0;
    for (let j = 0; j < columns; j++) {
      const g = y === null || y[offset + j] > 0 ? dy[offset + j] : 0;
      masked[j] = g;
      if (biasGrad !== null) biasGrad[j] += g;
      if (first >= 0) weightGrad[first + j] += v * g;
    }
    for (let n = 1; n < count; n++) {
      const k = selected[n];
      const scale = x[xOffset + k];
      const wOffset = k * columns;
      for (let j = 0; j < columns; j++) weightGrad[wOffset + j] += scale * masked[j];
    }
  }
}

let registered = false;

/** Registers the two kernels on the wasm backend. Idempotent; false when wasm is not part of the bundle. */
export function registerOneHotProductKernels(): boolean {
  if (registered) return true;
  if (!tf.getKernel(tf.Reshape, 'wasm')) return false;
  registered = true;
  tf.registerKernel({
    kernelName: FORWARD,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const wasm = backend as BackendWasm;
      const { x, w, bias } = inputs as { x: tf.TensorInfo; w: tf.TensorInfo; bias?: tf.TensorInfo };
      const [rows, inner] = x.shape;
      const columns = w.shape[1];
      // Allocate first: growing the heap detaches earlier views.
      const out = wasm.makeOutput([rows, columns], 'float32');
      const { relu } = attrs as unknown as ForwardAttrs;
      const simd = activeSimdKernels(wasm);
      if (simd) {
        const at = heapAddresses(wasm);
        simd.rowsProduct(
          at(x),
          isInt32(x),
          at(w),
          bias ? at(bias) : 0,
          rows,
          inner,
          columns,
          relu ? 1 : 0,
          at(out),
        );
        return out;
      }
      sparseRowsProduct(
        wasm.typedArrayFromHeap(x),
        wasm.typedArrayFromHeap(w),
        bias ? wasm.typedArrayFromHeap(bias) : null,
        rows,
        inner,
        columns,
        relu,
        wasm.typedArrayFromHeap(out) as Float32Array,
      );
      return out;
    },
  });
  tf.registerKernel({
    kernelName: BACKWARD,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const wasm = backend as BackendWasm;
      const { x, dy, y } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo; y?: tf.TensorInfo };
      const withBias = (attrs as unknown as { withBias: boolean }).withBias;
      const [rows, inner] = x.shape;
      const columns = dy.shape[1];
      const weightGrad = wasm.makeOutput([inner, columns], 'float32');
      const biasGrad = withBias ? wasm.makeOutput([columns], 'float32') : null;
      const simd = activeSimdKernels(wasm);
      if (simd) {
        const at = heapAddresses(wasm);
        simd.rowsProductGrad(
          at(x),
          isInt32(x),
          at(dy),
          y ? at(y) : 0,
          rows,
          inner,
          columns,
          at(weightGrad),
          biasGrad ? at(biasGrad) : 0,
        );
        return biasGrad ? [weightGrad, biasGrad] : [weightGrad];
      }
      sparseRowsProductGrad(
        wasm.typedArrayFromHeap(x),
        wasm.typedArrayFromHeap(dy),
        y ? wasm.typedArrayFromHeap(y) : null,
        rows,
        inner,
        columns,
        wasm.typedArrayFromHeap(weightGrad) as Float32Array,
        biasGrad ? (wasm.typedArrayFromHeap(biasGrad) as Float32Array) : null,
      );
      return biasGrad ? [weightGrad, biasGrad] : [weightGrad];
    },
  });
  return true;
}

/** Whether oneHotProduct runs here: the wasm backend with its kernels registered. */
export function oneHotProductAvailable(): boolean {
  return tf.getBackend() === 'wasm' && registerOneHotProductKernels();
}

/**
 * Whether oneHotProduct runs here as WebAssembly SIMD: only then does it beat XNNPACK's dense product on a small
 * inner dimension (the factored MLP's two-hot [673, 62] · [62, 256] layer).
 */
export function simdOneHotProductAvailable(): boolean {
  return oneHotProductAvailable() && simdKernelsActive();
}

/**
 * relu?(x · w + bias?) for data x [M, K] and w [K, N], on the wasm backend (oneHotProductAvailable()). x gets no
 * gradient (it is not an input of the taped op: an input would need a gradient tensor of its own); w and bias get
 * theirs from one kernel.
 */
export function oneHotProduct(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  bias: tf.Tensor1D | null,
  relu: boolean,
): tf.Tensor2D {
  const engine = tf.engine();
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [weight, b] = args.slice(0, -1) as tf.Tensor[];
    const value = engine.runKernel(FORWARD, b ? { x, w: weight, bias: b } : { x, w: weight }, {
      relu,
    } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
    // x is saved (a shared copy with FAST_PATHS.sharedCopies), not closed over: the caller may have made it
    // inside the taped function, whose intermediates are freed before the backward pass.
    save(relu ? [x, value] : [x]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedX, savedY] = saved;
        const inputs: tf.NamedTensorMap = savedY ? { x: savedX, dy, y: savedY } : { x: savedX, dy };
        return engine.runKernel(BACKWARD, inputs, {
          withBias: b !== undefined,
        } as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
      },
    };
  }) as (...inputs: tf.Tensor[]) => tf.Tensor2D;
  return bias ? op(w, bias) : op(w);
}
