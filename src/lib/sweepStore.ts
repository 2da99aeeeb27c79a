/**
 * The lab's sweeps in this browser's IndexedDB (beside the runs and the uploaded tables), so a reload resumes a
 * sweep with its finished cells kept: the spec and state of each sweep, each finished cell's outcome (small; read
 * for the whole map on load) and, apart, each cell's run (history, events and weights; read when a cell is
 * opened as a lane). Cells are keyed by their content hash (src/lib/sweep/cells.ts cellId): the same run in two
 * sweeps is trained once. Everything read back is checked with zod; a record that fails is reported by what is
 * wrong and skipped, never deleted, and nothing else is lost.
 */
import { isVersionError, newerVersionMessage } from './storageErrors';
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { z } from 'zod';
import { cellOutcomeSchema, type CellOutcome } from './sweep/cellResult';
import { sweepSpecSchema, type SweepSpec } from './sweep/spec';
import { configEventSchema, metricRecordSchema } from '../engine/records';
import { runSnapshotSchema, type RunSnapshot } from '../engine/snapshot';

export const SWEEP_DB_NAME = 'grok-lab-sweeps';

export const SWEEP_STATUSES = ['running', 'paused', 'done', 'cancelled'] as const;
export type StoredSweepStatus = (typeof SWEEP_STATUSES)[number];

const storedSweepSchema = z.strictObject({
  id: z.string().min(1).max(100),
  spec: sweepSpecSchema,
  status: z.enum(SWEEP_STATUSES),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Wall time the sweep has spent running (paused time excluded), ms. */
  runningMs: z.number().min(0),
});
export type StoredSweep = z.output<typeof storedSweepSchema>;

const storedCellRunSchema = z.object({
  id: z.string().min(1),
  history: z.array(metricRecordSchema),
  events: z.array(configEventSchema),
  snapshot: runSnapshotSchema.nullable(),
});

/** A finished cell's run: what opens it as a lane. */
export type StoredCellRun = z.output<typeof storedCellRunSchema>;

interface SweepSchema extends DBSchema {
  sweeps: { key: string; value: unknown };
  outcomes: { key: string; value: unknown };
  runs: { key: string; value: unknown };
  /** The latest weights of a cell still training (keyed by cell id), so a reload resumes it from there. */
  partial: { key: string; value: unknown };
}

export type Read<T> = { ok: true; value: T } | { ok: false; message: string };

function problems(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(record)'}: ${issue.message}`)
    .join('; ');
}

/** What the sweep store needs of storage (IndexedDB in the app, the same code over fake-indexeddb in tests). */
export interface SweepPersistence {
  saveSweep(sweep: StoredSweep): Promise<void>;
  /** The most recently updated sweep that was running or paused, or null; unreadable: why. */
  activeSweep(): Promise<Read<StoredSweep> | null>;
  /** Every stored sweep, newest first; `unreadable`: why each that failed its check did. */
  listSweeps(): Promise<{ sweeps: StoredSweep[]; unreadable: string[] }>;
  saveCell(outcome: CellOutcome, run: StoredCellRun): Promise<void>;
  /** The stored outcomes of these cells; `unreadable` names the cells whose records failed their check. */
  outcomes(ids: readonly string[]): Promise<{ outcomes: Map<string, CellOutcome>; unreadable: string[] }>;
  cellRun(id: string): Promise<Read<StoredCellRun> | null>;
  /** Keeps a running cell's latest snapshot (replacing the previous one). */
  savePartial(id: string, snapshot: RunSnapshot): Promise<void>;
  /** A running cell's last kept snapshot; null when there is none or it fails its check (then it is trained anew). */
  partial(id: string): Promise<RunSnapshot | null>;
}

let opened: Promise<IDBPDatabase<SweepSchema>> | null = null;

function database(): Promise<IDBPDatabase<SweepSchema>> {
  opened ??= openDB<SweepSchema>(SWEEP_DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('sweeps', { keyPath: 'id' });
      db.createObjectStore('outcomes', { keyPath: 'id' });
      db.createObjectStore('runs', { keyPath: 'id' });
      db.createObjectStore('partial');
    },
  }).catch((error: unknown) => {
    opened = null; // a later call may succeed (e.g. after a blocked upgrade)
    throw isVersionError(error) ? new Error(newerVersionMessage('saved sweeps')) : error;
  });
  return opened;
}

/** Forgets the open connection (tests swap the IndexedDB factory between cases). */
export function closeSweepStore(): void {
  const current = opened;
  opened = null;
  void current?.then((db) => db.close()).catch(() => undefined);
}

export const indexedDbSweeps: SweepPersistence = {
  async saveSweep(sweep) {
    const db = await database();
    await db.put('sweeps', storedSweepSchema.parse(sweep));
  },

  async activeSweep() {
    const db = await database();
    const all = await db.getAll('sweeps');
    let latest: { at: number; read: Read<StoredSweep> } | null = null;
    for (const value of all) {
      const parsed = storedSweepSchema.safeParse(value);
      const at = (value as { updatedAt?: unknown } | null)?.updatedAt;
      const time = typeof at === 'number' ? at : 0;
      const status = (value as { status?: unknown } | null)?.status;
      if (!parsed.success) {
        // A damaged record that may have been the active sweep: say so (it stays stored as it is).
        if (status === 'running' || status === 'paused' || status === undefined) {
          const id = String((value as { id?: unknown } | null)?.id ?? '?');
          const read = {
            ok: false as const,
            message: `the stored sweep “${id}” is unreadable: ${problems(parsed.error)}`,
          };
          if (!latest || time >= latest.at) latest = { at: time, read };
        }
        continue;
      }
      if (parsed.data.status !== 'running' && parsed.data.status !== 'paused') continue;
      if (!latest || parsed.data.updatedAt >= latest.at)
        latest = { at: parsed.data.updatedAt, read: { ok: true, value: parsed.data } };
    }
    return latest?.read ?? null;
  },

  async listSweeps() {
    const db = await database();
    const sweeps: StoredSweep[] = [];
    const unreadable: string[] = [];
    for (const value of await db.getAll('sweeps')) {
      const parsed = storedSweepSchema.safeParse(value);
      if (parsed.success) sweeps.push(parsed.data);
      else {
        const id = String((value as { id?: unknown } | null)?.id ?? '?');
        unreadable.push(`the stored sweep “${id}” is unreadable: ${problems(parsed.error)}`);
      }
    }
    return { sweeps: sweeps.sort((a, b) => b.updatedAt - a.updatedAt), unreadable };
  },

  async saveCell(outcome, run) {
    const db = await database();
    const tx = db.transaction(['outcomes', 'runs', 'partial'], 'readwrite');
    await Promise.all([
      tx.objectStore('outcomes').put(outcome),
      tx.objectStore('runs').put(run),
      tx.objectStore('partial').delete(outcome.id),
      tx.done,
    ]);
  },

  async outcomes(ids) {
    const db = await database();
    const outcomes = new Map<string, CellOutcome>();
    const unreadable: string[] = [];
    for (const id of new Set(ids)) {
      const value = await db.get('outcomes', id);
      if (value === undefined) continue;
      const parsed = cellOutcomeSchema.safeParse(value);
      if (parsed.success && parsed.data.id === id) outcomes.set(id, parsed.data);
      else unreadable.push(id);
    }
    return { outcomes, unreadable };
  },

  async cellRun(id) {
    const db = await database();
    const value = await db.get('runs', id);
    if (value === undefined) return null;
    const parsed = storedCellRunSchema.safeParse(value);
    if (!parsed.success)
      return { ok: false, message: `the stored run of cell ${id} is unreadable: ${problems(parsed.error)}` };
    return { ok: true, value: parsed.data as StoredCellRun };
  },

  async savePartial(id, snapshot) {
    const db = await database();
    await db.put('partial', snapshot, id);
  },

  async partial(id) {
    const db = await database();
    const parsed = runSnapshotSchema.safeParse(await db.get('partial', id));
    return parsed.success ? (parsed.data as RunSnapshot) : null;
  },
};

export type { SweepSpec };

/**
 * What a full (or failing) IndexedDB kept from being saved, written where it does not reach: localStorage, a few
 * hundred bytes. The next load reads it and says what was lost, once; without it a sweep that could not be saved
 * simply was not there after a reload, and nothing said why.
 */
const sweepLossSchema = z.strictObject({
  sweepId: z.string(),
  title: z.string(),
  /** The sweep itself was not saved (a reload cannot resume it); false once a later save succeeded. */
  sweepUnsaved: z.boolean(),
  /** Finished cells whose outcome was not saved (a reload trains them again). */
  cellsLost: z.number().int().min(0),
  reason: z.string(),
});
export type SweepLoss = z.output<typeof sweepLossSchema>;

export interface SweepLossLog {
  noteSweepUnsaved(sweepId: string, title: string, reason: string): void;
  /** The sweep was saved after all: a reload resumes it. */
  sweepSaved(sweepId: string): void;
  noteCellLost(sweepId: string, title: string, reason: string): void;
  /** The losses noted since the last take, forgotten once read. */
  take(): SweepLoss[];
}

const LOSS_KEY = 'grok-lab-sweep-losses';
const sweepLossesSchema = z.array(sweepLossSchema);

type LossStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * The loss log in `storage()` (the page's localStorage; a getter, since reading `localStorage` itself throws where
 * the browser blocks site data; none: nothing is kept, nothing is said).
 */
export function storageSweepLossLog(storage: () => LossStorage | undefined): SweepLossLog {
  const read = (): SweepLoss[] => {
    try {
      const parsed = sweepLossesSchema.safeParse(JSON.parse(storage()?.getItem(LOSS_KEY) ?? '[]'));
      return parsed.success ? parsed.data : [];
    } catch (_error) {
      return [];
    }
  };
  const write = (losses: SweepLoss[]) => {
    try {
      if (losses.length === 0) storage()?.removeItem(LOSS_KEY);
      else storage()?.setItem(LOSS_KEY, JSON.stringify(losses.slice(-10)));
    } catch (_error) {
      // localStorage full or off as well: there is nowhere left to say it from.
    }
  };
  const update = (sweepId: string, title: string, change: (loss: SweepLoss) => SweepLoss) => {
    const losses = read();
    const index = losses.findIndex((loss) => loss.sweepId === sweepId);
    const current = losses[index] ?? { sweepId, title, sweepUnsaved: false, cellsLost: 0, reason: '' };
    const next = change(current);
    write(index < 0 ? [...losses, next] : losses.map((loss, i) => (i === index ? next : loss)));
  };
  return {
    noteSweepUnsaved(sweepId, title, reason) {
      update(sweepId, title, (loss) => ({ ...loss, title, sweepUnsaved: true, reason }));
    },
    sweepSaved(sweepId) {
      const losses = read();
      const loss = losses.find((each) => each.sweepId === sweepId);
      if (!loss?.sweepUnsaved) return;
      write(
        losses
          .map((each) => (each === loss ? { ...each, sweepUnsaved: false } : each))
          .filter((each) => each.sweepUnsaved || each.cellsLost > 0),
      );
    },
    noteCellLost(sweepId, title, reason) {
      update(sweepId, title, (loss) => ({ ...loss, title, cellsLost: loss.cellsLost + 1, reason }));
    },
    take() {
      const losses = read();
      write([]);
      return losses;
    },
  };
}

/** What the next load says about a loss. */
export function describeSweepLoss(loss: SweepLoss): string {
  const cells =
    loss.cellsLost > 0
      ? `${loss.cellsLost} finished cell${loss.cellsLost === 1 ? ' was' : 's were'} not kept`
      : '';
  if (loss.sweepUnsaved)
    return (
      `The sweep “${loss.title}” could not be saved in this browser (${loss.reason}), so it was lost when the page ` +
      `closed${cells ? ` and ${cells}` : ''}: start it again (its link or the form) once there is room.`
    );
  return `The sweep “${loss.title}”: ${cells} (${loss.reason}); they are trained again.`;
}
