import { useState, useSyncExternalStore } from 'react';
import { applyUpdate, subscribeUpdate, updateState } from '../serviceWorker';
import '../styles/update.css';

/** The version this page runs (the build's define; the update prompt names it). */
export const LAB_VERSION: string = __GROK_LAB_VERSION__;

/**
 * "A new version is ready": shown when a new deployment has installed in the background (the service worker
 * waits for it). Reload switches to it; Later keeps the running lab (the new version then starts on the next visit
 * after every tab of the lab is closed).
 */
export function UpdatePrompt() {
  const { waiting } = useSyncExternalStore(subscribeUpdate, updateState);
  const [dismissed, setDismissed] = useState(false);
  if (!waiting || dismissed) return null;
  return (
    <div className="update-prompt" role="alert" data-version={LAB_VERSION}>
      <span>A new version of Grok Lab is ready (you have {LAB_VERSION}).</span>
      <button type="button" className="button update-prompt__reload" onClick={applyUpdate}>
        Reload
      </button>
      <button type="button" className="button" onClick={() => setDismissed(true)}>
        Later
      </button>
    </div>
  );
}
