import type { Plugin } from 'vite';

/**
 * Makes tfjs-backend-wasm's threaded Emscripten glue survive minification.
 *
 * tfjs starts its pthread workers from `factory.toString()` (backend_wasm.js: a Blob of
 * `var WasmBackendModuleThreadedSimd = ` + the factory's source), so the factory must not refer to anything outside
 * itself. It does refer to one outer variable, `_scriptDir`, declared by the IIFE around it, guarded as
 * `typeof _scriptDir !== "undefined" && _scriptDir`. A minifier may fold that guard to `e !== void 0 && e` because
 * it sees the (mangled) variable declared in scope; in the Blob there is no such variable, so every pthread worker
 * died with "ReferenceError: e is not defined" — the reason the build was shipped unminified.
 *
 * In a bundle `_scriptDir` is always undefined (an ES-module worker has no `document.currentScript`; a browser has
 * no `__filename`), and tfjs always sets `mainScriptUrlOrBlob` for the threaded build, so the factory's two uses
 * of `_scriptDir` are removed: the factory becomes self-contained, whatever the minifier does. Each rewrite must
 * match exactly once, so a tfjs upgrade that changes the glue fails the build here instead of in a pthread.
 */
export const THREADED_GLUE = /tfjs-backend-wasm-threaded-simd\.js$/;

const REWRITES: readonly (readonly [string, string])[] = [
  ['if(typeof _scriptDir !== "undefined" && _scriptDir){scriptDirectory=_scriptDir}', ''],
  ['"urlOrBlob":Module["mainScriptUrlOrBlob"]||_scriptDir,', '"urlOrBlob":Module["mainScriptUrlOrBlob"],'],
];

/** The factory's source starts here; everything after it is serialized into the pthread workers. */
export const FACTORY_START = 'function(WasmBackendModuleThreadedSimd) {';

export function selfContainedGlue(code: string): string {
  let result = code;
  for (const [from, to] of REWRITES) {
    const count = result.split(from).length - 1;
    if (count !== 1) {
      throw new Error(`threaded wasm glue: expected "${from}" once, found it ${count} times (tfjs changed?)`);
    }
    result = result.replace(from, to);
  }
  const factory = result.slice(result.indexOf(FACTORY_START));
  if (result.indexOf(FACTORY_START) < 0 || /\b_scriptDir\b/.test(factory)) {
    throw new Error('threaded wasm glue: the factory still refers to _scriptDir outside itself');
  }
  return result;
}

export function threadedWasmGlue(): Plugin {
  return {
    name: 'grok-lab-threaded-wasm-glue',
    enforce: 'pre',
    transform(code, id) {
      if (!THREADED_GLUE.test(id.split('?')[0])) return null;
      return { code: selfContainedGlue(code), map: null };
    },
  };
}
