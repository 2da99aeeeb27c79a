/**
 * Over 500 lines: its error kinds, upgrades, migrations and transactions must agree (`idb` would shorten it).
 *
 * Runs saved in the browser (IndexedDB), so a reload can offer "resume the last run?" and a class can keep
 * and compare earlier runs. Three object stores:
 *   runs       keyPath id, index createdAt: everything but the snapshot (small enough to list);
 *   snapshots  key = run id: the optional RunSnapshot (weights + optimizer moments, can be megabytes);
 *   meta       key = name: the "last run" pointer.
 * The database version and its upgrade steps are listed in UPGRADES; each record also carries its own
 * recordVersion, migrated on read by RECORD_MIGRATIONS, so an old record never reaches the app unconverted.
 * Over ~500 lines because it wraps IndexedDB's requests by hand (the schema upgrades, the cross-tab conflict check
 * and the lane snapshots each need their transaction); moving it onto `idb`, as tableStore.ts is, would halve it.
 */
import type { Config } from '../engine/config';
import { isPlainObject } from '../engine/plainObjects';
import { formatProblems } from '../engine/problems';
import { storedSnapshotProblems } from '../engine/snapshot';
import type { RunStatus } from '../worker/protocol';
import type { RunSnapshot } from '../engine/snapshot';
import { isVersionError, newerVersionMessage } from './storageErrors';
import { storedRunIssues, type StoredRun } from './storedRun';

export type { StoredComparison, StoredComparisonLane, StoredRun } from './storedRun';

export const RUN_DB_NAME = 'grok-lab';
export const RUN_RECORD_VERSION = 1;

/** The meta key of one tab's own "last run" pointer. */
function tabPointer(tab: string): string {
  return `lastRunId:${tab}`;
}

/** Where lane `index` (≥ 1) of race `id` keeps its snapshot in the snapshots store. */
export function laneSnapshotKey(id: string, index: number): string {
  return `${id}/lane${index}`;
}

/** Every snapshot key a record may own: its own and its lanes'. */
function snapshotKeys(id: string, laneCount: number): string[] {
  return [id, ...Array.from({ length: Math.max(0, laneCount - 1) }, (_, i) => laneSnapshotKey(id, i + 1))];
}

function laneCount(record: unknown): number {
  if (!isPlainObject(record) || !isPlainObject(record.comparison) || !Array.isArray(record.comparison.lanes))
    return 1;
  return record.comparison.lanes.length;
}

/** What a run list shows, without the history or the snapshot. */
export interface RunSummary {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  status: RunStatus;
  wallTimeMs: number;
  /** Step of the last evaluation (0 if none). */
  steps: number;
  lastTestAccuracy: number | null;
  lastTrainAccuracy: number | null;
  hasSnapshot: boolean;
  config: Config;
  /** For a saved race: its lanes' names and the winner's. */
  comparison?: { lanes: string[]; winner: string | null };
}

export type RunStoreErrorKind =
  | 'unavailable'
  | 'blocked'
  | 'newer-version'
  | 'quota'
  | 'invalid'
  | 'failed'
  /** Another tab saved the same run since this tab read it (see PutOptions.expectUpdatedAt). */
  | 'conflict';

export interface PutOptions {
  /** Also point "last run" at this run, in the same transaction (both happen or neither). */
  makeLast?: boolean;
  /**
   * The tab saving it (a per-tab id kept in sessionStorage): with makeLast, this tab's own "last run" pointer is
   * set too, so a reload offers this tab's run, never the one another tab is training.
   */
  tab?: string;
  /**
   * Optimistic concurrency between tabs: refuse (RunStoreError 'conflict') when the stored run was saved last by
   * another tab (its `savedBy` is not `tab`) and its updatedAt is not this value, i.e. another tab saved it after
   * this tab read it. A tab is never in conflict with itself, whatever path it saved by and across its reloads.
   * Absent: overwrite unconditionally.
   */
  expectUpdatedAt?: number | null;
}

export class RunStoreError extends Error {
  constructor(
    message: string,
    readonly kind: RunStoreErrorKind,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RunStoreError';
  }
}

/** The browser refused to store more: free space (delete or prune runs, drop snapshots) and try again. */
export class RunStoreQuotaError extends RunStoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'quota', options);
    this.name = 'RunStoreQuotaError';
  }
}

/** Recognizes the storage-full errors of Chromium/WebKit (QuotaExceededError) and Firefox. */
export function isQuotaError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22;
}

export function toStoreError(error: unknown, doing: string): RunStoreError {
  if (error instanceof RunStoreError) return error;
  if (isQuotaError(error)) {
    return new RunStoreQuotaError(
      `The browser's storage for this site is full while ${doing}. Delete old runs or save without weights.`,
      { cause: error },
    );
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new RunStoreError(`Saving runs failed while ${doing} (${detail}).`, 'failed', { cause: error });
}

// --- schema ------------------------------------------------------------------------------------------------

export interface Upgrade {
  /** The database version this step brings the schema to. */
  version: number;
  upgrade(database: IDBDatabase, transaction: IDBTransaction): void;
}

/** Append a step (and raise nothing else) to change the schema; each runs once, in order, on old databases. */
export const UPGRADES: readonly Upgrade[] = [
  {
    version: 1,
    upgrade(database) {
      const runs = database.createObjectStore('runs', { keyPath: 'id' });
      runs.createIndex('createdAt', 'createdAt');
      database.createObjectStore('snapshots');
      database.createObjectStore('meta');
    },
  },
  {
    // Snapshots that failed their check when read, kept with what was wrong (SetAsideSnapshot).
    version: 2,
    upgrade(database) {
      database.createObjectStore('setAside', { autoIncrement: true });
    },
  },
];

/** A snapshot that failed its check when read: moved out of the snapshots store, never offered again. */
export interface SetAsideSnapshot {
  runId: string;
  /** Its key in the snapshots store (the run's id, or laneSnapshotKey for a race lane). */
  key: string;
  /** The run's name when it was set aside. */
  name: string;
  /** "path: what is wrong" lines. */
  problems: string[];
  /** ms since the epoch. */
  setAsideAt: number;
  /** The value as it was stored. */
  snapshot: unknown;
}

/** What changed in the run store, for the views that show it (the Runs panel, the notices). */
export type RunStoreChange =
  | { kind: 'saved'; id: string }
  | { kind: 'deleted'; ids: string[] }
  /** The run's damaged snapshots were set aside (setAside()); the run itself is kept. */
  | { kind: 'set-aside'; id: string; name: string; problems: string[] };

/** The database version: the last upgrade step's (the training workers open it at this version too). */
export const RUN_DB_VERSION = UPGRADES.at(-1)!.version;

/** recordVersion n → n+1, applied in turn to records saved by older code. */
export type RecordMigrations = Readonly<
  Record<number, (record: Record<string, unknown>) => Record<string, unknown>>
>;
export const RECORD_MIGRATIONS: RecordMigrations = {};

interface RunRecord extends Omit<StoredRun, 'snapshot'> {
  recordVersion: number;
  hasSnapshot: boolean;
  /** The tab that saved it last (PutOptions.tab), absent when saved without one: who owns a run being trained. */
  savedBy?: string;
}

/** Whether a save by `tab` expecting `expectUpdatedAt` would overwrite what another tab saved since. */
function savedElsewhere(stored: unknown, tab: string | undefined, expectUpdatedAt: number | null): boolean {
  // Not stored (new, or deleted since): nobody else is saving it.
  if (!isPlainObject(stored)) return false;
  if (tab !== undefined && stored.savedBy === tab) return false;
  return stored.updatedAt !== expectUpdatedAt;
}

export interface OpenOptions {
  /** Database name (tests use their own). */
  name?: string;
  /** Default: globalThis.indexedDB. */
  factory?: IDBFactory;
  /** Upgrade steps; the database version is the last step's. */
  upgrades?: readonly Upgrade[];
  recordVersion?: number;
  recordMigrations?: RecordMigrations;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function completion(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    // A failed request aborts the transaction (its error is not prevented), so every failure ends up here.
    transaction.onabort = () =>
      reject(transaction.error ?? new DOMException('transaction aborted', 'AbortError'));
  });
}

export function newRunId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function summarize(record: RunRecord): RunSummary {
  const last = record.history.at(-1);
  return {
    id: record.id,
    name: record.name,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    status: record.status,
    wallTimeMs: record.wallTimeMs,
    steps: last?.step ?? 0,
    lastTestAccuracy: last?.testAccuracy ?? null,
    lastTrainAccuracy: last?.trainAccuracy ?? null,
    hasSnapshot: record.hasSnapshot,
    config: record.config,
    ...(record.comparison
      ? {
          comparison: {
            lanes: record.comparison.lanes.map((lane) => lane.name),
            winner:
              record.comparison.winner === null
                ? null
                : (record.comparison.lanes[record.comparison.winner]?.name ?? null),
          },
        }
      : {}),
  };
}

/** Refuses a record that could not be read back (a programming error; the bulk is the app's own data). */
function checkRun(run: StoredRun): void {
  const problems = storedRunIssues(run);
  if (problems.length > 0)
    throw new RunStoreError(`Cannot save this run: ${formatProblems(problems).join('; ')}.`, 'invalid');
}

/** The snapshots a record holds, with the config of what owns each (the run's, or the lane's) and its path. */
function ownedSnapshots(run: StoredRun): { key: string; snapshot: unknown; owner: unknown; path: string }[] {
  const own = { key: run.id, snapshot: run.snapshot, owner: run.config, path: 'snapshot' };
  const lanes = (run.comparison?.lanes ?? []).slice(1).map((lane, i) => ({
    key: laneSnapshotKey(run.id, i + 1),
    snapshot: lane.snapshot,
    owner: lane.config,
    path: `comparison.lanes[${i + 1}].snapshot`,
  }));
  return [own, ...lanes].filter((entry) => entry.snapshot !== undefined && entry.snapshot !== null);
}

export class RunStore {
  private readonly listeners = new Set<(change: RunStoreChange) => void>();

  private constructor(
    private readonly database: IDBDatabase,
    private readonly recordVersion: number,
    private readonly recordMigrations: RecordMigrations,
  ) {
    // Let a newer tab upgrade the schema instead of being blocked by this connection.
    database.onversionchange = () => database.close();
  }

  /** Opens (creating or upgrading) the database. Rejects with a RunStoreError when IndexedDB is unusable. */
  static async open(options: OpenOptions = {}): Promise<RunStore> {
    const factory = options.factory ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (!factory) {
      throw new RunStoreError(
        'This browser offers no IndexedDB (private mode?): runs cannot be saved.',
        'unavailable',
      );
    }
    const upgrades = options.upgrades ?? UPGRADES;
    const version = upgrades.at(-1)?.version ?? 1;
    let openRequest: IDBOpenDBRequest;
    try {
      openRequest = factory.open(options.name ?? RUN_DB_NAME, version);
    } catch (error) {
      throw new RunStoreError(`IndexedDB refused to open (${String(error)}).`, 'unavailable', {
        cause: error,
      });
    }
    const database = await new Promise<IDBDatabase>((resolve, reject) => {
      let settled = false;
      openRequest.onupgradeneeded = (event) => {
        const transaction = openRequest.transaction;
        if (!transaction) return;
        for (const step of upgrades) {
          if (step.version > event.oldVersion && step.version <= version)
            step.upgrade(openRequest.result, transaction);
        }
      };
      openRequest.onsuccess = () => {
        // Opened after all, once the other tab let go: nobody is waiting for this connection any more.
        if (settled) openRequest.result.close();
        else resolve(openRequest.result);
        settled = true;
      };
      openRequest.onblocked = () => {
        settled = true;
        reject(
          new RunStoreError(
            'Another tab of the lab holds an older version of the saved runs open; close it.',
            'blocked',
          ),
        );
      };
      openRequest.onerror = (event) => {
        event.preventDefault();
        settled = true;
        const error = openRequest.error;
        reject(
          isVersionError(error)
            ? new RunStoreError(newerVersionMessage('saved runs'), 'newer-version', { cause: error })
            : toStoreError(error, 'opening the saved runs'),
        );
      };
    });
    return new RunStore(
      database,
      options.recordVersion ?? RUN_RECORD_VERSION,
      options.recordMigrations ?? RECORD_MIGRATIONS,
    );
  }

  close(): void {
    this.database.close();
  }

  /** Calls `listener` after every change this connection makes; returns its removal. */
  subscribe(listener: (change: RunStoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(change: RunStoreChange): void {
    for (const listener of this.listeners) listener(change);
  }

  /** Brings a stored record to the current recordVersion; null for a record from a newer lab or unreadable. */
  private migrate(raw: unknown): RunRecord | null {
    if (!isPlainObject(raw)) return null;
    let record = raw;
    let version = typeof record.recordVersion === 'number' ? record.recordVersion : 0;
    while (version < this.recordVersion) {
      const step = this.recordMigrations[version];
      if (!step) return null;
      record = { ...step(record), recordVersion: version + 1 };
      version++;
    }
    if (version > this.recordVersion) return null;
    return record as unknown as RunRecord;
  }

  private async run<T>(
    stores: string[],
    mode: IDBTransactionMode,
    doing: string,
    body: (transaction: IDBTransaction) => Promise<T> | T,
  ): Promise<T> {
    let transaction: IDBTransaction;
    try {
      transaction = this.database.transaction(stores, mode);
    } catch (error) {
      throw toStoreError(error, doing);
    }
    const done = completion(transaction);
    try {
      const result = await body(transaction);
      await done;
      return result;
    } catch (error) {
      try {
        transaction.abort();
      } catch (_alreadyFinished) {
        // the transaction has already completed or aborted
      }
      await done.catch(() => undefined);
      throw toStoreError(error, doing);
    }
  }

  /**
   * Saves (creates or replaces) a run, in one transaction with its snapshot and (makeLast) the last-run pointer,
   * so two tabs saving at once never leave a pointer to a half-written run. Throws RunStoreQuotaError when
   * storage is full, RunStoreError 'conflict' when expectUpdatedAt does not match.
   */
  async put(run: StoredRun, options: PutOptions = {}): Promise<void> {
    checkRun(run);
    const { snapshot, ...rest } = run;
    const stores = options.makeLast ? ['runs', 'snapshots', 'meta'] : ['runs', 'snapshots'];
    await this.run(stores, 'readwrite', `saving run “${run.name}”`, async (transaction) => {
      const runs = transaction.objectStore('runs');
      const snapshots = transaction.objectStore('snapshots');
      if (options.expectUpdatedAt !== undefined) {
        const stored: unknown = await request(runs.get(run.id));
        if (savedElsewhere(stored, options.tab, options.expectUpdatedAt)) {
          throw new RunStoreError(
            `The run “${run.name}” was saved from another tab in the meantime; save it as a new run instead.`,
            'conflict',
          );
        }
      }
      if (options.makeLast) {
        transaction.objectStore('meta').put(run.id, 'lastRunId');
        if (options.tab) transaction.objectStore('meta').put(run.id, tabPointer(options.tab));
      }
      let hasSnapshot: boolean;
      if (snapshot === undefined) {
        hasSnapshot = (await request(snapshots.count(run.id))) > 0;
      } else if (snapshot === null) {
        snapshots.delete(run.id);
        hasSnapshot = false;
      } else {
        snapshots.put(snapshot, run.id);
        hasSnapshot = true;
      }
      const comparison = rest.comparison && {
        ...rest.comparison,
        lanes: rest.comparison.lanes.map(({ snapshot: laneSnapshot, ...lane }, index) => {
          if (index > 0 && laneSnapshot === null) snapshots.delete(laneSnapshotKey(run.id, index));
          else if (index > 0 && laneSnapshot) snapshots.put(laneSnapshot, laneSnapshotKey(run.id, index));
          return lane;
        }),
      };
      const record: RunRecord = {
        ...rest,
        ...(comparison ? { comparison } : {}),
        recordVersion: this.recordVersion,
        hasSnapshot,
        ...(options.tab ? { savedBy: options.tab } : {}),
      };
      await request(runs.put(record));
    });
    this.changed({ kind: 'saved', id: run.id });
  }

  /**
   * The run with its snapshots (those stored), or null. Every snapshot is checked first (schema, weights against
   * the model, config against its owner's): one that fails is set aside (setAside()), the run comes back without
   * it, and subscribers hear which run and why, so a damaged snapshot is never offered or sent to a worker.
   */
  async get(id: string): Promise<StoredRun | null> {
    const run = await this.read(id);
    if (!run) return null;
    const damaged = ownedSnapshots(run)
      .map((entry) => ({
        ...entry,
        problems: storedSnapshotProblems(entry.snapshot, entry.owner, entry.path),
      }))
      .filter((entry) => entry.problems.length > 0);
    if (damaged.length === 0) return run;
    const problems = await this.setAsideSnapshots(run, damaged);
    if (problems.length > 0) this.changed({ kind: 'set-aside', id, name: run.name, problems });
    const keys = new Set(damaged.map((entry) => entry.key));
    const { snapshot, ...rest } = run;
    return {
      ...rest,
      ...(snapshot && !keys.has(id) ? { snapshot } : {}),
      ...(run.comparison
        ? {
            comparison: {
              ...run.comparison,
              lanes: run.comparison.lanes.map(({ snapshot: laneSnapshot, ...lane }, index) =>
                laneSnapshot && !keys.has(index === 0 ? id : laneSnapshotKey(id, index))
                  ? { ...lane, snapshot: laneSnapshot }
                  : lane,
              ),
            },
          }
        : {}),
    };
  }

  /**
   * Moves damaged snapshots to the setAside store (one transaction). Each is checked again as it is moved: one
   * written anew since it was read (a worker keeping its run) stays. Returns the problems of those moved.
   */
  private async setAsideSnapshots(
    run: StoredRun,
    damaged: { key: string; owner: unknown; path: string }[],
  ): Promise<string[]> {
    return this.run(
      ['runs', 'snapshots', 'setAside'],
      'readwrite',
      `setting aside the damaged weights of “${run.name}”`,
      async (transaction) => {
        const snapshots = transaction.objectStore('snapshots');
        const moved: string[] = [];
        for (const { key, owner, path } of damaged) {
          const stored: unknown = await request(snapshots.get(key));
          const problems = formatProblems(storedSnapshotProblems(stored, owner, path));
          if (stored === undefined || problems.length === 0) continue;
          const entry: SetAsideSnapshot = {
            runId: run.id,
            key,
            name: run.name,
            problems,
            setAsideAt: Date.now(),
            snapshot: stored,
          };
          transaction.objectStore('setAside').add(entry);
          snapshots.delete(key);
          moved.push(...problems);
          if (key !== run.id) continue;
          const runs = transaction.objectStore('runs');
          const record: unknown = await request(runs.get(run.id));
          if (isPlainObject(record)) runs.put({ ...record, hasSnapshot: false });
        }
        return moved;
      },
    );
  }

  /** Every snapshot set aside so far, oldest first. */
  async setAside(): Promise<SetAsideSnapshot[]> {
    return this.run(['setAside'], 'readonly', 'listing set-aside weights', async (transaction) => {
      return (await request(transaction.objectStore('setAside').getAll())) as SetAsideSnapshot[];
    });
  }

  /** The run as stored, its snapshots unchecked. */
  private async read(id: string): Promise<StoredRun | null> {
    return this.run(['runs', 'snapshots'], 'readonly', 'reading a saved run', async (transaction) => {
      const record = this.migrate(await request(transaction.objectStore('runs').get(id)));
      if (!record) return null;
      // Read whatever hasSnapshot says: a training worker may have kept one since the record was saved.
      const snapshot = (await request(transaction.objectStore('snapshots').get(id))) as
        RunSnapshot | undefined;
      const { recordVersion: _version, hasSnapshot: _has, savedBy: _by, ...run } = record;
      if (run.comparison) {
        const store = transaction.objectStore('snapshots');
        const lanes = await Promise.all(
          run.comparison.lanes.map(async (lane, index) => {
            if (index === 0) return snapshot ? { ...lane, snapshot } : lane;
            const laneSnapshot = (await request(store.get(laneSnapshotKey(id, index)))) as
              RunSnapshot | undefined;
            return laneSnapshot ? { ...lane, snapshot: laneSnapshot } : lane;
          }),
        );
        run.comparison = { ...run.comparison, lanes };
      }
      return snapshot ? { ...run, snapshot } : run;
    });
  }

  /** Every readable run, newest first. */
  async list(): Promise<RunSummary[]> {
    return this.run(['runs'], 'readonly', 'listing saved runs', async (transaction) => {
      const raw = await request(transaction.objectStore('runs').getAll());
      return raw
        .map((entry) => this.migrate(entry))
        .filter((record): record is RunRecord => record !== null)
        .map(summarize)
        .sort((x, y) => y.createdAt - x.createdAt);
    });
  }

  async delete(id: string): Promise<void> {
    await this.run(['runs', 'snapshots', 'meta'], 'readwrite', 'deleting a run', async (transaction) => {
      const runs = transaction.objectStore('runs');
      const lanes = laneCount(await request(runs.get(id)));
      runs.delete(id);
      for (const key of snapshotKeys(id, lanes)) transaction.objectStore('snapshots').delete(key);
      const meta = transaction.objectStore('meta');
      if ((await request(meta.get('lastRunId'))) === id) meta.delete('lastRunId');
    });
    this.changed({ kind: 'deleted', ids: [id] });
  }

  /**
   * Deletes the oldest runs until at most `keep` remain; the last-run pointer's run is never deleted.
   * Returns the deleted ids (oldest first).
   */
  async pruneOldest(keep: number): Promise<string[]> {
    const deleted = await this.prune(keep);
    if (deleted.length > 0) this.changed({ kind: 'deleted', ids: deleted });
    return deleted;
  }

  private async prune(keep: number): Promise<string[]> {
    return this.run(['runs', 'snapshots', 'meta'], 'readwrite', 'pruning old runs', async (transaction) => {
      const runs = transaction.objectStore('runs');
      const lastRunId = await request(transaction.objectStore('meta').get('lastRunId'));
      const ids = (await request(runs.index('createdAt').getAllKeys())) as string[];
      const excess = ids.length - Math.max(0, keep);
      const deleted: string[] = [];
      for (const id of ids) {
        if (deleted.length >= excess) break;
        if (id === lastRunId) continue;
        const lanes = laneCount(await request(runs.get(id)));
        runs.delete(id);
        for (const key of snapshotKeys(id, lanes)) transaction.objectStore('snapshots').delete(key);
        deleted.push(id);
      }
      return deleted;
    });
  }

  /** Drops a run's snapshot but keeps its history (frees most of its space). */
  async deleteSnapshot(id: string): Promise<void> {
    await this.run(['runs', 'snapshots'], 'readwrite', 'deleting a snapshot', async (transaction) => {
      const runs = transaction.objectStore('runs');
      const record = await request(runs.get(id));
      for (const key of snapshotKeys(id, laneCount(record))) transaction.objectStore('snapshots').delete(key);
      if (isPlainObject(record)) runs.put({ ...record, hasSnapshot: false });
    });
  }

  async setLastRunId(id: string | null): Promise<void> {
    await this.run(['meta'], 'readwrite', 'remembering the last run', (transaction) => {
      const meta = transaction.objectStore('meta');
      if (id === null) meta.delete('lastRunId');
      else meta.put(id, 'lastRunId');
    });
  }

  /** The run saved last (by `tab`, when given: that tab's own pointer only). */
  async getLastRunId(tab?: string): Promise<string | null> {
    return this.run(['meta'], 'readonly', 'reading the last run', async (transaction) => {
      const id = await request(transaction.objectStore('meta').get(tab ? tabPointer(tab) : 'lastRunId'));
      return typeof id === 'string' ? id : null;
    });
  }

  /** The run the pointer names (for "resume the last run?"), or null; a dangling global pointer is cleared. */
  async getLastRun(tab?: string): Promise<StoredRun | null> {
    const id = await this.getLastRunId(tab);
    if (id === null) return null;
    const run = await this.get(id);
    if (run === null && !tab) await this.setLastRunId(null);
    return run;
  }
}
