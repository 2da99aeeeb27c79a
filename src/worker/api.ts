import type { TrainerState } from '../engine/snapshot';
import { forwardCalls } from './bridge';
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

/** A snapshot as it leaves the worker: its buffers are its own, and they are moved, not copied. */
function transferred(snapshot: RunSnapshot, transfer: Transfer): RunSnapshot {
  const { state, buffers } = detachedCopy(snapshot);
  return transfer(state, buffers);
}

/**
 * TrainingApi over a session: what the worker exposes with Comlink. Every call is the session's own
 * (forwardCalls); the only translation is transfer: metric batches and snapshots move their buffers instead of
 * copying them.
 */
export function createTrainingApi(session: TrainingSession, transfer: Transfer): TrainingApi {
  return {
    ...forwardCalls(() => session),
    snapshot: async () => transferred(await session.snapshot(), transfer),
    async subscribeSnapshots(listener): Promise<void> {
      if (!listener) return session.onSnapshot(null);
      session.onSnapshot((snapshot) => {
        Promise.resolve(listener(transferred(snapshot, transfer)) as unknown).catch(() => undefined);
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
