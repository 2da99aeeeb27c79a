/**
 * What the lab has saved in IndexedDB, read from the page: a spec that reloads waits for the save it relies on
 * (a state), never for a fixed moment that a loaded machine may not give the write.
 */
import type { Page } from '@playwright/test';
import { RUN_DB_NAME } from '../src/lib/runStore';

/** The step of every run snapshot (every lane's) saved in the run store; none before the lab has made it. */
export function savedSnapshotSteps(page: Page): Promise<number[]> {
  return page.evaluate(async (name) => {
    // Opening a database that does not exist yet would create it at version 1, ahead of the lab's own upgrade.
    if (!(await indexedDB.databases()).some((database) => database.name === name)) return [];
    return new Promise<number[]>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const database = open.result;
        if (!database.objectStoreNames.contains('snapshots')) {
          database.close();
          resolve([]);
          return;
        }
        const all = database.transaction('snapshots').objectStore('snapshots').getAll();
        all.onerror = () => reject(all.error);
        all.onsuccess = () => {
          database.close();
          resolve((all.result as { step?: unknown }[]).map((snapshot) => Number(snapshot?.step)));
        };
      };
    });
  }, RUN_DB_NAME);
}
