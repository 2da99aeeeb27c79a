import type { BackendName } from '../../engine/backend';
import type { Config } from '../../engine/config';
import type { TrainerState } from '../../engine/snapshot';
import { BACKEND_LABELS, BACKEND_ORDER, chooseBackend, type TimingLimits } from '../../engine/backendChoice';
import type { Clock } from '../clock';
import type { BackendChoice, BackendReport, ConfigEvent } from '../protocol';
import { reasonOf, type SessionDependencies, type SessionTrainer } from './types';

/** Backends are timed again when something that changes the cost of a step changes. */
function probeKey(config: Config): string {
  return JSON.stringify([config.task, config.model, config.optimizer.batchSize]);
}

/** The run a failed backend leaves behind, as fail-over needs it. */
export interface FailedRun {
  step: number;
  config: Config;
  /** Config changes made after `snapshot`: carried over, re-stamped at the step the run resumes from. */
  carried: ConfigEvent[];
  snapshot: TrainerState | null;
  reason: string;
}

export type FailOver =
  | { ok: true; trainer: SessionTrainer; restamped: ConfigEvent[]; note: string }
  | { ok: false; message: string };

/**
 * Which backend runs the trainer: chosen for a new run (timed when `auto` and the cost of a step may have
 * changed, else reactivated), and replaced mid-run when it faults: the next one in BACKEND_ORDER that starts
 * takes over from the last snapshot.
 */
export class BackendSelection {
  /** The report of the backend in use; null before a run, or when choosing failed. */
  report: BackendReport | null = null;
  /** What was asked for last. */
  choice: BackendChoice = 'auto';
  private timedFor: string | null = null;
  private readonly failed = new Set<BackendName>();
  private pendingFault: { backend: BackendName; reason: string } | null = null;

  constructor(
    private readonly deps: Pick<SessionDependencies, 'host' | 'createTrainer'>,
    private readonly clock: Clock,
    private readonly probe: TimingLimits,
  ) {}

  /** A fault noticed outside a chunk (WebGPU device lost) on the backend in use: the next chunk fails over. */
  reportFault(backend: BackendName, reason: string): void {
    if (backend === this.report?.backend) this.pendingFault = { backend, reason };
  }

  /** Throws the pending fault, so the chunk that sees it fails over. */
  throwPendingFault(): void {
    const fault = this.pendingFault;
    if (fault) throw new Error(`${BACKEND_LABELS[fault.backend]}: ${fault.reason}`);
  }

  /** For a new run: picks (or reactivates) the backend and builds the trainer there. Throws when it cannot. */
  async trainerFor(config: Config, choice: BackendChoice): Promise<SessionTrainer> {
    this.pendingFault = null;
    this.failed.clear();
    try {
      const key = probeKey(config);
      if (!this.report || choice !== this.choice || key !== this.timedFor) {
        this.report = await chooseBackend({
          choice,
          host: this.deps.host,
          createProbe: () => this.deps.createTrainer(config),
          clock: this.clock,
          limits: this.probe,
        });
        this.choice = choice;
        this.timedFor = key;
      } else {
        await this.deps.host.activate(this.report.backend);
      }
      return this.deps.createTrainer(config);
    } catch (error) {
      this.report = null;
      throw error;
    }
  }

  /**
   * The backend in use threw mid-run (lost device, shader compile error, out of memory, missing kernel): marks it
   * failed, frees the failed trainer (`disposeFailed`) before the host forgets the backend, and rebuilds the
   * trainer on the next backend that starts, from the run's last snapshot, with the run's current config.
   */
  async failOver(run: FailedRun, disposeFailed: () => void): Promise<FailOver> {
    const report = this.report!;
    const from = report.backend;
    this.pendingFault = null;
    this.failed.add(from);
    disposeFailed();
    this.deps.host.discard?.(from);
    const skipped = [
      ...report.skipped,
      { backend: from, reason: `failed at step ${run.step}: ${run.reason}` },
    ];
    for (const next of BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(from) + 1)) {
      if (this.failed.has(next)) continue;
      let trainer: SessionTrainer | null = null;
      try {
        await this.deps.host.activate(next);
        trainer = this.deps.createTrainer(run.config);
        if (run.snapshot) trainer.setState(run.snapshot);
      } catch (nextError) {
        try {
          trainer?.dispose();
        } catch {
          // Freeing a half-built trainer on a broken backend: nothing more to do.
        }
        this.failed.add(next);
        skipped.push({ backend: next, reason: `could not take over: ${reasonOf(nextError)}` });
        continue;
      }
      const resumed = trainer.step;
      const restamped = run.carried.map((event) => ({ ...event, step: resumed }));
      trainer.events.push(...restamped);
      const note = `${BACKEND_LABELS[from]} failed at step ${run.step} (${run.reason}); continuing on ${BACKEND_LABELS[next]} from step ${resumed}.`;
      this.report = { ...report, backend: next, skipped, summary: note };
      return { ok: true, trainer, restamped, note };
    }
    this.report = { ...report, skipped };
    return {
      ok: false,
      message:
        `Training stopped at step ${run.step}: ${BACKEND_LABELS[from]} failed (${run.reason}) and no other backend could take over. ` +
        'snapshot() still returns the last good state.',
    };
  }
}
