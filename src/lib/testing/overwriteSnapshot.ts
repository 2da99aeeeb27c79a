import { IDBCursor, IDBDatabase, IDBIndex, IDBObjectStore, IDBRequest, IDBTransaction } from 'fake-indexeddb';
import { openDB } from 'idb';

// idb tells requests from cursors by the global classes; a test that hands the store its own factory has none.
if (typeof globalThis.IDBRequest === 'undefined')
  Object.assign(globalThis, { IDBCursor, IDBDatabase, IDBIndex, IDBObjectStore, IDBRequest, IDBTransaction });

/**
 * Edits one stored snapshot in place, under the run store's feet, as a user (or a failing disk) would: the tests of
 * what the lab does with a damaged record. `database` is the run store's database name.
 */
export async function overwriteSnapshot(
  database: string,
  key: string,
  factory: IDBFactory,
  edit: (stored: Record<string, unknown>) => void,
): Promise<void> {
  const previous = globalThis.indexedDB;
  // idb opens through the global factory; a test's own factory stands in for the call.
  globalThis.indexedDB = factory;
  try {
    const db = await openDB(database);
    const stored = (await db.get('snapshots', key)) as Record<string, unknown>;
    edit(stored);
    await db.put('snapshots', stored, key);
    db.close();
  } finally {
    globalThis.indexedDB = previous;
  }
}
