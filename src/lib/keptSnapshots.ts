/**
 * The worker's side of the run store: a training worker keeps its own run's snapshot in the same database the page
 * reads (RunStore), so a reload, a closed tab or a crashed browser loses about a second of training and the page
 * never clones megabytes of weights to save them. Opened with `idb` at the run store's version and upgrade steps,
 * so whichever side opens the database first creates the same schema.
 */
import { openDB, unwrap, type IDBPDatabase } from 'idb';
import type { KeepTarget } from '../worker/keepTarget';
import type { RunSnapshot } from '../worker/protocol';
import { RUN_DB_NAME, RUN_DB_VERSION, UPGRADES, laneSnapshotKey } from './runStore';

export type { KeepTarget };

/** Lane `index` of the experiment `runId`, trained by `tab`. */
export function laneKeepTarget(runId: string, index: number, tab: string): KeepTarget {
  return { runId, key: index === 0 ? runId : laneSnapshotKey(runId, index), tab };
}

/** 'not-owner': another tab saved the record last (it trains this run now); nothing was written. */
export type KeepOutcome = 'kept' | 'not-owner';

export type SnapshotWriter = (target: KeepTarget, snapshot: RunSnapshot) => Promise<KeepOutcome>;

interface StoredRecord {
  savedBy?: string;
  hasSnapshot?: boolean;
}

/** Writes snapshots into the run store's database (`name`: tests use their own) with idb. */
export function idbSnapshotWriter(name = RUN_DB_NAME): SnapshotWriter {
  let opened: Promise<IDBPDatabase> | null = null;
  const database = (): Promise<IDBPDatabase> => {
    opened ??= openDB(name, RUN_DB_VERSION, {
      upgrade(db, oldVersion, _newVersion, transaction) {
        for (const step of UPGRADES)
          if (step.version > oldVersion) step.upgrade(unwrap(db), unwrap(transaction));
      },
      // A newer lab upgrading the schema: let it; the next write opens again (and is refused if it cannot).
      blocking() {
        const current = opened;
        opened = null;
        void current?.then((db) => db.close());
      },
    }).catch((error: unknown) => {
      opened = null;
      throw error;
    });
    return opened;
  };
  return async (target, snapshot) => {
    const db = await database();
    const transaction = db.transaction(['runs', 'snapshots'], 'readwrite');
    const runs = transaction.objectStore('runs');
    const record = (await runs.get(target.runId)) as StoredRecord | undefined;
    if (record?.savedBy !== undefined && record.savedBy !== target.tab) {
      await transaction.done;
      return 'not-owner';
    }
    await transaction.objectStore('snapshots').put(snapshot, target.key);
    if (record && target.key === target.runId && !record.hasSnapshot)
      await runs.put({ ...record, hasSnapshot: true });
    await transaction.done;
    return 'kept';
  };
}
