/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Cross-origin isolation (SharedArrayBuffer) is required for the multi-threaded tfjs WASM backend.
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  worker: { format: 'es' },
  // The training worker's dependencies, pre-bundled at server start: discovered only when the worker loads,
  // they would make the dev server re-optimize and reload the page on first use.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgpu',
      'comlink',
    ],
  },
  // tfjs-backend-wasm must stay pre-bundled (the default): excluding it from optimizeDeps breaks its
  // CommonJS interop in dev. Its .wasm files are not found next to the bundled JS, so the engine passes
  // their URLs explicitly, e.g.
  //   import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
  // (likewise tfjs-backend-wasm.wasm and tfjs-backend-wasm-threaded-simd.wasm), then
  //   setWasmPaths({ 'tfjs-backend-wasm-simd.wasm': simd, ... });  // before tf.setBackend('wasm')
  build: {
    target: 'es2022',
    // The threaded wasm backend rebuilds its pthread workers from `factory.toString()`; minification
    // renames outer variables the factory refers to, and those workers then die with
    // "ReferenceError: e is not defined". An unminified bundle runs the threaded backend fine.
    minify: false,
    chunkSizeWarningLimit: 8000, // unminified tfjs is a few MB; expected for this app
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        // Test harness for the training worker (Playwright e2e, throughput bench); not linked from the app.
        harness: fileURLToPath(new URL('./harness.html', import.meta.url)),
      },
    },
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node', // component tests opt in with `// @vitest-environment jsdom`
    testTimeout: 120_000,
    pool: 'forks',
  },
});
