/**
 * The worker's tfjs setup: registers every backend and gives the session a BackendHost that can tell a real
 * GPU from a software one and notices a lost WebGPU device. Imported only by the worker entry points.
 */
// The union package registers every op's gradient (tfjs-core alone does not), plus the cpu and webgl backends.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
// The .wasm binaries are not found next to the bundled JS; Vite emits them as assets and gives their URLs.
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendName } from '../engine/backend';
import type { BackendHost, BackendInfo } from '../engine/backendChoice';
import { installWasmSlice } from '../engine/wasmSlice';
import { installWasmSharedCopies } from '../engine/kernels/wasmSharedCopies';
import { createTfHost } from '../engine/tfHost';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
});
installWasmSlice();
installWasmSharedCopies();

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render driver/i;

async function inspectWebGpu(): Promise<BackendInfo> {
  if (!('gpu' in navigator) || !navigator.gpu)
    throw new Error('navigator.gpu is missing (WebGPU is off or unsupported)');
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter (the GPU may be blocklisted)');
  // `info` is current; `isFallbackAdapter` moved from the adapter onto it (older Chromium has the former only).
  const info = adapter.info as Partial<GPUAdapterInfo> | undefined;
  const legacy = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const fallback = Boolean(info?.isFallbackAdapter ?? legacy);
  const description = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ').trim();
  return {
    software: fallback || SOFTWARE.test(description),
    description: description || (fallback ? 'fallback adapter' : 'unknown adapter'),
  };
}

function inspectWebGl(): BackendInfo {
  if (typeof OffscreenCanvas === 'undefined')
    throw new Error('OffscreenCanvas is missing (WebGL needs it in a worker)');
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) throw new Error('WebGL2 is unavailable');
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  // Free the context now: browsers cap live contexts, and tfjs makes its own.
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { software: SOFTWARE.test(renderer), description: renderer };
}

/** The bits of tfjs's backends this file reaches into (not part of their public types). */
interface WebGpuBackendInternals {
  device?: GPUDevice;
}
interface WebGlBackendInternals {
  gpgpu?: { gl?: { canvas?: EventTarget } };
}

export function createBrowserHost(): BackendHost {
  const base = createTfHost();
  let onFault: ((backend: BackendName, reason: string) => void) | null = null;
  const watched = new WeakSet<object>();

  /** Hooks the active backend's loss signal once per backend instance. */
  function watchActive(name: BackendName): void {
    const backend = tf.backend() as object;
    if (watched.has(backend)) return;
    watched.add(backend);
    if (name === 'webgpu') {
      void (backend as WebGpuBackendInternals).device?.lost.then((info) => {
        // 'destroyed' is our own doing (removeBackend after a fault or at exit).
        if (info.reason !== 'destroyed')
          onFault?.('webgpu', `GPU device lost: ${info.message || info.reason}`);
      });
    } else if (name === 'webgl') {
      (backend as WebGlBackendInternals).gpgpu?.gl?.canvas?.addEventListener?.('webglcontextlost', () =>
        onFault?.('webgl', 'WebGL context lost'),
      );
    }
  }

  return {
    async activate(name) {
      if (name === 'webgpu') await inspectWebGpu(); // a readable reason instead of tfjs's console warning
      await base.activate(name);
      watchActive(name);
    },
    async inspect(name) {
      if (name === 'webgpu') return inspectWebGpu();
      if (name === 'webgl') return inspectWebGl();
      return null;
    },
    discard: base.discard,
    watch(listener) {
      onFault = listener;
    },
  };
}
