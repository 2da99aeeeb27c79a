/**
 * The gradient exchange of a data-parallel run: every worker writes its gradient (a flat Float32Array) and its
 * row count into a SharedArrayBuffer, waits at a barrier (Atomics.wait / notify) until all have written, and reads
 * the row-weighted mean of all of them. No tfjs, no messages: works between Node worker_threads and between the
 * workers of a cross-origin isolated page (Atomics.wait is allowed in workers, not on a page's main thread).
 *
 * Every worker sums the parts in worker order with the same arithmetic, so all get bit-identical means, apply
 * identical updates and keep identical weights without ever sending weights.
 *
 * Layout (one buffer, made by the leader and handed to the others): an Int32 control block, the leader's header
 * (a few Float64 step inputs, see `share`), then two sets (alternating by round) of per-worker weights (Float64)
 * and per-worker gradients (Float32). Two sets need one barrier per all-reduce: a worker can write round t + 1's
 * set while a slower one still reads round t's, and cannot reach t + 2 (which reuses t's set) before every worker
 * has arrived at t + 1, i.e. finished reading t. The header is rewritten only after the next all-reduce's barrier,
 * which no worker passes before it has read the header.
 */

/** Int32 slots of the control block. */
const GENERATION = 0;
const ARRIVED = 1;
const STOPPED = 2;
const CONTROL_INTS = 4; // 16 bytes: keeps the Float64 block aligned
/** Float64s the leader can share per step (`share`). */
export const HEADER_FLOATS = 4;

export interface ExchangeLayout {
  /** Workers taking part. */
  workers: number;
  /** Floats per gradient (all parameters, flattened in one agreed order). */
  size: number;
}

/** Thrown when the run was stopped (by any worker) while this one waited or was about to. */
export class ExchangeStopped extends Error {
  constructor() {
    super('the data-parallel run was stopped');
    this.name = 'ExchangeStopped';
  }
}

function offsets({ workers, size }: ExchangeLayout) {
  const header = CONTROL_INTS * 4;
  const weights = header + HEADER_FLOATS * 8;
  const gradients = weights + 2 * workers * 8;
  return { header, weights, gradients, bytes: gradients + 2 * workers * size * 4 };
}

/** A zeroed buffer for `layout` (every worker then opens it with its own index). */
export function createExchangeBuffer(layout: ExchangeLayout): SharedArrayBuffer {
  if (!Number.isInteger(layout.workers) || layout.workers < 1)
    throw new Error(`an exchange needs ≥ 1 worker, got ${layout.workers}`);
  if (!Number.isInteger(layout.size) || layout.size < 0)
    throw new Error(`gradient size must be a whole number, got ${layout.size}`);
  return new SharedArrayBuffer(offsets(layout).bytes);
}

export interface ExchangeOptions {
  /**
   * How long a worker waits for the others at one barrier before it gives up (throws), ms. The leader evaluates
   * between steps while the others wait, so this must exceed the longest evaluation. Default: no limit.
   */
  timeoutMs?: number;
}

export class GradientExchange {
  private readonly control: Int32Array;
  private readonly header: Float64Array;
  private readonly weights: Float64Array[];
  /** [set][worker]: a view of that worker's gradient in that set. */
  private readonly slots: Float32Array[][];
  private round = 0;

  constructor(
    buffer: SharedArrayBuffer,
    readonly layout: ExchangeLayout,
    readonly index: number,
    private readonly options: ExchangeOptions = {},
  ) {
    const { workers, size } = layout;
    const at = offsets(layout);
    if (buffer.byteLength !== at.bytes)
      throw new Error(
        `exchange buffer has ${buffer.byteLength} bytes; ${workers} × ${size} floats need ${at.bytes}`,
      );
    if (!Number.isInteger(index) || index < 0 || index >= workers)
      throw new Error(`worker index ${index} is outside 0…${workers - 1}`);
    this.control = new Int32Array(buffer, 0, CONTROL_INTS);
    this.header = new Float64Array(buffer, at.header, HEADER_FLOATS);
    this.weights = [0, 1].map((set) => new Float64Array(buffer, at.weights + set * workers * 8, workers));
    this.slots = [0, 1].map((set) =>
      Array.from(
        { length: workers },
        (_, worker) => new Float32Array(buffer, at.gradients + (set * workers + worker) * size * 4, size),
      ),
    );
  }

  get stopped(): boolean {
    return Atomics.load(this.control, STOPPED) !== 0;
  }

  /**
   * Contributes `values` (this worker's gradient, a mean over its `weight` rows) and returns Σ weightᵢ·valuesᵢ /
   * Σ weightᵢ over all workers, summed in worker order, written into `out`. Blocks until every worker has
   * contributed; throws ExchangeStopped if the run is stopped meanwhile.
   */
  allReduce(values: Float32Array, weight: number, out = new Float32Array(this.layout.size)): Float32Array {
    const { size, workers } = this.layout;
    if (values.length !== size || out.length !== size)
      throw new Error(`exchange carries ${size} floats; got ${values.length} in, ${out.length} out`);
    if (!(weight > 0)) throw new Error(`a worker's weight (its rows) must be > 0, got ${weight}`);
    if (this.stopped) throw new ExchangeStopped();
    const set = this.round++ & 1;
    this.slots[set][this.index].set(values);
    this.weights[set][this.index] = weight;
    this.arrive();
    const weights = this.weights[set];
    let total = 0;
    for (let worker = 0; worker < workers; worker++) total += weights[worker];
    const slots = this.slots[set];
    for (let i = 0; i < size; i++) {
      let sum = 0;
      for (let worker = 0; worker < workers; worker++) sum += weights[worker] * slots[worker][i];
      out[i] = sum / total;
    }
    return out;
  }

  /**
   * The leader's `values` (up to HEADER_FLOATS numbers; NaN stands for "none"), given to every worker: the leader
   * passes its own, the others pass anything of the same length. Blocks until every worker has called it.
   */
  share(values: readonly number[]): number[] {
    if (values.length > HEADER_FLOATS)
      throw new Error(`the leader can share ${HEADER_FLOATS} numbers per step, not ${values.length}`);
    if (this.stopped) throw new ExchangeStopped();
    if (this.index === 0) this.header.set(values);
    this.arrive();
    return Array.from(this.header.subarray(0, values.length));
  }

  /** Ends the run for every worker: those waiting wake with ExchangeStopped, later calls throw it. */
  stop(): void {
    Atomics.store(this.control, STOPPED, 1);
    Atomics.notify(this.control, GENERATION);
  }

  /** A reusable barrier: the last worker to arrive resets the count and opens the next generation. */
  private arrive(): void {
    const { control } = this;
    const generation = Atomics.load(control, GENERATION);
    if (Atomics.add(control, ARRIVED, 1) === this.layout.workers - 1) {
      Atomics.store(control, ARRIVED, 0);
      Atomics.add(control, GENERATION, 1);
      Atomics.notify(control, GENERATION);
      return;
    }
    const limit = this.options.timeoutMs ?? Number.POSITIVE_INFINITY;
    const deadline = performance.now() + limit;
    while (Atomics.load(control, GENERATION) === generation) {
      if (this.stopped) throw new ExchangeStopped();
      const left = deadline - performance.now();
      if (left <= 0) {
        this.stop(); // the others would wait for this worker forever
        throw new Error(
          `data-parallel worker ${this.index}: the other workers did not arrive within ${limit} ms`,
        );
      }
      Atomics.wait(control, GENERATION, generation, Math.min(left, 1_000));
    }
  }
}
