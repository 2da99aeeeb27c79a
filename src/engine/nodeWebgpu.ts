/**
 * WebGPU in Node: tfjs's WebGPU backend on Dawn, through the optional npm package `webgpu` (Dawn's Node
 * binding, ≈ 21 MB per platform). Dawn exposes the browser's WebGPU API; tfjs-backend-webgpu registers itself
 * only if `navigator.gpu` exists when it is first imported, so Dawn is installed on the global object first and
 * the backend is imported after it (never statically from a Node entry point).
 *
 * Adapters: by default Dawn uses the machine's Vulkan driver (a real GPU). On a machine without one,
 * `adapter: 'swiftshader'` uses the software Vulkan driver that Debian's `chromium` package ships in
 * /usr/lib/chromium (Dawn rejects Mesa's lavapipe: it lacks shaderUniform*ArrayDynamicIndexing). That is for
 * correctness checks only: it is ≈ 70× slower than wasm (DESIGN §4b).
 */
import { existsSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';

export type WebGpuAdapterChoice = 'system' | 'swiftshader';
export const WEBGPU_ADAPTER_CHOICES: readonly WebGpuAdapterChoice[] = ['system', 'swiftshader'];
/** Environment variable that sets the adapter when no flag does (e.g. on a CI machine without a GPU). */
export const WEBGPU_ADAPTER_ENV = 'GROK_WEBGPU_ADAPTER';

export const DAWN_PACKAGE = 'webgpu';
const DAWN_VERSION = '0.6.2';
export const SWIFTSHADER_DIR = '/usr/lib/chromium';
export const SWIFTSHADER_ICD = `${SWIFTSHADER_DIR}/vk_swiftshader_icd.json`;
/** glibc's RTLD_NODELETE (Node's os.constants.dlopen does not list it). */
const RTLD_NODELETE = 0x1000;

/** WebGPU cannot start here; the message says what to install or set. The CLI exits with status 2 on it. */
export class WebGpuUnavailableError extends Error {
  override name = 'WebGpuUnavailableError';
}

export interface NodeWebGpuOptions {
  adapter?: WebGpuAdapterChoice;
  /** The package to load Dawn from (tests point it at a missing one). */
  packageName?: string;
}

export interface NodeWebGpuInfo {
  adapter: WebGpuAdapterChoice;
  /** vendor · architecture · description, as Dawn reports them. */
  description: string;
  /** A CPU emulation (SwiftShader, lavapipe, llvmpipe) rather than a GPU. */
  software: boolean;
}

/** The minimal parts of the WebGPU API this file uses (the DOM typings of GPU are not in Node's program). */
interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface AdapterLike {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: {
    powerPreference?: 'high-performance' | 'low-power';
  }): Promise<AdapterLike | null>;
}

const isFunction = (value: unknown): value is (...args: never[]) => unknown => typeof value === 'function';
/** What `import('webgpu')` must provide: `create(flags)` → a GPU object, and the WebGPU globals (GPUBufferUsage, …). */
const DawnModule = z.object({
  create: z.custom<(flags: string[]) => GpuLike>(isFunction, 'create must be a function'),
  globals: z.record(z.string(), z.unknown()),
});

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software/i;

/**
 * Points Dawn at Chromium's SwiftShader from inside this process. VK_ICD_FILENAMES is read by the Vulkan loader
 * when Dawn creates its instance, so setting it now works. LD_LIBRARY_PATH does not: glibc reads it once, at
 * process start, and there is no system libvulkan.so.1 here. So the loader Chromium ships is loaded now by its
 * absolute path; Dawn's later dlopen("libvulkan.so.1") then finds it by its soname. (process.dlopen then rejects
 * it as "did not self-register" — it is not a Node addon — and RTLD_NODELETE keeps it mapped anyway.)
 */
function pointDawnAtSwiftShader(): void {
  if (!existsSync(SWIFTSHADER_ICD)) {
    throw new WebGpuUnavailableError(
      `the SwiftShader adapter needs Chromium's software Vulkan driver at ${SWIFTSHADER_ICD}: ` +
        'apt-get install -y chromium (Debian), or run on a machine with a GPU and its Vulkan driver.',
    );
  }
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  process.env.XDG_RUNTIME_DIR ??= tmpdir();
  const loader = `${SWIFTSHADER_DIR}/libvulkan.so.1`;
  if (process.platform !== 'linux' || !existsSync(loader)) return;
  const flags = constants.dlopen.RTLD_NOW | (constants.dlopen.RTLD_GLOBAL ?? 0) | RTLD_NODELETE;
  try {
    process.dlopen({ exports: {} }, loader, flags);
  } catch (error) {
    // Expected: a shared library that is not a Node addon. Anything else is a real failure to load it.
    if (!(error instanceof Error && /self-register/.test(error.message))) {
      throw new WebGpuUnavailableError(
        `cannot load ${loader}: ${error instanceof Error ? error.message : error}`,
      );
    }
  }
}

async function loadDawn(packageName: string): Promise<z.infer<typeof DawnModule>> {
  let loaded: unknown;
  try {
    loaded = await import(/* @vite-ignore */ packageName);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new WebGpuUnavailableError(
      `WebGPU in Node needs the optional package "${packageName}" (Dawn), which did not load: ${reason}. ` +
        `Install it with: npm install --save-optional ${DAWN_PACKAGE}@${DAWN_VERSION} ` +
        '(npm skips optional packages with --omit=optional). The wasm backend works without it.',
    );
  }
  const parsed = DawnModule.safeParse(loaded);
  if (!parsed.success) {
    throw new WebGpuUnavailableError(
      `package "${packageName}" does not look like Dawn's Node binding (expected create() and globals)`,
    );
  }
  return parsed.data;
}

function describeAdapter(adapter: AdapterLike): { description: string; software: boolean } {
  const info = adapter.info ?? {};
  const fallback = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter);
  const description = [info.vendor, info.architecture, info.description].filter(Boolean).join(' · ');
  return {
    description: description || (fallback ? 'fallback adapter' : 'unknown adapter'),
    software: fallback || SOFTWARE.test(description),
  };
}

function noAdapter(choice: WebGpuAdapterChoice): WebGpuUnavailableError {
  const hint =
    choice === 'swiftshader'
      ? `Dawn found no adapter through ${SWIFTSHADER_ICD}; check that Chromium's SwiftShader files are complete.`
      : "Dawn found no GPU adapter: install the GPU vendor's Vulkan driver (e.g. libvulkan1 and the NVIDIA or " +
        "Mesa ICD), or, on a machine without a GPU, use Chromium's software driver for correctness checks: " +
        `--webgpu-adapter swiftshader (or ${WEBGPU_ADAPTER_ENV}=swiftshader; needs apt-get install -y chromium).`;
  return new WebGpuUnavailableError(`no WebGPU adapter: ${hint}`);
}

let installed: Promise<NodeWebGpuInfo> | null = null;
let installedChoice: WebGpuAdapterChoice | null = null;

/**
 * Installs Dawn as `navigator.gpu`, checks that an adapter exists, and registers tfjs's `webgpu` backend (not
 * activated). Idempotent for one adapter choice per process (Dawn's driver choice cannot change afterwards).
 * Throws WebGpuUnavailableError with what to install or set.
 */
export function installNodeWebGpu(options: NodeWebGpuOptions = {}): Promise<NodeWebGpuInfo> {
  const choice = options.adapter ?? adapterFromEnvironment();
  if (installed && installedChoice === choice && !options.packageName) return installed;
  if (installed && installedChoice !== choice) {
    return Promise.reject(
      new WebGpuUnavailableError(
        `WebGPU was already set up with the ${installedChoice} adapter in this process`,
      ),
    );
  }
  const attempt = install(choice, options.packageName ?? DAWN_PACKAGE);
  if (!options.packageName) {
    installed = attempt;
    installedChoice = choice;
    // A failed attempt may be retried (e.g. after the test that removes the package).
    attempt.catch(() => {
      installed = null;
      installedChoice = null;
    });
  }
  return attempt;
}

async function install(choice: WebGpuAdapterChoice, packageName: string): Promise<NodeWebGpuInfo> {
  if (choice === 'swiftshader') pointDawnAtSwiftShader();
  const dawn = await loadDawn(packageName);
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const holder = globalThis as { navigator?: object };
  // Node ≥ 21 has a navigator (without gpu); Node 20 has none.
  if (holder.navigator) Object.defineProperty(holder.navigator, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });

  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw noAdapter(choice);
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!tf.findBackendFactory('webgpu')) {
    throw new WebGpuUnavailableError(
      '@tensorflow/tfjs-backend-webgpu was imported before navigator.gpu existed, so it did not register; ' +
        'import it only through installNodeWebGpu()',
    );
  }
  return { adapter: choice, ...describeAdapter(adapter) };
}

export function adapterFromEnvironment(): WebGpuAdapterChoice {
  const value = process.env[WEBGPU_ADAPTER_ENV];
  if (value === undefined || value === '') return 'system';
  if ((WEBGPU_ADAPTER_CHOICES as readonly string[]).includes(value)) return value as WebGpuAdapterChoice;
  throw new WebGpuUnavailableError(
    `${WEBGPU_ADAPTER_ENV}="${value}" is not an adapter; choose one of: ${WEBGPU_ADAPTER_CHOICES.join(', ')}`,
  );
}
