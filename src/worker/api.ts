import type { TrainerState } from '../engine/trainer';
import type { TrainingSession } from './session';
import type { MetricBatch, RunSnapshot, TrainingApi } from './protocol';

/** Comlink.transfer's shape; identity in tests that call the API directly. */
export type Transfer = <T>(value: T, transferables: Transferable[]) => T;

/**
 * Copies a state's typed arrays into buffers of their own, so they can be transferred: data() may return a
 * backend's own storage (the cpu backend does), and transferring that would detach the live weights.
 */
export function detachedCopy<S extends TrainerState>(state: S): { state: S; buffers: ArrayBuffer[] } {
  const buffers: ArrayBuffer[] = [];
  const copy = (values: Record<string, Float32Array>): Record<string, Float32Array> =>
    Object.fromEntries(
      Object.entries(values).map(([name, array]) => {
        const owned = array.slice();
        buffers.push(owned.buffer);
        return [name, owned];
      }),
    );
  const result: S = {
    ...state,
    parameters: copy(state.parameters),
    optimizer: {
      ...state.optimizer,
      firstMoments: copy(state.optimizer.firstMoments),
      secondMoments: copy(state.optimizer.secondMoments),
    },
  };
  return { state: result, buffers };
}

/**
 * TrainingApi over a session: what the worker exposes with Comlink. The only translation is transfer:
 * metric batches and snapshots move their buffers instead of copying them.
 */
export function createTrainingApi(session: TrainingSession, transfer: Transfer): TrainingApi {
  return {
    init: (config, backend) => session.init(config, backend),
    start: () => session.start(),
    pause: () => session.pause(),
    step: (count) => session.step(count),
    reset: (config) => session.reset(config),
    update: (patch) => session.update(patch),
    async snapshot(): Promise<RunSnapshot> {
      const { state, buffers } = detachedCopy(await session.snapshot());
      return transfer(state, buffers);
    },
    restore: (snapshot) => session.restore(snapshot),
    rollback: (toStep, lrFactor) => session.rollback(toStep, lrFactor),
    rollbackPoints: async () => session.rollbackPoints(),
    debugMemory: async () => session.memory(),
    async subscribeSnapshots(listener): Promise<void> {
      if (!listener) return session.onSnapshot(null);
      session.onSnapshot((snapshot) => {
        const { state, buffers } = detachedCopy(snapshot);
        Promise.resolve(listener(transfer(state, buffers)) as unknown).catch(() => undefined);
      });
    },
    async subscribe(listener: (batch: MetricBatch) => void): Promise<void> {
      session.subscribe((batch, buffers) => {
        // Through Comlink the listener is a remote function returning a promise; a closed page rejects it.
        Promise.resolve(listener(transfer(batch, buffers)) as unknown).catch(() => undefined);
      });
    },
  };
}
