/// <reference lib="webworker" />
/**
 * The lab's service worker (Workbox, built by vite-plugin-pwa's injectManifest into dist/sw.js). Two jobs:
 *
 * 1. Offline: precaches the app shell, both workers' scripts and the wasm binaries (the manifest is injected at
 *    build time), so after one online visit the lab reloads, trains, saves and exports without a network. A new
 *    deployment installs beside the running one and waits; the page shows an update prompt, whose "Reload" sends
 *    SKIP_WAITING (src/app/serviceWorker.ts).
 * 2. Cross-origin isolation where the host cannot set headers (e.g. GitHub Pages): every response it serves gets
 *    `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp` (the technique of
 *    coi-serviceworker), so once it controls the page, `crossOriginIsolated` is true and the threaded wasm build
 *    loads. Everything the lab loads is same-origin, so require-corp blocks nothing.
 */
import { clientsClaim, type WorkboxPlugin } from 'workbox-core';
import {
  addPlugins,
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
  type PrecacheEntry,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute, setDefaultHandler } from 'workbox-routing';
import { NetworkOnly } from 'workbox-strategies';
import { withIsolationHeaders } from './isolation';

/** __WB_MANIFEST: the precache list, injected by the build. */
declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | PrecacheEntry)[] };

/** Adds the isolation headers to whatever a Workbox strategy is about to answer with. */
const isolate: WorkboxPlugin = {
  handlerWillRespond: async ({ response }) => withIsolationHeaders(response),
};

addPlugins([isolate]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Any navigation inside the scope (a share link with ?query, a reload offline) gets the app shell; the test
// harness page is its own document and is left to the network.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/\/harness\.html$/] }));
// Same-origin requests outside the precache still go to the network, with the isolation headers added.
setDefaultHandler(new NetworkOnly({ plugins: [isolate] }));

// The first install takes control at once (offline and isolation from the first visit); an update waits for the
// page's prompt.
clientsClaim();
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
