import { memo, useId, useMemo, useRef } from 'react';
import { downloadChartPng } from '../../lib/exportRun';
import type { MetricRecord } from '../../worker/protocol';
import { useElementSize } from '../hooks/useElementSize';
import { formatStepTick, logDomain, logTicks, stepDomain } from '../logic/axes';
import { axisScale, linearDomain, linearTicks, linePath, pointBudget } from '../logic/chartLayout';
import { chartSeries, type ChartSpec } from '../logic/charts';
import { crosshairSteps, formatChartValue } from '../logic/crosshair';
import type { AxisScale } from '../logic/downsample';
import type { Marker } from '../logic/events';
import { formatTick } from '../logic/format';
import { Crosshair } from './Crosshair';

interface TimeSeriesChartProps {
  spec: ChartSpec;
  history: readonly MetricRecord[];
  xScale: AxisScale;
  markers: readonly Marker[];
  /** Plot height in px, or 'fill' to take the height the layout gives the figure. */
  height?: number | 'fill';
  /** Larger type for classroom mode. */
  large?: boolean;
}

const MARKER_COLORS: Record<Marker['kind'], string> = {
  event: '#6b6f76',
  memorized: '#0072b2',
  grokked: '#009e73',
  collapsed: '#b3261e',
};

interface MarkerLabelProps {
  text: string;
  color: string;
  fontSize: number;
  /** Config changes are written down from the top of their line, milestones up from the bottom, so the two do
   * not collide when they fall on nearby steps. */
  from: 'top' | 'bottom';
  /** Where the marker's line runs: its x, the plot's top and height. */
  viewBox?: { x?: number; y?: number; height?: number };
}

/** A marker's label, written along its line. */
function MarkerLabel({ text, color, fontSize, from, viewBox }: MarkerLabelProps) {
  const short = text.length > 42 ? `${text.slice(0, 40)}…` : text;
  const x = (viewBox?.x ?? 0) + 3;
  const top = viewBox?.y ?? 0;
  const y = from === 'top' ? top + 4 : top + (viewBox?.height ?? 0) - 4;
  return (
    <text
      x={x}
      y={y}
      transform={`rotate(${from === 'top' ? 90 : -90} ${x} ${y})`}
      dy={from === 'top' ? 0 : fontSize * 0.8}
      fill={color}
      fontSize={fontSize}
      className="chart__marker-label"
    >
      <title>{text}</title>
      {short}
    </text>
  );
}

const MARGIN = { top: 6, right: 14, bottom: 2, left: 0 };
const TICK_SMALL = 11;
const TICK_LARGE = 15;

const formatPercentTick = (value: number) => `${Math.round(value * 100)}%`;

function TimeSeriesChartImpl({
  spec,
  history,
  xScale,
  markers,
  height = 190,
  large = false,
}: TimeSeriesChartProps) {
  const figure = useRef<HTMLElement>(null);
  const plot = useRef<HTMLDivElement>(null);
  // An id usable inside url(#…) whatever characters React's ids contain.
  const clipId = `chart-clip-${useId().replace(/[^\w-]/g, '')}`;
  const room = useElementSize(plot);
  const svgWidth = Math.floor(room.width);
  const svgHeight = height === 'fill' ? Math.floor(room.height) : height;
  const yAxisWidth = large ? 56 : 46;
  const xAxisHeight = large ? 28 : 22;
  const fontSize = large ? TICK_LARGE : TICK_SMALL;
  const left = MARGIN.left + yAxisWidth;
  const top = MARGIN.top;
  const plotWidth = Math.max(0, svgWidth - left - MARGIN.right);
  const plotHeight = Math.max(0, svgHeight - top - MARGIN.bottom - xAxisHeight);
  const bottom = top + plotHeight;
  // About one point per pixel column of this plot (min/max-preserving): more cannot be seen, fewer would hide spikes.
  const budget = pointBudget(plotWidth);
  const drawn = useMemo(() => chartSeries(spec, history, xScale, budget), [spec, history, xScale, budget]);
  const steps = useMemo(() => crosshairSteps(drawn.map((series) => series.points)), [drawn]);
  const lastStep = history.length > 0 ? history[history.length - 1].step : 0;
  const [xStart, xEnd] = stepDomain(lastStep, xScale);
  const xTicks = useMemo(
    () => (xScale === 'log' ? logTicks(xStart, xEnd) : linearTicks(xStart, xEnd)),
    [xScale, xStart, xEnd],
  );
  const [yStart, yEnd] = useMemo<[number, number]>(() => {
    if (spec.yDomain) return spec.yDomain;
    const series = drawn.map((each) => each.points);
    const reference = spec.reference ? [spec.reference.y] : [];
    return spec.yScale === 'log' ? logDomain(series, reference) : linearDomain(series, reference);
  }, [drawn, spec]);
  const yTicks = useMemo(
    () => (spec.yScale === 'log' ? logTicks(yStart, yEnd) : linearTicks(yStart, yEnd)),
    [spec.yScale, yStart, yEnd],
  );
  const x = useMemo(
    () => axisScale(xScale, [xStart, xEnd], [left, left + plotWidth]),
    [xScale, xStart, xEnd, left, plotWidth],
  );
  const y = useMemo(
    () => axisScale(spec.yScale, [yStart, yEnd], [bottom, top]),
    [spec.yScale, yStart, yEnd, bottom, top],
  );
  const paths = useMemo(() => drawn.map((series) => linePath(series.points, x, y)), [drawn, x, y]);
  const tickFormat = spec.format === 'percent' ? formatPercentTick : formatTick;
  const visibleMarkers = useMemo(
    () => markers.filter((marker) => marker.step >= xStart && marker.step <= xEnd),
    [markers, xStart, xEnd],
  );
  const empty = drawn.every((series) => series.points.length === 0);
  const titleId = `chart-${spec.id}-title`;
  const measured = plotWidth > 0 && plotHeight > 0;
  const plotArea = useMemo(
    () => ({ left, top, width: plotWidth, height: plotHeight }),
    [left, top, plotWidth, plotHeight],
  );

  return (
    <figure
      className={`chart ${large ? 'chart--large' : ''} ${height === 'fill' ? 'chart--fill' : ''}`}
      ref={figure}
      aria-labelledby={titleId}
      data-chart={spec.id}
    >
      <figcaption className="chart__caption">
        <h3 id={titleId} className="chart__title" title={spec.hint}>
          {spec.title}
        </h3>
        <ul className="chart__legend">
          {drawn.map(({ spec: series, latest }) => (
            <li key={series.key}>
              <span className="chart__swatch" style={{ background: series.color }} aria-hidden="true" />
              {series.label}
              <span className="chart__latest">{formatChartValue(spec.format, latest)}</span>
            </li>
          ))}
        </ul>
        {!large && (
          <button
            type="button"
            className="chart__download"
            aria-label={`Download the ${spec.title} chart as PNG`}
            title="Download as PNG"
            onClick={() => figure.current && void downloadChartPng(figure.current, `grok-lab-${spec.id}.png`)}
          >
            PNG
          </button>
        )}
      </figcaption>
      <div className="chart__plot" ref={plot} style={height === 'fill' ? undefined : { height }}>
        {empty && <p className="chart__empty">No data yet: press Start.</p>}
        {measured && (
          <svg className="chart__surface" width={svgWidth} height={svgHeight} aria-hidden="true">
            <defs>
              <clipPath id={clipId}>
                <rect x={left} y={top} width={plotWidth} height={plotHeight} />
              </clipPath>
            </defs>
            <g className="chart__grid">
              {yTicks.map((tick) => (
                <line key={`y${tick}`} x1={left} x2={left + plotWidth} y1={y(tick)} y2={y(tick)} />
              ))}
              {xTicks.map((tick) => (
                <line key={`x${tick}`} x1={x(tick)} x2={x(tick)} y1={top} y2={bottom} />
              ))}
            </g>
            <g className="chart__axis" fontSize={fontSize}>
              <line x1={left} x2={left + plotWidth} y1={bottom} y2={bottom} />
              <line x1={left} x2={left} y1={top} y2={bottom} />
              {xTicks.map((tick) => (
                <text key={`x${tick}`} x={x(tick)} y={bottom + fontSize + 3} textAnchor="middle">
                  {formatStepTick(tick)}
                </text>
              ))}
              {yTicks.map((tick) => (
                <text key={`y${tick}`} x={left - 5} y={y(tick)} dy="0.35em" textAnchor="end">
                  {tickFormat(tick)}
                </text>
              ))}
            </g>
            {spec.reference && (
              <line
                className="chart__reference"
                x1={left}
                x2={left + plotWidth}
                y1={y(spec.reference.y)}
                y2={y(spec.reference.y)}
              />
            )}
            <g clipPath={`url(#${clipId})`}>
              {drawn.map(({ spec: series }, i) => (
                <path
                  key={series.key}
                  className="chart__line"
                  d={paths[i]}
                  fill="none"
                  stroke={series.color}
                  strokeWidth={large ? 3 : 1.75}
                  strokeDasharray={series.dash ?? (series.dashed ? '5 3' : undefined)}
                  strokeLinejoin="round"
                />
              ))}
            </g>
            {visibleMarkers.map((marker) => {
              const color = marker.color ?? MARKER_COLORS[marker.kind];
              const at = x(marker.step);
              return (
                <g
                  key={`${marker.kind}-${marker.step}`}
                  className={`chart__marker chart__marker--${marker.kind}`}
                >
                  <line
                    x1={at}
                    x2={at}
                    y1={top}
                    y2={bottom}
                    stroke={color}
                    strokeDasharray={marker.kind === 'event' ? '4 3' : undefined}
                    strokeWidth={marker.kind === 'grokked' ? 2 : 1}
                  />
                  <MarkerLabel
                    text={marker.label}
                    color={color}
                    fontSize={large ? 13 : 10}
                    from={marker.kind === 'event' ? 'top' : 'bottom'}
                    viewBox={{ x: at, y: top, height: plotHeight }}
                  />
                </g>
              );
            })}
          </svg>
        )}
        {measured && (
          <Crosshair spec={spec} history={history} steps={steps} x={x} y={y} plot={plotArea} large={large} />
        )}
      </div>
    </figure>
  );
}

/**
 * One live time-series chart: its series decimated to the plot's pixel width (min/max-preserving), config-change
 * markers, a log or linear step axis — drawn as plain SVG from chartLayout's geometry (a redraw builds a few path
 * strings; the charting library this replaced spent ≈ 10–40 ms of main thread per chart per redraw).
 */
export const TimeSeriesChart = memo(TimeSeriesChartImpl);
