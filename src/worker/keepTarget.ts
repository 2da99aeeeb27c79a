/**
 * Where a worker keeps its own run in the page's run store (TrainingApi.keepIn): the shape, checked with zod at the
 * worker's edge. Its own file so the protocol can name it without importing the store that writes it.
 */
import { z } from 'zod';

export const keepTargetSchema = z
  .object({
    runId: z.string().min(1, { error: 'must be non-empty text' }),
    /** The record's id for a single run or a race's first lane; laneSnapshotKey(runId, i) for lane i ≥ 1. */
    key: z.string().min(1, { error: 'must be non-empty text' }),
    /** The tab that trains it (the record's savedBy while that tab owns it). */
    tab: z.string().min(1, { error: 'must be non-empty text' }),
  })
  .nullable();

/** The record a worker keeps its run in, its key in the snapshots store, and the page's tab. */
export type KeepTarget = NonNullable<z.infer<typeof keepTargetSchema>>;
