/**
 * Switches for the engine's optimized paths. Each one is tested to give the same loss curve as the plain path
 * (fastPaths.test.ts); the plain paths stay as the reference and for debugging a backend. Not a user setting.
 */
export const FAST_PATHS = {
  /** AdamW updates every parameter at once on one concatenated flat vector (≈ 15 kernels instead of ≈ 16 each). */
  flatOptimizer: true,
  /**
   * On the webgpu backend, the flat AdamW update runs as three fused WebGPU programs (m′, v′, θ′: webgpuAdam.ts)
   * instead of ≈ 13 elementwise kernels. Needs flatOptimizer; other backends ignore it.
   */
  fusedAdamWebGpu: true,
  /** On the wasm backend, the flat AdamW update runs as one kernel (kernels/wasmAdam.ts). Needs flatOptimizer. */
  fusedAdamWasm: true,
  /** dense() runs bias (and ReLU) inside one fused matMul kernel, with a hand-written gradient. */
  fusedDense: true,
  /**
   * MLP with concatenated embeddings: the first hidden layer reads a per-token table P_t = E·W₁ₜ ([vocab, width])
   * through the one-hot input instead of multiplying the [N, T·e] embedding matrix by W₁ — a third of the
   * multiply-adds at the classroom sizes, and no gradient with respect to the data.
   */
  factoredEmbedding: true,
  /**
   * wasm: Identity and a same-dtype Cast share their input's buffer (reference counted, as Reshape does) instead
   * of copying it: tfjs-core clones every tensor a taped kernel saves for its gradient (kernels/wasmSharedCopies.ts).
   */
  sharedCopies: true,
  /**
   * Softmax cross-entropy as one op with its closed-form gradient (softmax − targets) / rows: the tape holds one
   * node instead of ≈ 10 kernels and their saved copies (loss.ts).
   */
  fusedCrossEntropy: true,
  /**
   * wasm: the embedding lookup (one-hot rows × table) and its table gradient run as hand-written kernels that copy
   * and add the selected rows (kernels/oneHotProduct.ts), instead of dense XNNPACK products that multiply zeros,
   * the Transpose of the one-hot matrix, the int32 → float32 Casts and the zero gradient for the data.
   */
  sparseOneHot: true,
  /**
   * wasm: the lab's own kernels (the one-hot products above, the fused AdamW) run as WebAssembly SIMD on tfjs's heap
   * (kernels/simd/kernels.wat) instead of JavaScript passes over heap views; with them the factored MLP's two-hot
   * first layer takes the sparse kernel too (with JavaScript it lost to XNNPACK's dense product).
   */
  simdKernels: true,
  /**
   * wasm with simdKernels: the radial penalty (value and gradient) as one taped op of two SIMD passes
   * (kernels/radialPenalty.ts) instead of ≈ 24 kernels through tfjs's engine.
   */
  fusedRadial: true,
};

export type FastPath = keyof typeof FAST_PATHS;

/**
 * The switches issue 23 (the kernel tax) added: bench/kernelTax.ts and fastPaths.test.ts compare the lab with these
 * off — the lab before them, every earlier fast path on — against the lab with them on.
 */
export const KERNEL_TAX_PATHS = [
  'sharedCopies',
  'fusedCrossEntropy',
  'sparseOneHot',
  'fusedAdamWasm',
  'simdKernels',
  'fusedRadial',
] as const satisfies readonly FastPath[];

/** Runs `body` with the given switches, restoring them afterwards (tests and benches). */
export function withFastPaths<T>(settings: Partial<Record<FastPath, boolean>>, body: () => T): T {
  const saved = { ...FAST_PATHS };
  Object.assign(FAST_PATHS, settings);
  try {
    return body();
  } finally {
    Object.assign(FAST_PATHS, saved);
  }
}
