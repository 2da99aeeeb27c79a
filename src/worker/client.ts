/**
 * The page's side of the training worker: creates it, wraps it with Comlink and fans its metric batches out to
 * any number of listeners (the worker itself has one subscriber: this client).
 */
import * as Comlink from 'comlink';
import type { MetricBatch, RunSnapshot, TrainingApi } from './protocol';
import { forwardCalls, Listeners, type TrainingCalls } from './bridge';
import { trainingWorkerName } from './wasmThreads';

/** A batch as the client's listeners receive it: the worker's, as it arrived. */
export type ClientBatch = MetricBatch;

export type BatchListener = (batch: ClientBatch) => void;

/** The worker's run controls as the page calls them (one protocol declaration, not a copy). */
type RunControls = Pick<
  TrainingApi,
  'init' | 'start' | 'pause' | 'step' | 'reset' | 'update' | 'snapshot' | 'restore'
>;

export interface TrainingClient extends RunControls {
  /** Adds a listener; returns its removal. */
  onBatch(listener: BatchListener): () => void;
  /** The worker itself failed (script error, crash): calls in flight will not resolve. Returns its removal. */
  onWorkerError(listener: (message: string) => void): () => void;
  /** Ends the worker (and the run). */
  terminate(): void;
}

/** The client with the reliability extras: rollback after divergence, periodic snapshots, a memory probe. */
export interface WorkerClient extends TrainingClient, TrainingCalls {
  /** Receives the worker's periodic snapshots (subscribed on first use). Returns its removal. */
  onSnapshot(listener: (snapshot: RunSnapshot) => void): () => void;
}

/** Wraps an endpoint that exposes TrainingApi (the worker, or a MessagePort in tests). */
export function connectTrainingClient(
  endpoint: Comlink.Endpoint,
  terminate: () => void = () => undefined,
): WorkerClient {
  // Every TrainingApi method already returns a promise of clonable data, so the remote is TrainingApi itself;
  // Comlink's mapped Remote type would only split union results (InitResult) into unions of promises.
  const remote = Comlink.wrap<TrainingApi>(endpoint) as unknown as TrainingApi &
    Pick<Comlink.Remote<TrainingApi>, typeof Comlink.releaseProxy>;
  const batches = new Listeners<ClientBatch>();
  const workerErrors = new Listeners<string>();
  const snapshots = new Listeners<RunSnapshot>();
  let snapshotsSubscribed: Promise<void> | null = null;
  endpoint.addEventListener('error', (event) => {
    const message =
      typeof ErrorEvent !== 'undefined' && event instanceof ErrorEvent
        ? event.message
        : 'the training worker failed';
    workerErrors.emit(message);
  });
  const subscribed = remote.subscribe(Comlink.proxy((batch: MetricBatch) => batches.emit(batch)));
  return {
    // Calls wait for the subscription, so no batch of the run they start is missed. A snapshot restored is
    // usually kept by the page too (it is its history), so it is copied, not transferred.
    ...forwardCalls(
      () => remote,
      (call) => subscribed.then(call),
    ),
    onSnapshot(listener) {
      const remove = snapshots.add(listener);
      snapshotsSubscribed ??= remote
        .subscribeSnapshots(Comlink.proxy((snapshot: RunSnapshot) => snapshots.emit(snapshot)))
        .catch(() => undefined);
      return remove;
    },
    onBatch: (listener) => batches.add(listener),
    onWorkerError: (listener) => workerErrors.add(listener),
    terminate() {
      remote[Comlink.releaseProxy]();
      terminate();
    },
  };
}

export interface TrainingWorkerOptions {
  /**
   * XNNPACK threads for the worker's wasm backend (default 1): fixed for the worker's life, so a lane that needs
   * another count gets a new worker (wasmThreadsPerLane in wasmThreads.ts says how many).
   */
  wasmThreads?: number;
}

/** Starts the training worker. One worker runs one run; two clients can race two runs on two cores. */
export function createTrainingClient(options: TrainingWorkerOptions = {}): WorkerClient {
  const worker = new Worker(new URL('./training.worker.ts', import.meta.url), {
    type: 'module',
    // The worker reads its thread count from its name, synchronously, before wasm can start.
    name: trainingWorkerName(options.wasmThreads ?? 1),
  });
  return connectTrainingClient(worker, () => worker.terminate());
}
