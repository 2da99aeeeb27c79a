/**
 * How often the charts may redraw: often enough to look live (≥ 5 times a second on a typical laptop), never so
 * often that drawing takes more than about a quarter of the main thread on a slow or busy machine.
 */
export class DrawBudget {
  private average: number | null = null;

  constructor(
    readonly minIntervalMs = 200,
    readonly maxIntervalMs = 2000,
    /** Drawing may use 1/share of the time. */
    readonly share = 4,
  ) {}

  /** Records how long one redraw took (ms). */
  note(durationMs: number): void {
    if (!Number.isFinite(durationMs) || durationMs < 0) return;
    this.average = this.average === null ? durationMs : 0.7 * this.average + 0.3 * durationMs;
  }

  /** The pause to keep between two redraws (ms). */
  interval(): number {
    const wanted = this.average === null ? this.minIntervalMs : this.average * this.share;
    return Math.min(this.maxIntervalMs, Math.max(this.minIntervalMs, wanted));
  }
}
