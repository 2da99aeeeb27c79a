import { useLab } from '../store';
import { TimeSeriesChart } from './TimeSeriesChart';
import { useChartData, useChartHistory } from './useChartData';

/** Step-axis scale toggle (log by default). */
export function ScaleToggle() {
  const xScale = useLab((state) => state.xScale);
  const setXScale = useLab((state) => state.setXScale);
  return (
    <label className="scale-toggle">
      <input
        type="checkbox"
        checked={xScale === 'log'}
        onChange={(event) => setXScale(event.target.checked ? 'log' : 'linear')}
      />
      Log step axis
    </label>
  );
}

/** Every time-series chart (but `exclude`), in a responsive grid. */
export function ChartGrid({ exclude = [] }: { exclude?: readonly string[] }) {
  const { specs, markers } = useChartData();
  const history = useChartHistory();
  const xScale = useLab((state) => state.xScale);
  return (
    <div className="chart-grid">
      {specs
        .filter((spec) => !exclude.includes(spec.id))
        .map((spec) => (
          <TimeSeriesChart key={spec.id} spec={spec} history={history} xScale={xScale} markers={markers} />
        ))}
    </div>
  );
}
