/**
 * The progress-measures chart as data: the live wave loss (test pairs' waves, progressMeasures.ts) beside train
 * and test loss (log scale) for one or several lanes. One lane: a colour per measure. Several lanes: the lane's
 * colour, the measure told apart by its dash.
 */
import type { MetricRecord } from '../../worker/protocol';
import { laneLookups, mergeHistories, type OverlayLane } from './overlayCharts';
import { PALETTE, TEST_COLOR, TRAIN_COLOR, type ChartSpec, type SeriesSpec } from './charts';

export interface ProgressMeasure {
  key: 'wave' | 'afterRunRestricted' | 'afterRunExcluded' | 'train' | 'test';
  label: string;
  /** Colour when only one lane is drawn. */
  color: string;
  /** Dash when several lanes share a colour (undefined: solid). */
  dash?: string;
  value(record: MetricRecord): number | undefined;
}

export const PROGRESS_MEASURES: readonly ProgressMeasure[] = [
  {
    key: 'wave',
    label: 'test waves',
    color: PALETTE[2],
    value: (r) => r.progress?.testWaveLoss,
  },
  {
    key: 'afterRunRestricted',
    label: 'restricted (after run)',
    color: PALETTE[4],
    dash: '7 3',
    value: (r) => r.progress?.afterRunRestrictedLoss,
  },
  {
    key: 'afterRunExcluded',
    label: 'excluded (after run)',
    color: PALETTE[5],
    dash: '2 2',
    value: (r) => r.progress?.afterRunExcludedLoss,
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
  const lookups = laneLookups(lanes);
  // The after-the-run measures exist once a run has stopped: no empty legend entries before that.
  const measures = PROGRESS_MEASURES.filter(
    (measure) =>
      !measure.key.startsWith('afterRun') ||
      lanes.some((lane) => lane.history.some((record) => measure.value(record) !== undefined)),
  );
  const series: SeriesSpec[] = lanes.flatMap((lane, i) =>
    measures.map((measure) => ({
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
      title: 'Hidden progress: waves in the test logits',
      hint:
        'Test waves: the loss on the test pairs of the waves cos(w(a±b−c)) fitted to the test pairs’ logits alone. ' +
        'At ln p (dashed: a uniform guess) the test logits hold no wave at their right answers; below it they do, ' +
        'often before test accuracy moves. A model that only memorizes stays at ln p (checked on memorize-only runs). ' +
        'After a pause or the end: Nanda et al.’s restricted loss (test pairs) and excluded loss (training pairs) ' +
        'with the final model’s key frequencies. Caveat, measured: at p = 31 with 70% training pairs a model that ' +
        'only memorizes drives the restricted loss below 1 nat too — read it beside test accuracy.',
      yScale: 'log',
      format: 'value',
      ...(chance !== undefined ? { reference: { y: chance, label: 'ln p' } } : {}),
      series,
    },
  };
}
