/**
 * The sweep's cells as headless lanes: each cell's run is trained by a worker of the pool (workerPool.ts, at most
 * Workers of them, kept for the whole sweep) through the lanes' driver, and its history is mirrored by the lanes'
 * own history reducer (advanceHistory in lanes/lane.ts: rewinds after a worker recovery included). A freed worker
 * takes the next queued cell at once, before the finished cell is saved.
 */
import { cellId, type SweepCell } from '../../lib/sweep/cells';
import { cellsToStart, labCellOutcome, type EndStatus } from '../../lib/sweep/labRun';
import type { InitResult, RunSnapshot } from '../../worker/protocol';
import { advanceHistory, historyFrom, type LaneHistory } from '../lanes/lane';
import { errorText } from '../logic/format';
import { cellName, type Notify, type SweepState, type SweepStoreOptions } from './sweepState';
import { createWorkerPool, type PooledWorker } from './workerPool';

/** A running cell's weights are kept at most this often (the worker posts a snapshot every few seconds). */
const PARTIAL_EVERY_MS = 10_000;

const ENDED: readonly string[] = ['finished', 'diverged', 'error'];

export interface CellRunnerContext extends Pick<
  SweepStoreOptions,
  'createClient' | 'persistence' | 'losses'
> {
  get(): SweepState;
  set(update: Partial<SweepState> | ((state: SweepState) => Partial<SweepState>)): void;
  now(): number;
  notify: Notify;
  /** Writes the sweep's state (its clock goes with each finished cell). */
  persist(): Promise<void>;
  /** Every cell has an outcome now (the store closes the sweep). */
  allFinished(): Promise<void>;
}

/** One cell in a worker: the headless lane. */
interface CellRun {
  cell: SweepCell;
  worker: PooledWorker;
  history: LaneHistory;
  /** Its run is built: start()/pause() may be called. */
  ready: boolean;
  /** Its worker could not be replaced: it leaves the pool when the cell ends. */
  broken: boolean;
  startedAt: number;
  end(status: EndStatus): void;
}

export type CellRunner = ReturnType<typeof createCellRunner>;

export function createCellRunner(context: CellRunnerContext) {
  const { get, set, notify, persistence } = context;
  const pool = createWorkerPool(context.createClient, () => get().concurrency);
  const runs = new Map<string, CellRun>();
  /** Bumped when the sweep is stopped or replaced: callbacks of the old one are ignored. */
  let generation = 0;
  const name = (cell: SweepCell) => cellName(get().sweep!.spec, cell);

  /** The cell has no worker any more: it leaves the running cells and the live map. */
  const leave = (id: string) =>
    set((state) => {
      const progress = { ...state.progress };
      delete progress[id];
      return { running: state.running.filter((running) => running !== id), progress };
    });

  const finish = async (run: CellRun, status: EndStatus, token: number) => {
    const { cell, worker } = run;
    const snapshot = await worker.driver.client.snapshot().catch(() => null);
    if (token !== generation) return;
    const history = snapshot?.history ?? run.history.history;
    const outcome = labCellOutcome(cell.id, cell.config, history, status, context.now() - run.startedAt);
    if (status === 'error') notify('error', `Sweep cell ${name(cell)} failed in its worker.`);
    runs.delete(cell.id);
    pool.release(worker, !run.broken);
    leave(cell.id);
    set((state) => ({ outcomes: new Map(state.outcomes).set(cell.id, outcome) }));
    // The freed worker takes the next queued cell now; saving this one does not hold it up.
    pump();
    if (persistence) {
      await persistence
        .saveCell(outcome, { id: cell.id, history, events: snapshot?.events ?? [], snapshot })
        .catch((error: unknown) => {
          const reason = errorText(error);
          const { sweep, sweepId } = get();
          if (sweep && sweepId) context.losses?.noteCellLost(sweepId, sweep.spec.title ?? 'sweep', reason);
          notify(
            'warning',
            `A finished cell could not be saved: ${reason}. Its result stays on this page; a reload trains it again.`,
          );
        });
    }
    if (token !== generation) return;
    const { sweep, outcomes } = get();
    if (sweep && sweep.cells.every((each) => outcomes.has(each.id)) && get().status === 'running') {
      await context.allFinished();
      return;
    }
    // The sweep's clock, kept with each finished cell (a reload resumes it from there).
    await context.persist();
  };

  /** The weights a reload interrupted, if this cell has some kept (same config, same run). */
  const keptWeights = async (cell: SweepCell): Promise<RunSnapshot | null> => {
    const partial = persistence ? await persistence.partial(cell.id).catch(() => null) : null;
    return partial !== null && cellId(partial.config) === cell.id ? partial : null;
  };

  /** Builds the cell's run in its worker: from kept weights, else afresh on the sweep's backend. */
  const build = (run: CellRun, partial: RunSnapshot | null): Promise<InitResult> => {
    const { worker, cell } = run;
    const { client } = worker.driver;
    const threshold = cell.config.training.grokThreshold;
    return worker.driver.serial(async () => {
      if (partial) {
        const restored = await client.restore(partial);
        if (restored.ok) {
          run.history = historyFrom([...partial.history], partial.events, threshold);
          return restored;
        }
        // Weights the worker refuses: the cell is trained from the start.
      }
      const backend = get().backend;
      if (worker.choice === backend) return client.reset(cell.config);
      const result = await client.init(cell.config, backend);
      if (result.ok) worker.choice = backend;
      return result;
    });
  };

  const runCell = async (cell: SweepCell, token: number) => {
    set((state) => ({ running: [...state.running, cell.id] }));
    let worker: PooledWorker | null;
    try {
      worker = await pool.acquire();
    } catch (error) {
      notify('error', `A sweep worker could not start: ${errorText(error)}`);
      leave(cell.id);
      return;
    }
    if (!worker) return;
    if (token !== generation) return pool.release(worker);
    let end: (status: EndStatus) => void = () => undefined;
    const ended = new Promise<EndStatus>((resolve) => (end = resolve));
    const run: CellRun = {
      cell,
      worker,
      history: historyFrom([], [], cell.config.training.grokThreshold),
      ready: false,
      broken: false,
      startedAt: context.now(),
      end,
    };
    runs.set(cell.id, run);
    let keptAt = 0;
    worker.listeners = {
      batch(batch) {
        if (token !== generation) return;
        run.history = advanceHistory(run.history, batch, cell.config.training.grokThreshold);
        const last = batch.records.at(-1);
        if (last) {
          set((state) => ({
            progress: { ...state.progress, [cell.id]: { step: last.step, testAccuracy: last.testAccuracy } },
          }));
        }
        if (ENDED.includes(batch.status)) run.end(batch.status as EndStatus);
      },
      // A worker that dies is replaced by its supervisor: the new one's first batch rewinds the run to where it
      // resumed. One that could not be replaced ends the cell, and leaves the pool.
      recovery(report) {
        if (report.ok) return;
        run.broken = true;
        run.end('error');
      },
      snapshot(snapshot) {
        if (!persistence || token !== generation || context.now() - keptAt < PARTIAL_EVERY_MS) return;
        keptAt = context.now();
        void persistence.savePartial(cell.id, snapshot).catch(() => undefined);
      },
    };
    try {
      const result = await build(run, await keptWeights(cell));
      if (token !== generation) return;
      if (!result.ok) {
        notify(
          'error',
          `Sweep cell ${name(cell)}: the worker rejected its config: ${result.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
        );
        run.end('error');
      } else {
        // Every later cell trains on the backend the first one measured as fastest.
        if (get().backend === 'auto') set({ backend: result.backend.backend });
        run.ready = true;
        run.startedAt = context.now();
        if (get().status === 'running') await worker.driver.client.start();
      }
    } catch (error) {
      if (token !== generation) return;
      notify('error', `Sweep cell ${name(cell)}: ${errorText(error)}`);
      run.end('error');
    }
    const status = await ended;
    if (token === generation) await finish(run, status, token);
  };

  /** Starts queued cells while there are free slots and the sweep runs. */
  const pump = () => {
    const { sweep, status, outcomes, running, concurrency } = get();
    if (!sweep || status !== 'running') return;
    const token = generation;
    const next = cellsToStart(sweep.cells, new Set(outcomes.keys()), new Set(running), concurrency);
    for (const id of next)
      void runCell(
        sweep.cells.find((cell) => cell.id === id)!,
        token,
      );
  };

  /** The cells whose runs are built, for pause and resume. */
  const ready = () => [...runs.values()].filter((run) => run.ready).map((run) => run.worker.driver.client);

  return {
    pump,

    /** Ends every run and worker; finished cells stay. */
    stopAll() {
      generation++;
      runs.clear();
      pool.close();
      set({ running: [], progress: {} });
    },

    async pauseAll() {
      await Promise.all(ready().map((client) => client.pause().catch(() => undefined)));
    },

    async startAll() {
      await Promise.all(ready().map((client) => client.start().catch(() => undefined)));
    },
  };
}
