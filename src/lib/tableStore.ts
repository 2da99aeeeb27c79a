/**
 * Uploaded operation tables too large for a link (the whole 257×257 table is ≈ 940 000 characters of link) live in
 * this browser's IndexedDB, keyed by the SHA-256 of their content; the link carries only the reference
 * (urlState.ts TableRef). A link opened on another device names the table it lacks instead of losing the config.
 *
 * crypto.subtle and IndexedDB exist in pages, workers and (with fake-indexeddb in tests) Node.
 */
import { isVersionError, newerVersionMessage } from './storageErrors';
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import {
  decodeUrlState,
  tableRefsInLink,
  urlStateToHash,
  tableNeedsReference,
  type DecodedUrlState,
  type EncodableState,
  type TableRef,
  type UploadedTable,
} from './urlState';

const DB_NAME = 'grok-lab-tables';
const STORE = 'tables';

interface StoredTable {
  sha256: string;
  name: string;
  /** (a, b, result) triples, every value < 257. */
  rows: Uint16Array;
  savedAt: number;
}

interface TableSchema extends DBSchema {
  tables: { key: string; value: StoredTable };
}

let opened: Promise<IDBPDatabase<TableSchema>> | null = null;

function database(): Promise<IDBPDatabase<TableSchema>> {
  opened ??= openDB<TableSchema>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore(STORE, { keyPath: 'sha256' });
    },
  }).catch((error: unknown) => {
    opened = null; // a later call may succeed (e.g. after a blocked upgrade)
    throw isVersionError(error) ? new Error(newerVersionMessage('uploaded tables'), { cause: error }) : error;
  });
  return opened;
}

/** Forgets the open connection (tests swap the IndexedDB factory between cases). */
export function closeTableStore(): void {
  const current = opened;
  opened = null;
  void current?.then((db) => db.close()).catch(() => undefined);
}

/** Hex SHA-256 of the table's content: its name and rows, as the canonical JSON the link would carry. */
export async function tableDigest(table: UploadedTable): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify({ name: table.name, rows: table.rows }));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Digests by rows array: the page re-encodes the same table on every change it mirrors into the address bar. */
const known = new WeakMap<readonly number[], { name: string; ref: TableRef }>();

/** Stores the table (idempotent: same content, same key) and returns the reference a link carries. */
export async function saveTable(table: UploadedTable): Promise<TableRef> {
  const cached = known.get(table.rows);
  if (cached && cached.name === table.name) return cached.ref;
  const sha256 = await tableDigest(table);
  const ref: TableRef = { name: table.name, sha256, pairs: table.rows.length / 3 };
  const db = await database();
  if ((await db.getKey(STORE, sha256)) === undefined) {
    await db.put(STORE, {
      sha256,
      name: table.name,
      rows: Uint16Array.from(table.rows),
      savedAt: Date.now(),
    });
  }
  known.set(table.rows, { name: table.name, ref });
  return ref;
}

/** The table stored under `sha256`, or null when this device does not have it (or its copy is damaged). */
export async function loadTable(sha256: string): Promise<UploadedTable | null> {
  const db = await database();
  const stored = await db.get(STORE, sha256);
  if (!stored) return null;
  const table = { name: stored.name, rows: Array.from(stored.rows) };
  return (await tableDigest(table)) === sha256 ? table : null;
}

/**
 * decodeUrlState for a link that may reference stored tables: looks each one up first. Never throws; without
 * IndexedDB the references are reported as missing, like on another device.
 */
export async function decodeLink(input: string): Promise<DecodedUrlState> {
  const tables = new Map<string, UploadedTable>();
  for (const ref of tableRefsInLink(input)) {
    try {
      const table = await loadTable(ref.sha256);
      if (table) tables.set(ref.sha256, table);
    } catch {
      // No IndexedDB here (private mode, blocked): the table counts as not on this device.
    }
  }
  return decodeUrlState(input, { tables });
}

/**
 * urlStateToHash for the address bar: a table too large to travel inline is saved here first and linked by
 * reference. If it cannot be saved (no IndexedDB), the table stays inline: a long link beats a lost table.
 */
export async function linkHash(state: EncodableState): Promise<string> {
  const table = state.config.task.kind === 'table' ? state.config.task.table : null;
  if (!table || !tableNeedsReference(table)) return urlStateToHash(state);
  try {
    const ref = await saveTable(table);
    return urlStateToHash(state, { tableRef: () => ref });
  } catch {
    return urlStateToHash(state);
  }
}
