/**
 * One tab trains a sweep: a tab holds the Web Lock named after the sweep while its cells train, and another tab
 * that opens the same stored sweep finds the lock taken and shows the sweep without training it (until the user
 * takes it over, which steals the lock; the first tab is told and stops). Without this a second tab "resumed" the
 * running sweep and trained every cell a second time beside the first. A lock, unlike a timestamp in IndexedDB, is
 * let go the moment its tab closes or crashes, so a reload after a crash never finds a stale owner.
 */

/** The part of the Web Locks API (navigator.locks) this uses. */
export interface SweepLocks {
  request(
    name: string,
    options: { ifAvailable?: boolean; steal?: boolean },
    callback: (lock: unknown) => Promise<void> | void,
  ): Promise<unknown>;
}

export interface SweepOwnership {
  /**
   * Takes the sweep for this tab: true when this tab now trains it, false when another tab does. `steal`: take it
   * from that tab. `lost` is called if another tab takes it over later.
   */
  claim(sweepId: string, options: { steal?: boolean; lost(): void }): Promise<boolean>;
  /** Lets go (paused, cancelled, done or replaced): another tab may train it now. */
  release(sweepId: string): void;
}

const lockName = (sweepId: string): string => `grok-lab-sweep:${sweepId}`;

export function lockedSweepOwnership(locks: SweepLocks): SweepOwnership {
  /** The held locks' release functions, by sweep id. */
  const held = new Map<string, () => void>();
  return {
    claim(sweepId, { steal = false, lost }) {
      if (held.has(sweepId)) return Promise.resolve(true);
      return new Promise<boolean>((answer) => {
        let release: () => void = () => undefined;
        const holding = new Promise<void>((resolve) => (release = resolve));
        locks
          .request(lockName(sweepId), steal ? { steal: true } : { ifAvailable: true }, (lock) => {
            if (lock === null) {
              answer(false);
              return;
            }
            held.set(sweepId, release);
            answer(true);
            return holding;
          })
          .catch(() => {
            // Stolen by another tab (the request rejects with an AbortError): it trains the sweep now.
            if (held.get(sweepId) === release) {
              held.delete(sweepId);
              lost();
            }
            answer(false);
          });
      });
    },
    release(sweepId) {
      held.get(sweepId)?.();
      held.delete(sweepId);
    },
  };
}

/** The page's ownership: Web Locks where the browser has them; else every tab owns (the old behaviour). */
export function pageSweepOwnership(): SweepOwnership | undefined {
  const locks = (globalThis.navigator as { locks?: SweepLocks } | undefined)?.locks;
  return locks ? lockedSweepOwnership(locks) : undefined;
}
