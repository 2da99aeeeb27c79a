import { memo, useMemo } from 'react';
import type { ProgressSupport } from '../../engine/metrics/progressMeasures';
import type { AxisScale } from '../logic/downsample';
import type { Marker } from '../logic/events';
import { PROGRESS_CHART_ID, progressChart } from '../logic/progressChart';
import type { OverlayLane } from '../logic/overlayCharts';
import { TimeSeriesChart } from './TimeSeriesChart';

interface ProgressMeasuresChartProps {
  /** One lane for a single run, several for a race; each draws its four losses. */
  lanes: readonly OverlayLane[];
  /** Whether the run's task has the measures (progressSupport(config.task)); the lanes share one task. */
  support: ProgressSupport;
  /** The modulus: ln p, the loss of a uniform guess, is drawn as the reference. */
  p?: number;
  markers: readonly Marker[];
  xScale: AxisScale;
  height?: number | 'fill';
  large?: boolean;
}

function ProgressMeasuresChartImpl({
  lanes,
  support,
  p,
  markers,
  xScale,
  height = 190,
  large = false,
}: ProgressMeasuresChartProps) {
  const { spec, history } = useMemo(
    () => progressChart(lanes, p !== undefined ? Math.log(p) : undefined),
    [lanes, p],
  );
  if (!support.defined) {
    return (
      <figure className={`chart ${large ? 'chart--large' : ''}`} data-chart={PROGRESS_CHART_ID}>
        <figcaption className="chart__caption">
          <h3 className="chart__title">{spec.title}</h3>
        </figcaption>
        <p className="chart__empty" role="status">
          Waves in the test logits: {support.reason} (they need answers a + b or a − b mod p).
        </p>
      </figure>
    );
  }
  return (
    <TimeSeriesChart
      spec={spec}
      history={history}
      xScale={xScale}
      markers={markers}
      height={height}
      large={large}
    />
  );
}

/**
 * The live progress measure over steps: the test pairs' wave loss beside train and test loss, log scale,
 * one or several lanes overlaid. Pure props: the caller picks the lanes and markers.
 */
export const ProgressMeasuresChart = memo(ProgressMeasuresChartImpl);
