import { REGULARIZERS } from '../../engine/regularizers/registry';
import type { ParamSpec } from '../../engine/regularizers/spec';
import type { ConfigEvent } from '../../worker/protocol';
import { FIELD_LABELS } from './fields';
import { formatSetting } from './format';

/** A labelled vertical line on the time-series charts. */
export interface Marker {
  step: number;
  label: string;
  kind: 'event' | 'memorized' | 'grokked' | 'collapsed';
  /** Overrides the kind's colour (race mode: a finish line in its lane's colour). */
  color?: string;
}

const DEFINITIONS: Record<string, { label: string; params: Record<string, ParamSpec> }> = REGULARIZERS;

/** "Radial penalty on", "Radial penalty λ 0.01 → 0.05", "Learning rate 0.001 → 0.003". */
export function describeEvent(event: ConfigEvent): string {
  const parts = event.path.split('.');
  if (parts[0] === 'regularizers') {
    const definition = DEFINITIONS[parts[1]];
    const name = definition?.label ?? parts[1];
    const key = parts.slice(2).join('.');
    if (key === 'enabled') return `${name} ${event.to ? 'on' : 'off'}`;
    const param = definition?.params[key]?.label ?? key;
    return `${name} ${param} ${formatSetting(event.from)} → ${formatSetting(event.to)}`;
  }
  const name = FIELD_LABELS[event.path] ?? event.path;
  return `${name} ${formatSetting(event.from)} → ${formatSetting(event.to)}`;
}

/**
 * One marker per step at which the config changed. Several changes at one step share a line; repeated changes of
 * one field at one step (a slider dragged while paused) collapse to their net change, and vanish if they cancel.
 */
export function eventMarkers(events: readonly ConfigEvent[]): Marker[] {
  const byStep = new Map<number, Map<string, ConfigEvent>>();
  for (const event of events) {
    const paths = byStep.get(event.step) ?? new Map<string, ConfigEvent>();
    const earlier = paths.get(event.path);
    paths.set(event.path, earlier ? { ...event, from: earlier.from } : event);
    byStep.set(event.step, paths);
  }
  const markers: Marker[] = [];
  for (const [step, paths] of [...byStep.entries()].sort(([a], [b]) => a - b)) {
    const labels = [...paths.values()].filter((event) => event.from !== event.to).map(describeEvent);
    if (labels.length > 0) markers.push({ step, label: labels.join('; '), kind: 'event' });
  }
  return markers;
}

/** Identity of an event, to recognise one that arrives twice (from update() and from the metric stream). */
export function eventKey(event: ConfigEvent): string {
  return `${event.step}|${event.path}|${JSON.stringify(event.from)}|${JSON.stringify(event.to)}`;
}

/** Events shown on the charts, plus the keys each source delivered that the other has not (yet) echoed. */
export interface EventLog {
  events: ConfigEvent[];
  unmatched: { update: string[]; stream: string[] };
}

export const EMPTY_EVENT_LOG: EventLog = Object.freeze({
  events: [],
  unmatched: { update: [], stream: [] },
}) as EventLog;

/**
 * Adds events delivered by one source. The worker reports each config change twice, in update()'s result and
 * in the next metric batch, in either order; an event the other source already delivered is matched (once)
 * instead of added again, so genuine repeats (on, off, on at one step) are all kept.
 */
export function addEvents(
  log: EventLog,
  incoming: readonly ConfigEvent[],
  source: 'update' | 'stream',
): EventLog {
  if (incoming.length === 0) return log;
  const other = source === 'update' ? 'stream' : 'update';
  const otherKeys = [...log.unmatched[other]];
  const ownKeys = [...log.unmatched[source]];
  const added: ConfigEvent[] = [];
  for (const event of incoming) {
    const key = eventKey(event);
    const match = otherKeys.indexOf(key);
    if (match >= 0) {
      otherKeys.splice(match, 1);
      continue;
    }
    added.push(event);
    ownKeys.push(key);
  }
  return {
    events: added.length > 0 ? [...log.events, ...added] : log.events,
    unmatched: { [source]: ownKeys, [other]: otherKeys } as EventLog['unmatched'],
  };
}

/** The log after the run went back to `step` (fault recovery): later events are void. */
export function rewindEvents(log: EventLog, step: number): EventLog {
  const keep = (key: string) => Number(key.slice(0, key.indexOf('|'))) <= step;
  return {
    events: log.events.filter((event) => event.step <= step),
    unmatched: { update: log.unmatched.update.filter(keep), stream: log.unmatched.stream.filter(keep) },
  };
}
