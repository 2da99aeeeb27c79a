/**
 * What the top bar says about the lanes on screen: one lane, its own step and status; several, the race's. Pure
 * functions of the lanes, so the readouts, the keyboard and the autosave agree on what "running" means.
 */
import type { RunStatus } from '../../worker/protocol';
import { laneFinish } from './race';
import type { Lane, LanePhase } from './lane';

/** Statuses after which a lane does not go on by itself. */
export const STOPPED: readonly RunStatus[] = ['finished', 'diverged', 'error'];

export interface ExperimentSummary {
  /** The experiment's connection: starting while any lane starts, failed when every lane failed. */
  phase: LanePhase;
  status: RunStatus;
  busy: boolean;
  /** The furthest lane's step (one lane: its step). */
  step: number;
  /** Steps per second summed over the lanes that train. */
  stepsPerSecond: number;
  /** Every lane has stopped for good (grokked + stopAfterGrok, budget, divergence, error, released). */
  over: boolean;
}

/** Whether the lane has stopped for good (it will not train again without a reset or rollback). */
export function laneDone(lane: Lane): boolean {
  return lane.phase === 'closed' || lane.phase === 'failed' || laneFinish(lane).done;
}

export function summarize(lanes: readonly Lane[]): ExperimentSummary {
  const phases = lanes.map((lane) => lane.phase);
  const phase: LanePhase =
    lanes.length === 0
      ? 'disconnected'
      : phases.some((p) => p === 'starting' || p === 'disconnected')
        ? 'starting'
        : phases.every((p) => p === 'failed')
          ? 'failed'
          : phases.some((p) => p === 'ready')
            ? 'ready'
            : (phases[0] ?? 'disconnected');
  const statuses = lanes.map((lane) => lane.status);
  const status: RunStatus =
    lanes.length === 1
      ? statuses[0]
      : statuses.includes('running')
        ? 'running'
        : statuses.includes('paused')
          ? 'paused'
          : statuses.every((s) => s === 'idle')
            ? 'idle'
            : statuses.includes('diverged')
              ? 'diverged'
              : statuses.includes('error') && statuses.every((s) => STOPPED.includes(s))
                ? 'error'
                : lanes.every(laneDone)
                  ? 'finished'
                  : 'paused';
  return {
    phase,
    status,
    busy: lanes.some((lane) => lane.busy),
    step: Math.max(0, ...lanes.map((lane) => lane.step)),
    stepsPerSecond: lanes.reduce(
      (sum, lane) => sum + (lane.status === 'running' ? lane.stepsPerSecond : 0),
      0,
    ),
    over: lanes.length > 0 && lanes.every(laneDone),
  };
}
