import type { RunStatus } from '../../worker/protocol';

/**
 * Where the connection to a lane's worker stands: starting, running a run, failed, or closed (released after the
 * lane finished). Defined here, below the lanes and the store, because the readout reads it.
 */
export type WorkerPhase = 'disconnected' | 'starting' | 'ready' | 'failed' | 'closed';

/** The run's state in words, for the status readout. */
export function statusText(phase: WorkerPhase, status: RunStatus, busy: boolean): string {
  if (phase === 'disconnected' || phase === 'starting') return 'Starting backend…';
  if (phase === 'failed') return 'Worker unavailable';
  if (busy) return 'Building the run…';
  switch (status) {
    case 'idle':
      return 'Ready';
    case 'running':
      return 'Training';
    case 'paused':
      return 'Paused';
    case 'finished':
      return 'Finished';
    case 'diverged':
      return 'Diverged';
    case 'error':
      return 'Error';
  }
}

/** Label of the play/pause button. */
export function playLabel(status: RunStatus, step: number): 'Start' | 'Pause' | 'Resume' {
  if (status === 'running') return 'Pause';
  return step > 0 ? 'Resume' : 'Start';
}
