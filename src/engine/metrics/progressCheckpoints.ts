/**
 * The logits a run's evaluations saw, kept for the after-the-run analysis (nandaProgress.ts needs the final model's
 * key frequencies, so it can only be computed once the run stops). Bounded: past `maxBytes`, every other kept
 * checkpoint is dropped (the first and the latest stay), so a long run keeps an evenly thinned curve.
 */
import { nandaAnalysis, type NandaAnalysis } from './nandaProgress';
import type { ProgressTable } from './progressMeasures';

/** 24 MiB: 200 checkpoints of p = 31 (119 KiB each), 6 of p = 97 thinned to every other as the run grows. */
export const CHECKPOINT_BYTES = 24 * 2 ** 20;

export interface LogitCheckpoint {
  step: number;
  logits: Float32Array;
}

export class ProgressCheckpoints {
  private kept: LogitCheckpoint[] = [];

  constructor(private readonly maxBytes = CHECKPOINT_BYTES) {}

  get all(): readonly LogitCheckpoint[] {
    return this.kept;
  }

  get steps(): number[] {
    return this.kept.map((checkpoint) => checkpoint.step);
  }

  get bytes(): number {
    return this.kept.reduce((sum, checkpoint) => sum + checkpoint.logits.byteLength, 0);
  }

  /**
   * Keeps an evaluation's logits (a later evaluation at the same or an earlier step replaces the tail). The array is
   * kept as it is, not copied: each evaluation reads a fresh one from the backend and nothing writes to it after.
   */
  add(step: number, logits: Float32Array): void {
    this.truncateAfter(step - 1);
    this.kept.push({ step, logits });
    while (this.bytes > this.maxBytes && this.kept.length > 2) {
      const latest = this.kept.at(-1)!;
      this.kept = [...this.kept.slice(0, -1).filter((_, i) => i % 2 === 0), latest];
    }
  }

  /** After a rollback: what came after `step` never happened. */
  truncateAfter(step: number): void {
    this.kept = this.kept.filter((checkpoint) => checkpoint.step <= step);
  }

  clear(): void {
    this.kept = [];
  }

  /** Nanda et al.'s restricted/excluded loss at every kept checkpoint, with the latest one's key frequencies. */
  analyse(pairs: Omit<ProgressTable, 'logits'>): NandaAnalysis | null {
    return this.kept.length > 0 ? nandaAnalysis(this.kept, pairs) : null;
  }
}
