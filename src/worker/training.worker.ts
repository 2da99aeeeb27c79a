/**
 * The training worker: one TrainingSession behind Comlink. All logic lives in plain modules (session.ts,
 * batcher.ts, backendChoice.ts) that are tested in Node; this file only wires them to the browser.
 */
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as Comlink from 'comlink';
import { Trainer } from '../engine/trainer';
import { idbSnapshotWriter } from '../lib/keptSnapshots';
import { createTrainingApi } from './api';
import { createBrowserHost } from './browserBackends';
import type { InitResult, TrainingApi } from './protocol';
import { TrainingSession } from './session';
import { requestWasmThreads, threadsFromWorkerName, withThreads } from './wasmThreads';

// Before anything starts wasm: its thread pool is sized once, at start (the page names the worker with the count).
requestWasmThreads(threadsFromWorkerName(self.name), self, { setThreadsCount });

const session = new TrainingSession({
  host: createBrowserHost(),
  createTrainer: (config) => new Trainer(config),
  // The worker keeps its own run in the page's run store (IndexedDB is there in workers too).
  keep: typeof indexedDB === 'undefined' ? undefined : idbSnapshotWriter(),
  memory: () => {
    const { numTensors, numBytes } = tf.memory();
    return { numTensors, numBytes };
  },
});

/** The threads wasm actually got (it may refuse what was asked), once it has started. */
function wasmThreads(): number {
  try {
    return getThreadsCount();
  } catch {
    return 1; // wasm has not started in this worker
  }
}

const withWasmThreads = (result: InitResult): InitResult =>
  result.ok ? { ...result, backend: withThreads(result.backend, wasmThreads()) } : result;

const api = createTrainingApi(session, Comlink.transfer);
const exposed: TrainingApi = {
  ...api,
  init: async (config, backend) => withWasmThreads(await api.init(config, backend)),
  reset: async (config) => withWasmThreads(await api.reset(config)),
  restore: async (snapshot) => withWasmThreads(await api.restore(snapshot)),
};
Comlink.expose(exposed);
