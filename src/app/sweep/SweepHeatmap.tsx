import type { KeyboardEvent } from 'react';
import type { GridPoint, SweepGrid } from '../../lib/sweep/grid';
import { HATCH_ID, heatmapLayout, pointKey, type HeatmapOptions } from '../../lib/sweep/heatmap';

export interface SweepHeatmapProps extends HeatmapOptions {
  grid: SweepGrid;
  /** Called with the point clicked (or chosen with Enter/Space): open its curves, or pick it for a race. */
  onPointClick?: (point: GridPoint) => void;
  /** Points drawn outlined (keys from pointKey), e.g. the two cells picked for a race. */
  selected?: readonly string[];
}

/**
 * The sweep's heatmap, drawn from props only (no store): the same layout as the CLI's heatmap.svg
 * (src/lib/sweep/heatmap.ts), so the lab's live map and the headless one agree cell by cell. Each cell is a
 * focusable button whose label is the hover text.
 */
export function SweepHeatmap({ grid, onPointClick, selected = [], ...options }: SweepHeatmapProps) {
  const layout = heatmapLayout(grid, options);
  const { plot, legend } = layout;
  const pointAt = (xIndex: number, yIndex: number): GridPoint => grid.rows[yIndex][xIndex];
  const activate = (xIndex: number, yIndex: number) => onPointClick?.(pointAt(xIndex, yIndex));
  const onKey = (event: KeyboardEvent, xIndex: number, yIndex: number) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    activate(xIndex, yIndex);
  };
  return (
    <svg
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width="100%"
      role="group"
      aria-label={`${layout.title}: ${layout.summary}`}
      fontFamily="sans-serif"
      fontSize={12}
    >
      <defs>
        <pattern
          id={HATCH_ID}
          width={6}
          height={6}
          patternUnits="userSpaceOnUse"
          patternTransform="rotate(45)"
        >
          <rect width={6} height={6} fill="#e6e6e6" />
          <line x1={0} y1={0} x2={0} y2={6} stroke="#888888" strokeWidth={2} />
        </pattern>
        <linearGradient id="sweep-scale">
          {legend.stops.map((stop) => (
            <stop key={stop.offset} offset={`${stop.offset * 100}%`} stopColor={stop.colour} />
          ))}
        </linearGradient>
      </defs>
      <text x={plot.x} y={22} fontSize={14} fontWeight="bold">
        {layout.title}
      </text>
      <text x={plot.x + plot.width} y={22} textAnchor="end" fill="#666666">
        {layout.summary}
      </text>
      {layout.cells.map((cell) => {
        const key = pointKey(cell.xIndex, cell.yIndex);
        const isSelected = selected.includes(key);
        return (
          <g
            key={key}
            data-point={key}
            role="button"
            tabIndex={onPointClick ? 0 : -1}
            aria-label={cell.tooltip}
            aria-pressed={onPointClick ? isSelected : undefined}
            onClick={() => activate(cell.xIndex, cell.yIndex)}
            onKeyDown={(event) => onKey(event, cell.xIndex, cell.yIndex)}
            style={onPointClick ? { cursor: 'pointer' } : undefined}
          >
            <title>{cell.tooltip}</title>
            <rect
              x={cell.x}
              y={cell.y}
              width={cell.width}
              height={cell.height}
              fill={cell.hatched ? `url(#${HATCH_ID})` : cell.fill}
              stroke={isSelected ? '#d55e00' : '#ffffff'}
              strokeWidth={isSelected ? 4 : 2}
            />
            <text
              x={cell.x + cell.width / 2}
              y={cell.y + cell.height / 2}
              textAnchor="middle"
              dominantBaseline="middle"
              fill={cell.textColour}
              fontWeight={cell.hatched ? 'bold' : undefined}
            >
              {cell.label}
            </text>
          </g>
        );
      })}
      {layout.xTicks.map((tick) => (
        <text key={`x${tick.x}`} x={tick.x} y={plot.y + plot.height + 16} textAnchor="middle">
          {tick.label}
        </text>
      ))}
      {layout.yTicks.map((tick) => (
        <text key={`y${tick.y}`} x={plot.x - 8} y={tick.y} textAnchor="end" dominantBaseline="middle">
          {tick.label}
        </text>
      ))}
      <text x={layout.xLabel.x} y={layout.xLabel.y} textAnchor="middle">
        {layout.xLabel.text}
      </text>
      <text
        x={layout.yLabel.x}
        y={layout.yLabel.y}
        textAnchor="middle"
        transform={`rotate(-90 ${layout.yLabel.x} ${layout.yLabel.y})`}
      >
        {layout.yLabel.text}
      </text>
      <text x={legend.x} y={legend.y - 8} fill="#444444">
        {legend.caption}
      </text>
      <rect x={legend.x} y={legend.y} width={legend.width} height={legend.height} fill="url(#sweep-scale)" />
      {legend.ticks.map((tick) => (
        <text key={tick.label} x={tick.x} y={legend.y + legend.height + 15} textAnchor="middle" fontSize={10}>
          {tick.label}
        </text>
      ))}
      <rect
        x={legend.hatch.x}
        y={legend.hatch.y}
        width={legend.hatch.size}
        height={legend.hatch.size}
        fill={`url(#${HATCH_ID})`}
        stroke="#888888"
      />
      <text
        x={legend.hatch.x + legend.hatch.size + 6}
        y={legend.hatch.y + legend.hatch.size / 2}
        dominantBaseline="middle"
      >
        {legend.hatch.label} (not grokked)
      </text>
    </svg>
  );
}
