/**
 * The progress-measures chart as data: restricted, excluded, train and test loss (log scale) for one or several
 * lanes. One lane: a colour per measure. Several lanes: the lane's colour, the measure told apart by its dash.
 */
import type { MetricRecord } from '../../worker/protocol';
import { mergeHistories, type OverlayLane } from '../race/raceCharts';
import { PALETTE, TEST_COLOR, TRAIN_COLOR, type ChartSpec, type SeriesSpec } from './charts';

export interface ProgressMeasure {
  key: 'restricted' | 'excluded' | 'train' | 'test';
  label: string;
  /** Colour when only one lane is drawn. */
  color: string;
  /** Dash when several lanes share a colour (undefined: solid). */
  dash?: string;
  value(record: MetricRecord): number | undefined;
}

export const PROGRESS_MEASURES: readonly ProgressMeasure[] = [
  {
    key: 'restricted',
    label: 'restricted',
    color: PALETTE[2],
    value: (r) => r.progress?.restrictedLoss,
  },
  {
    key: 'excluded',
    label: 'excluded',
    color: PALETTE[3],
    dash: '7 3',
    value: (r) => r.progress?.excludedLoss,
  },
  { key: 'train', label: 'train', color: TRAIN_COLOR, dash: '1 3', value: (r) => r.trainLoss },
  { key: 'test', label: 'test', color: TEST_COLOR, dash: '9 3 2 3', value: (r) => r.testLoss },
];

export const PROGRESS_CHART_ID = 'progress';

/** The chart spec and the merged history it reads (each series looks its value up in its own lane). */
export function progressChart(
  lanes: readonly OverlayLane[],
  chance?: number,
): { spec: ChartSpec; history: MetricRecord[] } {
  const single = lanes.length === 1;
  const lookups = lanes.map((lane) => new Map(lane.history.map((record) => [record.step, record])));
  const series: SeriesSpec[] = lanes.flatMap((lane, i) =>
    PROGRESS_MEASURES.map((measure) => ({
      key: `${i}-${measure.key}`,
      label: single ? measure.label : `${lane.name} ${measure.label}`,
      color: single ? measure.color : lane.color,
      dash: single ? undefined : measure.dash,
      value: (record: MetricRecord) => {
        const own = lookups[i].get(record.step);
        return own ? measure.value(own) : undefined;
      },
    })),
  );
  return {
    history: mergeHistories(lanes.map((lane) => lane.history)),
    spec: {
      id: PROGRESS_CHART_ID,
      title: 'Hidden progress: restricted and excluded loss',
      hint:
        'Restricted: the loss using only the key Fourier frequencies of the logits (falls once the general circuit ' +
        'exists, before test accuracy moves). Excluded: the training loss without them (rises as memorization is ' +
        'replaced). Dashed line: chance, ln p.',
      yScale: 'log',
      format: 'value',
      ...(chance !== undefined ? { reference: { y: chance, label: 'ln p' } } : {}),
      series,
    },
  };
}
