import type { RunStatus } from '../../worker/protocol';
import { STOPPED } from './summary';

/**
 * Which lanes of a reopened (or imported) experiment get a worker: at most one per core, like a new race. A race
 * file may hold any number of lanes (50 lanes started 450 workers, thread pools included, on a 2-core machine and
 * the page stopped answering); the lanes beyond the cores wait, shown as they were saved with their weights kept
 * in the experiment, and the next reopen resumes the next ones.
 */

interface SavedLaneState {
  name: string;
  status: RunStatus;
  snapshot: unknown;
}

/** Lanes that resume now (in order, at most `limit`) and lanes that wait for a core. */
export function lanesToResume(
  lanes: readonly SavedLaneState[],
  limit: number,
): { resume: number[]; wait: number[] } {
  const resume: number[] = [];
  const wait: number[] = [];
  lanes.forEach((lane, index) => {
    // A race lane that had finished is shown as it ended; a diverged one resumes (its user may roll it back).
    const finished = lanes.length > 1 && STOPPED.includes(lane.status) && lane.status !== 'diverged';
    if (!lane.snapshot || finished) return;
    (resume.length < limit ? resume : wait).push(index);
  });
  return { resume, wait };
}

function names(lanes: readonly SavedLaneState[], indices: readonly number[]): string {
  const listed = indices.slice(0, 6).map((index) => lanes[index].name);
  return indices.length > 6 ? `${listed.join(', ')} and ${indices.length - 6} more` : listed.join(', ');
}

/** What the page says when lanes wait: how many, which, and how they get their turn. */
export function waitingLanesNotice(
  lanes: readonly SavedLaneState[],
  resume: readonly number[],
  wait: readonly number[],
): string {
  return (
    `This race has ${resume.length + wait.length} lanes to resume and this machine trains ${resume.length} at once ` +
    `(one per core): ${names(lanes, resume)} resume now; ${names(lanes, wait)} wait, shown as saved with their ` +
    `weights kept. When these finish, open the race again from your runs to train the next ${resume.length}.`
  );
}
