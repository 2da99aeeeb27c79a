import { appendAll } from '../engine/arrays';
import type { BackendName, ConfigEvent, MetricBatch, MetricRecord, RunStatus } from './protocol';
import type { Clock } from './clock';

export interface Progress {
  status: RunStatus;
  step: number;
  stepsPerSecond: number;
  backend: BackendName;
}

export type SendBatch = (batch: MetricBatch, transfer: ArrayBuffer[]) => void;

/**
 * Coalesces what the run produces (records, events, the latest predictions and embedding, notices) into
 * MetricBatches sent at most once per `intervalMs`. Only the newest predictions/embedding are kept: the page
 * draws the current state, not every intermediate one. Nothing is sent while nothing changed.
 */
export class MetricBatcher {
  private records: MetricRecord[] = [];
  private events: ConfigEvent[] = [];
  private messages: string[] = [];
  private predictions: Int32Array | null = null;
  private embedding: MetricBatch['embedding'] = null;
  private rewoundTo: number | null = null;
  private progress: Progress | null = null;
  private dirty = false;
  private lastSent = Number.NEGATIVE_INFINITY;
  private cancelTimer: (() => void) | null = null;
  private sender: SendBatch | null = null;

  constructor(
    private readonly clock: Pick<Clock, 'now' | 'setTimer'>,
    private readonly intervalMs = 100,
  ) {}

  /** Sets (or replaces) the receiver and sends what is pending right away, so a late subscriber is in sync. */
  connect(sender: SendBatch | null): void {
    this.sender = sender;
    if (sender && this.progress) {
      this.dirty = true;
      this.flush();
    }
  }

  setProgress(progress: Progress): void {
    const previous = this.progress;
    this.progress = progress;
    if (
      !previous ||
      previous.status !== progress.status ||
      previous.step !== progress.step ||
      previous.backend !== progress.backend ||
      previous.stepsPerSecond !== progress.stepsPerSecond
    ) {
      this.touch();
    }
  }

  addRecord(record: MetricRecord): void {
    this.records.push(record);
    this.touch();
  }

  addEvents(events: readonly ConfigEvent[]): void {
    if (events.length === 0) return;
    appendAll(this.events, events);
    this.touch();
  }

  addMessage(message: string): void {
    this.messages.push(message);
    this.touch();
  }

  /** Takes ownership: the buffer is transferred to the page (pass a copy, never a view of backend memory). */
  setPredictions(predictions: Int32Array): void {
    this.predictions = predictions;
    this.touch();
  }

  /** Takes ownership, like setPredictions. */
  setEmbedding(values: Float32Array, shape: [number, number]): void {
    this.embedding = { values, shape };
    this.touch();
  }

  /** The run went back to `step` (fault recovery): pending records/events after it are void. */
  rewind(step: number): void {
    this.rewoundTo = this.rewoundTo === null ? step : Math.min(this.rewoundTo, step);
    this.records = this.records.filter((record) => record.step <= step);
    this.events = this.events.filter((event) => event.step <= step);
    this.touch();
  }

  /** Drops everything pending (a new run replaces the old one; the page starts over when init resolves). */
  discard(): void {
    this.clearPending();
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private clearPending(): void {
    this.records = [];
    this.events = [];
    this.messages = [];
    this.predictions = null;
    this.embedding = null;
    this.rewoundTo = null;
    this.dirty = false;
  }

  private touch(): void {
    this.dirty = true;
    if (this.cancelTimer || !this.sender) return;
    // Always deferred (at least to the next macrotask), so changes made together leave in one batch.
    const wait = Math.max(0, this.lastSent + this.intervalMs - this.clock.now());
    this.cancelTimer = this.clock.setTimer(() => {
      this.cancelTimer = null;
      this.flush();
    }, wait);
  }

  /** Sends now if anything changed, regardless of the interval (used by connect and by tests). */
  flush(): void {
    if (!this.dirty || !this.sender || !this.progress) return;
    this.cancelTimer?.();
    this.cancelTimer = null;
    const batch: MetricBatch = {
      ...this.progress,
      records: this.records,
      events: this.events,
      predictions: this.predictions,
      embedding: this.embedding,
      message: this.messages.length > 0 ? this.messages.join('\n') : null,
      rewoundTo: this.rewoundTo,
    };
    const transfer: ArrayBuffer[] = [];
    if (this.predictions) transfer.push(this.predictions.buffer as ArrayBuffer);
    if (this.embedding) transfer.push(this.embedding.values.buffer as ArrayBuffer);
    this.clearPending();
    this.lastSent = this.clock.now();
    this.sender(batch, transfer);
  }
}
