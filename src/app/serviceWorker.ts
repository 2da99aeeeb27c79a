import { Workbox } from 'workbox-window';

/**
 * The page's side of the service worker (src/sw/sw.ts): registers it in production builds, reloads once when it
 * first takes control of a page that is not yet cross-origin isolated (a host without COOP/COEP headers: from
 * then on the service worker supplies them), and exposes "a new version is waiting" to the update prompt.
 */

export interface UpdateState {
  /** A new deployment is installed and waits for this page to let it take over. */
  waiting: boolean;
}

type Listener = () => void;

let state: UpdateState = { waiting: false };
let workbox: Workbox | null = null;
const listeners = new Set<Listener>();

function setState(next: UpdateState): void {
  state = next;
  for (const listener of listeners) listener();
}

export function subscribeUpdate(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function updateState(): UpdateState {
  return state;
}

/** Lets the waiting version take over; the page reloads when it does. */
export function applyUpdate(): void {
  workbox?.messageSkipWaiting();
}

/** sessionStorage key: this tab already reloaded for isolation once (so a browser that refuses it cannot loop). */
const ISOLATION_RELOAD_KEY = 'grok-lab:isolation-reload';

/**
 * Why the page reloads when a service worker takes control, or null: 'update' = the user chose Reload in the update
 * prompt; 'isolation' = the first visit to a host without COOP/COEP (the page came from the network without them;
 * reloaded through the service worker it gets them, and the threaded wasm build), once per tab.
 */
export function reloadReason(event: {
  isUpdate: boolean;
  crossOriginIsolated: boolean;
  reloadedForIsolation: boolean;
}): 'update' | 'isolation' | null {
  if (event.isUpdate) return 'update';
  if (!event.crossOriginIsolated && !event.reloadedForIsolation) return 'isolation';
  return null;
}

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  workbox = new Workbox(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });
  workbox.addEventListener('waiting', () => setState({ waiting: true }));
  workbox.addEventListener('controlling', (event) => {
    const reason = reloadReason({
      isUpdate: Boolean(event.isUpdate),
      crossOriginIsolated: window.crossOriginIsolated,
      reloadedForIsolation: sessionStorage.getItem(ISOLATION_RELOAD_KEY) !== null,
    });
    if (reason === 'isolation') sessionStorage.setItem(ISOLATION_RELOAD_KEY, '1');
    if (reason !== null) window.location.reload();
  });
  void workbox.register();
}
