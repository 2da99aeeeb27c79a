/**
 * Self time of a V8 CPU profile (the inspector's Profiler.stop result), folded into what a training step's time
 * is made of: XNNPACK's matrix products, the other wasm kernels, tfjs-core's JavaScript (engine, tape, scopes, op
 * wrappers), tfjs-wasm's JavaScript (kernel glue and its copies), our own kernels and engine code, and the
 * garbage collector. wasm frames carry no names (the binary has no name section), so a wasm frame is charged to
 * the tfjs-wasm kernel function that called into it, or to our kernels when one of src/engine/kernels/ did (the
 * lab's WebAssembly SIMD module).
 */
export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export const PROFILE_CATEGORIES = [
  'matrix products (XNNPACK, wasm)',
  'other wasm kernels (elementwise, transpose, reductions, malloc/free)',
  'tfjs-core JavaScript (engine, tape, scopes, op wrappers)',
  'tfjs-wasm JavaScript (kernel glue, heap copies)',
  'our kernels (src/engine/kernels: JavaScript and WebAssembly SIMD)',
  'our engine code (model, loss, optimizer, trainer)',
  'garbage collector',
  'other',
] as const;
export type ProfileCategory = (typeof PROFILE_CATEGORIES)[number];

/** tfjs-wasm's JavaScript kernel functions that run XNNPACK matrix products. */
const MATRIX_KERNELS = new Set(['batchMatMul', 'fusedBatchMatMul']);

const isWasm = (url: string): boolean => url.startsWith('wasm://');
const isWasmGlue = (frame: ProfileNode['callFrame']): boolean =>
  frame.url.includes('tf-backend-wasm') &&
  (frame.functionName === '' || frame.functionName === 'ccall' || frame.functionName.startsWith('Module.'));

function jsCategory(frame: ProfileNode['callFrame']): ProfileCategory {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (url.includes('/src/engine/kernels/'))
    return 'our kernels (src/engine/kernels: JavaScript and WebAssembly SIMD)';
  if (url.includes('/src/')) return 'our engine code (model, loss, optimizer, trainer)';
  if (url.includes('tfjs-backend-wasm') || url.includes('tf-backend-wasm'))
    return 'tfjs-wasm JavaScript (kernel glue, heap copies)';
  if (url.includes('tfjs-core') || url.includes('tf-core') || url.includes('@tensorflow/tfjs/'))
    return 'tfjs-core JavaScript (engine, tape, scopes, op wrappers)';
  return 'other';
}

/** Microseconds of self time per category, and the total. */
export function profileShares(profile: CpuProfile): {
  total: number;
  byCategory: Record<ProfileCategory, number>;
} {
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  );
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byCategory = Object.fromEntries(PROFILE_CATEGORIES.map((name) => [name, 0])) as Record<
    ProfileCategory,
    number
  >;
  let total = 0;
  for (const node of profile.nodes) {
    const time = selfTime.get(node.id) ?? 0;
    if (time === 0) continue;
    const frame = node.callFrame;
    if (['(idle)', '(program)', '(root)'].includes(frame.functionName)) continue;
    total += time;
    if (!isWasm(frame.url) && !frame.functionName.startsWith('js-to-wasm')) {
      byCategory[jsCategory(frame)] += time;
      continue;
    }
    // Charge wasm to the first JavaScript kernel function above it (past emscripten's call wrappers).
    let caller = parentOf.get(node.id);
    while (caller !== undefined) {
      const callerFrame = nodes.get(caller)!.callFrame;
      if (
        !isWasm(callerFrame.url) &&
        !callerFrame.functionName.startsWith('js-to-wasm') &&
        !isWasmGlue(callerFrame)
      )
        break;
      caller = parentOf.get(caller);
    }
    const callerFrame = caller === undefined ? null : nodes.get(caller)!.callFrame;
    byCategory[
      callerFrame?.url.includes('/src/engine/kernels/')
        ? 'our kernels (src/engine/kernels: JavaScript and WebAssembly SIMD)'
        : MATRIX_KERNELS.has(callerFrame?.functionName ?? '')
          ? 'matrix products (XNNPACK, wasm)'
          : 'other wasm kernels (elementwise, transpose, reductions, malloc/free)'
    ] += time;
  }
  return { total, byCategory };
}
