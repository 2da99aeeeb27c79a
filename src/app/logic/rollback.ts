import type { ConfigIssue, MetricRecord, RollbackResult, RunStatus } from '../../worker/protocol';
import { addEvents, rewindEvents, type EventLog } from './events';

/** The button that answers a divergence, in the lab's notices and on a race lane. */
export const ROLLBACK_LABEL = 'Roll back, halve the learning rate';

/** A successful rollback as the worker reports it. */
export type RolledBack = Extract<RollbackResult, { ok: true }>;

/** What the page keeps of a run that a rollback rewinds. */
export interface RewindableRun {
  history: readonly MetricRecord[];
  eventLog: EventLog;
}

/**
 * A run's state after the worker rolled it back: at the rollback point, paused, its config with the lowered
 * learning rate, the history and events after that point dropped and the learning-rate change added. Shared by
 * the single run and each race lane.
 */
export function rolledBack(
  run: RewindableRun,
  result: RolledBack,
): {
  config: RolledBack['config'];
  step: number;
  status: RunStatus;
  history: MetricRecord[];
  eventLog: EventLog;
} {
  return {
    config: result.config,
    step: result.step,
    status: 'paused',
    history: run.history.filter((record) => record.step <= result.step),
    eventLog: addEvents(rewindEvents(run.eventLog, result.step), result.events, 'update'),
  };
}

/** "Cannot roll back: no rollback point at or before step 40 (kept: none)". */
export function rollbackFailure(issues: readonly ConfigIssue[]): string {
  return `Cannot roll back: ${issues.map((issue) => issue.message).join('; ')}`;
}
