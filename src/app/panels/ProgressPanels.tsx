import { useMemo } from 'react';
import { progressSupport } from '../../engine/metrics/progressMeasures';
import { ProgressMeasuresChart } from '../charts/ProgressMeasuresChart';
import type { AxisScale } from '../logic/downsample';
import type { Marker } from '../logic/events';
import type { OverlayLane } from '../logic/overlayCharts';
import { useLab, type Lane } from '../store';
import { HiddenProgress } from '../views/HiddenProgress';

/** The lanes share one task (a race is fair): the first lane's decides whether the measures exist. */
function useTask() {
  return useLab((state) => state.lanes[0].config.task);
}

/** Nanda's progress measures of the lanes on screen (one lane, or every lane of a race), beside accuracy. */
export function LanesProgressChart({
  lanes,
  markers,
  xScale,
  height,
  large,
}: {
  lanes: readonly OverlayLane[];
  markers: readonly Marker[];
  xScale: AxisScale;
  height?: number | 'fill';
  large?: boolean;
}) {
  const task = useTask();
  const support = useMemo(() => progressSupport(task), [task]);
  return (
    <ProgressMeasuresChart
      lanes={lanes}
      support={support}
      p={task.modulus}
      markers={markers}
      xScale={xScale}
      height={height}
      large={large}
    />
  );
}

/** The classroom's one-line "hidden progress" readout, per lane in a race. */
export function HiddenProgressLine({ lanes }: { lanes: readonly Lane[] }) {
  const task = useTask();
  const support = useMemo(() => progressSupport(task), [task]);
  return (
    <div className="classroom__hidden" data-testid="hidden-progress">
      {lanes.map((lane, index) => (
        <div key={index} className="classroom__hidden-lane">
          {lanes.length > 1 && (
            <strong className="classroom__hidden-name" style={{ color: lane.color }}>
              {lane.name}
            </strong>
          )}
          <HiddenProgress support={support} record={lane.history.at(-1)} p={task.modulus} large />
        </div>
      ))}
    </div>
  );
}
