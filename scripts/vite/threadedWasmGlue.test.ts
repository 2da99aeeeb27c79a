import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { minifySync } from 'rolldown/utils';
import { describe, expect, it } from 'vitest';
import { selfContainedGlue } from './threadedWasmGlue';

const GLUE = readFileSync(
  createRequire(import.meta.url).resolve(
    '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js',
  ),
  'utf8',
);

/**
 * Minifies the glue as the bundle holds it (a CommonJS module wrapped in a function), takes the factory's
 * `toString()` as tfjs does, and runs that source alone in a fresh global, as a pthread worker does. Returns what
 * stopped it: the worker's wasm instantiation (reached = the factory ran its setup without a missing name) or
 * the error thrown before.
 */
function runFactoryLikeAPthread(code: string): string {
  const minified = minifySync('glue.js', `globalThis.load = function (exports, module) {${code}\n};`, {
    compress: true,
    mangle: true,
  }).code;
  const bundle = vm.createContext({});
  vm.runInContext(minified, bundle);
  const module = { exports: {} as unknown };
  (bundle.load as (exports: unknown, module: unknown) => void)(module.exports, module);
  const factory = module.exports as (module: object) => Promise<unknown>;

  const quiet = { log() {}, warn() {}, error() {} };
  const pthread = vm.createContext({
    importScripts() {},
    self: { location: { href: 'blob:x' } },
    console: quiet,
  });
  vm.runInContext(`var WasmBackendModuleThreadedSimd = ${factory.toString()}`, pthread);
  let outcome = 'returned';
  try {
    const ready = (pthread.WasmBackendModuleThreadedSimd as typeof factory)({
      ENVIRONMENT_IS_PTHREAD: true,
      wasmMemory: { buffer: new ArrayBuffer(8) },
      instantiateWasm() {
        outcome = 'reached wasm instantiation';
        return {}; // "instantiating asynchronously": the factory waits here for good
      },
    });
    void ready;
  } catch (error) {
    if (outcome === 'returned') outcome = String(error);
  }
  return outcome;
}

describe('threaded wasm glue', () => {
  it('unchanged, its minified factory dies in a pthread on the outer variable it refers to', () => {
    expect(runFactoryLikeAPthread(GLUE)).toMatch(/ReferenceError: \w+ is not defined/);
  });

  it('made self-contained, its minified factory runs in a pthread up to wasm instantiation', () => {
    expect(runFactoryLikeAPthread(selfContainedGlue(GLUE))).toBe('reached wasm instantiation');
  });

  it('fails loudly when the glue no longer has the expected shape', () => {
    expect(() => selfContainedGlue(GLUE.replace('||_scriptDir,', '||_scriptDir ,'))).toThrow(/expected/);
  });
});
