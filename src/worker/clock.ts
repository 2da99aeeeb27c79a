/** Time and scheduling, injected so the session and batcher can be tested with a fake clock. */
export interface Clock {
  now(): number;
  /**
   * Resolves in a fresh macrotask, so messages queued for the worker (pause, update) are handled before the
   * next chunk. setTimeout(0) would do, but nested timeouts are clamped to 4 ms.
   */
  yield(): Promise<void>;
  /** Calls `callback` after `ms`; returns a cancel function. */
  setTimer(callback: () => void, ms: number): () => void;
}

type Immediate = (callback: () => void) => unknown;

let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

function macrotask(): Promise<void> {
  // Node (tests, benches) has setImmediate; a MessagePort there would keep the process alive.
  const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate;
  if (immediate) return new Promise((resolve) => immediate(resolve));
  return new Promise((resolve) => {
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => waiting.shift()?.();
    }
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

export const realClock: Clock = {
  now: () => performance.now(),
  yield: macrotask,
  setTimer(callback, ms) {
    const id = setTimeout(callback, ms);
    return () => clearTimeout(id);
  },
};
