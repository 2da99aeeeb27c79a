import { useMemo } from 'react';
import type { MetricRecord } from '../../worker/protocol';
import { useThrottled } from '../hooks/useThrottled';
import { REGULARIZERS } from '../../engine/regularizers/registry';
import { chartSpecs, type ChartSpec } from '../logic/charts';
import { DrawBudget } from '../logic/drawBudget';
import { eventMarkers, type Marker } from '../logic/events';
import type { Milestones } from '../logic/milestones';
import { useLane } from '../store';

const REGULARIZER_LABELS: Record<string, string> = Object.fromEntries(
  Object.values(REGULARIZERS).map((definition) => [definition.id, definition.label]),
);

/** Config-change markers plus the memorized/grokked lines. */
export function milestoneMarkers(events: Marker[], milestones: Milestones): Marker[] {
  const markers = [...events];
  if (milestones.memorized !== null)
    markers.push({ step: milestones.memorized, label: 'memorized', kind: 'memorized' });
  if (milestones.grokked !== null)
    markers.push({ step: milestones.grokked, label: 'grokked', kind: 'grokked' });
  return markers;
}

/** What every chart needs, memoized so charts re-render only when their inputs change. */
export function useChartData(): { specs: ChartSpec[]; markers: Marker[] } {
  const sites = useLane((state) => state.run?.sites);
  const scalarKeys = useLane((state) => state.scalarKeys);
  const events = useLane((state) => state.eventLog.events);
  const milestones = useLane((state) => state.milestones);
  const specs = useMemo(
    () => chartSpecs({ sites: sites ?? [], scalarKeys, regularizerLabels: REGULARIZER_LABELS }),
    [sites, scalarKeys],
  );
  const markers = useMemo(() => milestoneMarkers(eventMarkers(events), milestones), [events, milestones]);
  return { specs, markers };
}

/** Shared by every chart group on the page: how long redraws take, hence how often they may happen. */
export const chartBudget = new DrawBudget();
const chartInterval = () => chartBudget.interval();
const noteRedraw = (durationMs: number) => chartBudget.note(durationMs);

/**
 * The history as a group of charts sees it: the store's, throttled by the draw budget (the worker streams up
 * to 10 batches a second), each redraw timed into the budget. Call it in the component that renders the charts.
 */
export function useChartHistory(): readonly MetricRecord[] {
  return useChartPace(useLane((state) => state.history));
}

/**
 * `value` at the pace the charts redraw (the draw budget's interval), each redraw timed into the budget: for
 * whatever streams with every batch and is drawn, e.g. the embedding the Fourier and PCA views analyse.
 */
export function useChartPace<T>(value: T): T {
  return useThrottled(value, chartInterval, noteRedraw);
}
