/**
 * The worker bridge, written once. TrainingApi's calls are named in one list; `forwardCalls` builds every one of
 * them over a target and a hook, so each layer between the session and the page writes only what it does
 * differently: the worker's API transfers snapshots (api.ts), the client waits for its batch subscription
 * (client.ts), the supervisor waits out a recovery and rejects when the worker dies (supervisor.ts). After
 * Squoosh's worker-bridge (src/client/lazy-app/worker-bridge), where one loop over the method names defines them.
 */
import type { TrainingApi } from './protocol';

/**
 * Every TrainingApi method, once: a call (request → response, forwarded by forwardCalls) or a subscription (a
 * listener that carries a Comlink proxy, wired by each layer). A method added to the protocol without a line here
 * does not compile.
 */
const METHODS = {
  init: 'call',
  start: 'call',
  pause: 'call',
  step: 'call',
  reset: 'call',
  update: 'call',
  snapshot: 'call',
  restore: 'call',
  rollback: 'call',
  rollbackPoints: 'call',
  progressAnalysis: 'call',
  debugMemory: 'call',
  keepIn: 'call',
  subscribe: 'subscription',
  subscribeSnapshots: 'subscription',
} as const satisfies Record<keyof TrainingApi, 'call' | 'subscription'>;

export type TrainingCallName = {
  [K in keyof typeof METHODS]: (typeof METHODS)[K] extends 'call' ? K : never;
}[keyof typeof METHODS];

// The names whose kind is 'call', which is what TrainingCallName says.
export const TRAINING_CALLS = (Object.keys(METHODS) as (keyof typeof METHODS)[]).filter(
  (name) => METHODS[name] === 'call',
) as TrainingCallName[];

/** Every TrainingApi call: what the client, the supervisor and the worker's API forward. */
export type TrainingCalls = Pick<TrainingApi, TrainingCallName>;

/**
 * What answers the calls: the same parameters, a result or a promise of one (the session answers some calls
 * synchronously, e.g. rollbackPoints()).
 */
export type CallTarget = {
  [K in TrainingCallName]: (
    ...args: Parameters<TrainingApi[K]>
  ) => Awaited<ReturnType<TrainingApi[K]>> | ReturnType<TrainingApi[K]>;
};

/** Runs one call: `invoke` makes it on the target; the hook decides when (after a subscription) and how it ends. */
export type CallHook = <R>(invoke: () => Promise<R>) => Promise<R>;

const direct: CallHook = (invoke) => invoke();

/**
 * Every call, forwarded to `target()` through `hook`. The target is read when the call is made, after the hook
 * lets it through (a supervisor's worker is replaced while calls wait for the recovery). Spread the result and
 * override the calls a layer treats differently.
 */
export function forwardCalls(target: () => CallTarget, hook: CallHook = direct): TrainingCalls {
  // One signature for all names: TypeScript cannot relate `target()[name]` to `name` inside the loop.
  type AnyCall = (...args: unknown[]) => unknown;
  const answering = target as unknown as () => Record<TrainingCallName, AnyCall>;
  const calls: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of TRAINING_CALLS) {
    // A method call on the target itself (the session's methods use `this`; Comlink's remote needs no bind).
    calls[name] = (...args) => hook(async () => answering()[name](...args));
  }
  // Every name of TRAINING_CALLS is set above, each with TrainingApi's parameters and (promised) result.
  return calls as unknown as TrainingCalls;
}

/** A set of listeners: `add` returns the removal, `emit` calls each. */
export class Listeners<T> {
  private readonly listeners = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
}
