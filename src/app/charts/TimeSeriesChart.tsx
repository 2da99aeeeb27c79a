import { memo, useMemo, useRef } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { downloadChartPng } from '../../lib/exportRun';
import type { MetricRecord } from '../../worker/protocol';
import { formatStepTick, logDomain, logTicks, stepDomain } from '../logic/axes';
import { chartSeries, type ChartSpec } from '../logic/charts';
import type { AxisScale } from '../logic/downsample';
import type { Marker } from '../logic/events';
import { formatPercent, formatTick, formatValue } from '../logic/format';

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
  /** Set by recharts when it clones the label. */
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
const TICK_SMALL = { fontSize: 11 };
const TICK_LARGE = { fontSize: 15 };

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
  const drawn = useMemo(() => chartSeries(spec, history, xScale), [spec, history, xScale]);
  const lastStep = history.length > 0 ? history[history.length - 1].step : 0;
  const [xStart, xEnd] = stepDomain(lastStep, xScale);
  const xDomain = useMemo<[number, number]>(() => [xStart, xEnd], [xStart, xEnd]);
  const xTicks = useMemo(
    () => (xScale === 'log' ? logTicks(xStart, xEnd) : undefined),
    [xScale, xStart, xEnd],
  );
  const yDomain = useMemo<[number, number] | ['auto', 'auto']>(() => {
    if (spec.yDomain) return spec.yDomain;
    if (spec.yScale === 'log') {
      return logDomain(
        drawn.map((series) => series.points),
        spec.reference ? [spec.reference.y] : [],
      );
    }
    return ['auto', 'auto'];
  }, [drawn, spec]);
  const yTicks = useMemo(
    () =>
      spec.yScale === 'log' && typeof yDomain[0] === 'number'
        ? logTicks(yDomain[0], yDomain[1] as number)
        : undefined,
    [spec.yScale, yDomain],
  );
  const format = spec.format === 'percent' ? formatPercent : formatValue;
  const tickFormat = spec.format === 'percent' ? formatPercentTick : formatTick;
  const tick = large ? TICK_LARGE : TICK_SMALL;
  const visibleMarkers = useMemo(
    () =>
      markers
        .filter((marker) => marker.step >= xStart && marker.step <= xEnd)
        .map((marker) => ({
          marker,
          label: (
            <MarkerLabel
              text={marker.label}
              color={marker.color ?? MARKER_COLORS[marker.kind]}
              fontSize={large ? 13 : 10}
              from={marker.kind === 'event' ? 'top' : 'bottom'}
            />
          ),
        })),
    [markers, xStart, xEnd, large],
  );
  const empty = drawn.every((series) => series.points.length === 0);
  const titleId = `chart-${spec.id}-title`;

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
              <span className="chart__latest">{latest === null ? '—' : format(latest)}</span>
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
      <div className="chart__plot" style={height === 'fill' ? undefined : { height }}>
        {empty && <p className="chart__empty">No data yet: press Start.</p>}
        <ResponsiveContainer width="100%" height="100%" minWidth={0}>
          <LineChart margin={MARGIN}>
            <CartesianGrid stroke="var(--grid)" strokeDasharray="2 4" />
            <XAxis
              dataKey="x"
              type="number"
              scale={xScale}
              domain={xDomain}
              ticks={xTicks}
              allowDataOverflow
              tickFormatter={formatStepTick}
              tick={tick}
              stroke="var(--axis)"
              height={large ? 28 : 22}
            />
            <YAxis
              type="number"
              scale={spec.yScale}
              domain={yDomain}
              ticks={yTicks}
              allowDataOverflow={spec.yScale === 'log'}
              tickFormatter={tickFormat}
              tick={tick}
              stroke="var(--axis)"
              width={large ? 56 : 46}
            />
            {spec.reference && (
              <ReferenceLine
                y={spec.reference.y}
                stroke="var(--reference)"
                strokeDasharray="6 4"
                ifOverflow="extendDomain"
              />
            )}
            {visibleMarkers.map(({ marker, label }) => (
              <ReferenceLine
                key={`${marker.kind}-${marker.step}`}
                x={marker.step}
                stroke={marker.color ?? MARKER_COLORS[marker.kind]}
                strokeDasharray={marker.kind === 'event' ? '4 3' : undefined}
                strokeWidth={marker.kind === 'grokked' ? 2 : 1}
                label={label}
                className={`chart__marker chart__marker--${marker.kind}`}
              />
            ))}
            {drawn.map(({ spec: series, points }) => (
              <Line
                key={series.key}
                data={points}
                dataKey="y"
                name={series.label}
                type="linear"
                stroke={series.color}
                strokeWidth={large ? 3 : 1.75}
                strokeDasharray={series.dash ?? (series.dashed ? '5 3' : undefined)}
                dot={false}
                activeDot={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** One live time-series chart: downsampled series, config-change markers, log or linear step axis. */
export const TimeSeriesChart = memo(TimeSeriesChartImpl);
