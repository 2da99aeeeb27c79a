import { newRunId } from '../../lib/runStore';

const TAB_KEY = 'grok-lab-tab';
/** Without sessionStorage: this page's own id (a reload becomes another tab, but two tabs never share one). */
const PAGE_ID = newRunId();

/**
 * This tab's id: survives a reload of the tab (sessionStorage), differs between tabs. Every save this tab makes
 * carries it, so the run store tells this tab's saves from another tab's.
 */
export function tabId(): string {
  try {
    const existing = sessionStorage.getItem(TAB_KEY);
    if (existing) return existing;
    const id = newRunId();
    sessionStorage.setItem(TAB_KEY, id);
    return id;
  } catch (_error) {
    return PAGE_ID;
  }
}
