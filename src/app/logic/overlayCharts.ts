/**
 * Overlay charts for a race: one chart per metric with a line per lane (lane colour; train dashed, test solid),
 * drawn by the lab's own TimeSeriesChart. The chart takes one history, so the lanes' records are merged by step
 * and each series looks its value up in its own lane's records.
 */
import type { MetricRecord } from '../../worker/protocol';
import type { ChartSpec, SeriesSpec } from './charts';
import { eventMarkers, type Marker } from './events';
import type { ConfigEvent } from '../../worker/protocol';

export interface OverlayLane {
  name: string;
  color: string;
  history: readonly MetricRecord[];
}

export interface Overlay {
  /** Every lane's evaluated steps, merged (a series reads its lane's record at each step). */
  history: MetricRecord[];
  specs: ChartSpec[];
}

/** The union of the lanes' records by step, in step order (one representative record per step). */
export function mergeHistories(histories: readonly (readonly MetricRecord[])[]): MetricRecord[] {
  const byStep = new Map<number, MetricRecord>();
  for (const history of histories)
    for (const record of history) if (!byStep.has(record.step)) byStep.set(record.step, record);
  return [...byStep.values()].sort((x, y) => x.step - y.step);
}

/** Each lane's records by step: a lane's series reads its own record at each step of the merged history. */
export function laneLookups(lanes: readonly OverlayLane[]): Map<number, MetricRecord>[] {
  return lanes.map((lane) => new Map(lane.history.map((record) => [record.step, record])));
}

/** One series per lane (its colour, its name and `suffix`), each reading `pick` of its own lane's records. */
export function laneSeries(
  lanes: readonly OverlayLane[],
  lookups: readonly Map<number, MetricRecord>[],
  suffix: string,
  pick: (record: MetricRecord) => number | undefined,
  dashed = false,
): SeriesSpec[] {
  return lanes.map((lane, i) => ({
    key: `${i}-${suffix || 'value'}`,
    label: suffix ? `${lane.name} ${suffix}` : lane.name,
    color: lane.color,
    dashed,
    value: (record) => {
      const own = lookups[i].get(record.step);
      return own ? pick(own) : undefined;
    },
  }));
}

/** The first hidden site's radius ratio (MLP: hidden0), else the first site reported. */
function hiddenRadius(record: MetricRecord): number | undefined {
  const ratios = record.radiusRatio;
  if (ratios.hidden0 !== undefined) return ratios.hidden0;
  const key = Object.keys(ratios).find((name) => name !== 'embedding') ?? Object.keys(ratios)[0];
  return key === undefined ? undefined : ratios[key];
}

export function overlayCharts(lanes: readonly OverlayLane[]): Overlay {
  const lookups = laneLookups(lanes);
  const history = mergeHistories(lanes.map((lane) => lane.history));
  const specs: ChartSpec[] = [
    {
      id: 'race-accuracy',
      title: 'Accuracy, lane by lane',
      hint: 'Solid: test accuracy; dashed: train. The lane whose solid line jumps first groks first.',
      yScale: 'linear',
      yDomain: [0, 1],
      format: 'percent',
      series: [
        ...laneSeries(lanes, lookups, 'test', (r) => r.testAccuracy),
        ...laneSeries(lanes, lookups, 'train', (r) => r.trainAccuracy, true),
      ],
    },
    {
      id: 'race-loss',
      title: 'Test loss',
      hint: 'Cross-entropy on the held-out pairs (log scale).',
      yScale: 'log',
      format: 'value',
      series: laneSeries(lanes, lookups, '', (r) => r.testLoss),
    },
    {
      id: 'race-radius',
      title: 'Hidden radius ‖h‖/√d',
      hint: 'Without help the hidden activations inflate after memorizing; the radial penalty holds them at 1.',
      yScale: 'log',
      reference: { y: 1, label: '1' },
      format: 'value',
      series: laneSeries(lanes, lookups, '', hiddenRadius),
    },
    {
      id: 'race-weightNorm',
      title: 'Total weight norm',
      hint: 'L2 norm of all parameters; both lanes start at the same value (the same initial weights).',
      yScale: 'linear',
      format: 'value',
      series: laneSeries(lanes, lookups, '', (r) => r.weightNorm),
    },
  ];
  return { history, specs };
}

/**
 * Each lane's config changes as chart markers, named by lane ("plain: Radial penalty on"), plus the finish lines.
 * Markers of one kind at one step share a line (the chart draws one per kind and step).
 */
export function raceMarkers(
  lanes: readonly { name: string; events: readonly ConfigEvent[] }[],
  finishes: readonly Marker[],
): Marker[] {
  const all = [
    ...lanes.flatMap((lane) =>
      eventMarkers(lane.events).map((marker) => ({ ...marker, label: `${lane.name}: ${marker.label}` })),
    ),
    ...finishes,
  ];
  const merged = new Map<string, Marker>();
  for (const marker of all) {
    const key = `${marker.kind}-${marker.step}`;
    const earlier = merged.get(key);
    merged.set(key, earlier ? { ...earlier, label: `${earlier.label}; ${marker.label}` } : marker);
  }
  return [...merged.values()].sort((x, y) => x.step - y.step);
}
