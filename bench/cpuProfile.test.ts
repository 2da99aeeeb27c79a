import { describe, expect, it } from 'vitest';
import { profileShares, type CpuProfile } from './cpuProfile';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
const WASM_JS = 'file:///x/node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.node.js';

describe('profileShares', () => {
  it('charges wasm to the kernel that called it, past emscripten wrappers (ours: to our kernels), and skips idle time', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 7, 8, 9, 10, 11] },
        { id: 2, callFrame: frame('batchMatMul', WASM_JS), children: [3] },
        { id: 3, callFrame: frame('ccall', WASM_JS), children: [4] },
        { id: 4, callFrame: frame('wasm-function[400]', 'wasm://wasm/abc'), children: [] },
        { id: 5, callFrame: frame('transpose', WASM_JS), children: [6] },
        { id: 6, callFrame: frame('wasm-function[12]', 'wasm://wasm/abc'), children: [] },
        {
          id: 7,
          callFrame: frame('runKernel', 'file:///x/node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js'),
          children: [5],
        },
        { id: 8, callFrame: frame('sparseRowsProduct', 'file:///w/src/engine/kernels/oneHotProduct.ts') },
        { id: 9, callFrame: frame('(garbage collector)', '') },
        { id: 10, callFrame: frame('(idle)', '') },
        {
          id: 11,
          callFrame: frame('kernelFunc', 'file:///w/src/engine/kernels/simd/simdKernels.ts'),
          children: [12],
        },
        { id: 12, callFrame: frame('rowsProduct', 'wasm://wasm/def'), children: [] },
      ],
      samples: [4, 4, 4, 6, 7, 8, 9, 10, 10, 12, 12],
      timeDeltas: [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10],
    };
    const { total, byCategory } = profileShares(profile);
    expect(total).toBe(90);
    expect(byCategory['matrix products (XNNPACK, wasm)']).toBe(30);
    expect(byCategory['other wasm kernels (elementwise, transpose, reductions, malloc/free)']).toBe(10);
    expect(byCategory['tfjs-core JavaScript (engine, tape, scopes, op wrappers)']).toBe(10);
    // JavaScript in src/engine/kernels, and the SIMD module's wasm it calls.
    expect(byCategory['our kernels (src/engine/kernels: JavaScript and WebAssembly SIMD)']).toBe(30);
    expect(byCategory['garbage collector']).toBe(10);
  });
});
