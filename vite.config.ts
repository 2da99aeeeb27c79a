/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import packageJson from './package.json' with { type: 'json' };
import { threadedWasmGlue } from './scripts/vite/threadedWasmGlue.ts';

// Cross-origin isolation (SharedArrayBuffer) is required for the multi-threaded tfjs WASM backend.
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Content-Security-Policy of the built lab: scripts only from this origin, no inline scripts, no eval; WebAssembly
 * compilation ('wasm-unsafe-eval') for tfjs-wasm; workers from this origin and blob: (the threaded wasm backend
 * starts its pthread workers from a blob: URL, which then importScripts a blob: URL); network only to this
 * origin (the .wasm files). Images may be data:/blob: (chart PNG export). Styles: this origin, plus style
 * attributes (React sets them through the CSSOM, which CSP does not restrict; 'unsafe-inline' is kept off).
 */
const CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
];
/** As a response header (preview; set the same on the production host). frame-ancestors works only there. */
export const CONTENT_SECURITY_POLICY = [...CSP_DIRECTIVES, "frame-ancestors 'none'"].join('; ');

/**
 * The same policy as a <meta> in the built HTML, for static hosts that cannot set headers. Build only: the dev
 * server injects inline scripts (React Refresh) and so runs without a CSP.
 */
function cspMeta(): Plugin {
  return {
    name: 'grok-lab-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP_DIRECTIVES.join('; ') },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/**
 * The service worker (src/sw/sw.ts: Workbox precache + isolation headers) and the web app manifest. The precache
 * holds the app, the training worker and all three wasm binaries (which one loads depends on the browser's
 * isolation and SIMD); the test harness page and its bench worker are not part of the app.
 */
function serviceWorker(): Plugin[] {
  return VitePWA({
    strategies: 'injectManifest',
    srcDir: 'src/sw',
    filename: 'sw.ts',
    injectRegister: false, // src/app/serviceWorker.ts registers it (no inline script under the CSP)
    registerType: 'prompt',
    includeManifestIcons: false, // the glob above already has them
    injectManifest: {
      globPatterns: ['**/*.{html,js,css,wasm,svg,png}'], // (+ the manifest, which the plugin adds itself)
      globIgnores: ['harness.html', 'assets/harness-*', 'assets/bench.worker-*'],
      maximumFileSizeToCacheInBytes: 4 * 1024 * 1024, // the training worker (tfjs) is ≈ 2.5 MB
    },
    manifest: {
      name: 'Grok Lab',
      short_name: 'Grok Lab',
      description:
        'Watch a neural network grok: memorize, sit at chance on held-out data, then suddenly generalize.',
      theme_color: '#0b63b6',
      background_color: '#1e1b4b',
      display: 'standalone',
      start_url: '.',
      scope: '.',
      icons: [
        { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' },
      ],
    },
  });
}

export default defineConfig({
  plugins: [react(), cspMeta(), threadedWasmGlue(), serviceWorker()],
  // The version the update prompt names; GROK_LAB_VERSION overrides it (the e2e "deploys" a changed build so).
  define: { __GROK_LAB_VERSION__: JSON.stringify(process.env.GROK_LAB_VERSION ?? packageJson.version) },
  server: { headers: crossOriginIsolation },
  preview: {
    headers: {
      ...crossOriginIsolation,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    },
  },
  // Workers are bundled by their own pipeline: tfjs (and its threaded wasm glue) lives there.
  worker: { format: 'es', plugins: () => [threadedWasmGlue()] },
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
    // Minified. The threaded wasm backend rebuilds its pthread workers from `factory.toString()`, which broke
    // minification until threadedWasmGlue() made that factory self-contained (see there for the cause).
    minify: true,
    chunkSizeWarningLimit: 3000, // the workers carry tfjs (≈ 2.4 MB minified); the page's budget is checked in CI
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
    setupFiles: ['src/testSetup.ts'],
  },
});
