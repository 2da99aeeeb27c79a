/**
 * Which code makes the main thread's long tasks: from a V8 CPU profile (CDP `Profiler.stop`), the spans of
 * consecutive busy samples longer than a threshold (a long task, as the profile sees it), and the functions that
 * were on the stack for most of those spans' time (inclusive) or at its top (self). Pure: profile in, tables out.
 */

/** The parts of a CDP `Profiler.Profile` this reads. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  /** µs between consecutive samples (the first: since startTime). */
  timeDeltas?: number[];
}

export interface BusySpan {
  startMs: number;
  durationMs: number;
  /** Indices into the profile's samples. */
  samples: number[];
}

export interface FunctionTime {
  /** "name (file:line)". */
  name: string;
  ms: number;
}

/** Samples that mean "the thread did no JavaScript work of its own". */
const IDLE = new Set(['(idle)', '(program)', '(garbage collector)']);

/** "name (file:line)" of a call frame, the file reduced to its last path segment. */
export function frameName(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const file = frame.url.split('/').pop()?.split('?')[0] ?? '';
  const name = frame.functionName || '(anonymous)';
  return file ? `${name} (${file}:${frame.lineNumber + 1})` : name;
}

/**
 * Spans of consecutive busy samples (anything but idle/program) lasting at least `minMs`. Garbage collection
 * inside a span counts as busy: it belongs to the task that allocated.
 */
export function busySpans(profile: CpuProfile, minMs = 50): BusySpan[] {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const spans: BusySpan[] = [];
  let time = profile.startTime;
  let current: { start: number; end: number; samples: number[] } | null = null;
  const close = () => {
    if (current && (current.end - current.start) / 1000 >= minMs)
      spans.push({
        startMs: (current.start - profile.startTime) / 1000,
        durationMs: (current.end - current.start) / 1000,
        samples: current.samples,
      });
    current = null;
  };
  for (let i = 0; i < samples.length; i++) {
    time += deltas[i] ?? 0;
    const name = byId.get(samples[i])?.callFrame.functionName ?? '(idle)';
    const busy = !IDLE.has(name) || (name === '(garbage collector)' && current !== null);
    if (!busy) {
      close();
      continue;
    }
    const next = time + (deltas[i + 1] ?? 0);
    if (current) {
      current.end = next;
      current.samples.push(i);
    } else current = { start: time, end: next, samples: [i] };
  }
  close();
  return spans;
}

/** Inclusive and self time of each function over the given samples, the largest first (top `limit`). */
export function attribute(
  profile: CpuProfile,
  spans: readonly BusySpan[],
  limit = 25,
): { inclusive: FunctionTime[]; self: FunctionTime[] } {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const inclusive = new Map<string, number>();
  const self = new Map<string, number>();
  for (const span of spans) {
    for (const index of span.samples) {
      const ms = (deltas[index + 1] ?? deltas[index] ?? 0) / 1000;
      const top = byId.get(samples[index]);
      if (!top) continue;
      const topName = frameName(top.callFrame);
      self.set(topName, (self.get(topName) ?? 0) + ms);
      const seen = new Set<string>();
      for (let id: number | undefined = top.id; id !== undefined; id = parent.get(id)) {
        const name = frameName(byId.get(id)!.callFrame);
        if (seen.has(name)) continue;
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
      }
    }
  }
  const sorted = (times: Map<string, number>) =>
    [...times]
      .map(([name, ms]) => ({ name, ms: Math.round(ms * 10) / 10 }))
      .sort((x, y) => y.ms - x.ms)
      .slice(0, limit);
  return { inclusive: sorted(inclusive), self: sorted(self) };
}

/** The parts of a Chrome trace event (`browser.startTracing`, category devtools.timeline) this reads. */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/**
 * Where the renderer's main thread spent its time: total ms and count per event name over complete ('X') events on
 * the CrRendererMain thread, the largest first (nested events each count, so "RunTask" holds everything). Shows
 * what a CPU profile cannot — style, layout, paint, hit tests, canvas uploads — which it lumps into "(program)".
 */
export function mainThreadTime(
  events: readonly TraceEvent[],
  limit = 30,
): { name: string; ms: number; count: number }[] {
  const main = new Set(
    events
      .filter((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain')
      .map((event) => `${event.pid}:${event.tid}`),
  );
  const totals = new Map<string, { ms: number; count: number }>();
  for (const event of events) {
    if (event.ph !== 'X' || !event.dur || !main.has(`${event.pid}:${event.tid}`)) continue;
    const total = totals.get(event.name) ?? { ms: 0, count: 0 };
    total.ms += event.dur / 1000;
    total.count++;
    totals.set(event.name, total);
  }
  return [...totals]
    .map(([name, { ms, count }]) => ({ name, ms: Math.round(ms), count }))
    .sort((x, y) => y.ms - x.ms)
    .slice(0, limit);
}
