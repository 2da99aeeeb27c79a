import type { ExpandedSweep } from './cells';
import type { CellOutcome } from './cellResult';

/**
 * One line per cell of the sweep: where it sits, what it gave and what it cost (small enough to commit). The CLI's
 * cells.json and the lab's JSON export are both this list, so the two maps compare cell by cell.
 */
export function cellSummaries(sweep: ExpandedSweep, outcomes: ReadonlyMap<string, CellOutcome>) {
  return sweep.cells.map((cell) => {
    const outcome = outcomes.get(cell.id) ?? null;
    return {
      id: cell.id,
      [sweep.spec.x.key]: cell.xValue,
      [sweep.spec.y.key]: cell.yValue,
      seed: cell.seed,
      ...(outcome === null
        ? { status: 'pending' }
        : {
            status: outcome.stoppedBecause,
            stepsToGrok: outcome.stepsToGrok,
            finalStep: outcome.finalStep,
            finalTestAccuracy: Number(outcome.finalTestAccuracy.toPrecision(4)),
            wallMs: Math.round(outcome.wallMs),
            cpuMs: outcome.cpuMs === null ? null : Math.round(outcome.cpuMs),
            msPerStep: Number(outcome.msPerStep.toPrecision(4)),
          }),
    };
  });
}
