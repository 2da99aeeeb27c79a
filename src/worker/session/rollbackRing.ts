import { validateConfig, type Config, type DeepPartial } from '../../engine/config';
import type { TrainerState } from '../../engine/snapshot';
import type { ConfigEvent, ConfigIssue } from '../protocol';
import { reasonOf, type SessionOptions, type SessionTrainer } from './types';

export type RingLimits = Pick<
  SessionOptions,
  'rollbackIntervalMs' | 'rollbackEveryEvaluations' | 'rollbackPoints' | 'rollbackMaxBytes'
>;

/** Bytes of a state's weights and optimizer moments (what a rollback point costs). */
export function stateBytes(state: TrainerState): number {
  const arrays = [
    ...Object.values(state.parameters),
    ...Object.values(state.optimizer.firstMoments),
    ...Object.values(state.optimizer.secondMoments),
  ];
  return arrays.reduce((sum, array) => sum + array.byteLength, 0);
}

/**
 * Recent good states (finite loss and weights at an evaluation), oldest first: the points rollback() can go back
 * to. One is kept at the first evaluation, then every `rollbackEveryEvaluations` evaluations or
 * `rollbackIntervalMs`, whichever comes first, within a count and a byte budget.
 */
export class RollbackRing {
  private points: TrainerState[] = [];
  private evaluationsSince = 0;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly limits: RingLimits) {}

  /** Steps of the kept points, oldest first. */
  steps(): number[] {
    return this.points.map((state) => state.step);
  }

  latest(): TrainerState | undefined {
    return this.points.at(-1);
  }

  /** The latest point at or before `step`. */
  atOrBefore(step: number): TrainerState | undefined {
    return [...this.points].reverse().find((state) => state.step <= step);
  }

  /** A new run: no points. */
  clear(): void {
    this.points = [];
    this.evaluationsSince = 0;
    this.lastAt = Number.NEGATIVE_INFINITY;
  }

  /** Counts a good evaluation at `step`; true when a point should be kept there now. */
  countEvaluation(step: number, now: number): boolean {
    this.evaluationsSince++;
    const due =
      this.points.length === 0 ||
      this.evaluationsSince >= this.limits.rollbackEveryEvaluations ||
      now - this.lastAt >= this.limits.rollbackIntervalMs;
    return due && this.latest()?.step !== step;
  }

  /** Keeps `state`; over budget, drops the second-oldest, so the earliest point (usually step 0) stays. */
  keep(state: TrainerState, now: number): void {
    this.points.push(state);
    this.evaluationsSince = 0;
    this.lastAt = now;
    while (
      this.points.length > 1 &&
      (this.points.length > this.limits.rollbackPoints ||
        this.points.reduce((sum, point) => sum + stateBytes(point), 0) > this.limits.rollbackMaxBytes)
    ) {
      this.points.splice(this.points.length > 2 ? 1 : 0, 1);
    }
  }

  /** The run went back to `step`: later points are void, and the count starts again. */
  rewindTo(step: number, now: number): void {
    this.points = this.points.filter((state) => state.step <= step);
    this.evaluationsSince = 0;
    this.lastAt = now;
  }
}

/**
 * Puts `trainer` back to rollback point `point`: the live config as it was (its events are then replaced by the
 * point's own), the state, then the learning rate × `factor`, recorded as a ConfigEvent at that step.
 */
export function rewindTrainer(
  trainer: SessionTrainer,
  point: TrainerState,
  factor: number,
): { ok: true; from: number; lr: number; events: ConfigEvent[] } | { ok: false; issues: ConfigIssue[] } {
  const from = point.config.optimizer.lr;
  const lr = from * factor;
  const check = validateConfig({ ...point.config, optimizer: { ...point.config.optimizer, lr } });
  if (!check.ok)
    return { ok: false, issues: check.issues.map((i) => ({ ...i, path: i.path || 'lrFactor' })) };
  const { optimizer, regularizers, training } = point.config;
  try {
    const back = trainer.update({ optimizer, regularizers, training } as DeepPartial<Config>);
    if (!back.ok) return back;
    trainer.setState(point);
  } catch (error) {
    return { ok: false, issues: [{ path: 'snapshot', message: reasonOf(error) }] };
  }
  const changed = trainer.update({ optimizer: { lr } });
  if (!changed.ok) return changed;
  return { ok: true, from, lr, events: changed.events };
}
