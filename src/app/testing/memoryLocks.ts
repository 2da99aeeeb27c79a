import type { SweepLocks } from '../../lib/sweepOwnership';

/**
 * Test support: the Web Locks semantics the sweep's ownership relies on, in memory, shared by the "tabs" (stores)
 * of one test: a lock is held until its callback's promise settles; `ifAvailable` gets null while another holds
 * it; `steal` takes it and rejects the previous holder's request with an AbortError, as navigator.locks does.
 */
export function memoryLocks(): SweepLocks & { held(name: string): boolean } {
  const holders = new Map<string, { reject(error: unknown): void }>();
  return {
    held: (name) => holders.has(name),
    request(name, options, callback) {
      if (holders.has(name) && !options.steal) {
        if (options.ifAvailable) return Promise.resolve(callback(null));
        return Promise.reject(new Error('memoryLocks: queued requests are not modelled'));
      }
      if (options.steal) holders.get(name)?.reject(new DOMException('stolen', 'AbortError'));
      return new Promise((resolve, reject) => {
        const holder = { reject };
        holders.set(name, holder);
        Promise.resolve(callback({ name }))
          .then(resolve, reject)
          .finally(() => {
            if (holders.get(name) === holder) holders.delete(name);
          });
      });
    },
  };
}
