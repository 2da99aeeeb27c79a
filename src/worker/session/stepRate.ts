/** stepsPerSecond is measured over about this window. */
export const RATE_WINDOW_MS = 2000;

/** Steps per second over the last ~RATE_WINDOW_MS, from (time, step) samples taken after each chunk. */
export class StepRate {
  private samples: { time: number; step: number }[] = [];

  /** Measuring starts again at `step` (a launch, a resume on another backend). */
  restart(time: number, step: number): void {
    this.samples = [{ time, step }];
  }

  sample(time: number, step: number): void {
    this.samples.push({ time, step });
    while (this.samples.length > 2 && time - this.samples[1].time >= RATE_WINDOW_MS) this.samples.shift();
  }

  perSecond(): number {
    if (this.samples.length < 2) return 0;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = (last.time - first.time) / 1000;
    return seconds > 0 ? (last.step - first.step) / seconds : 0;
  }
}
