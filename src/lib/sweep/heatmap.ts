import { formatSteps } from '../censored';
import { escapeXml } from '../svgText';
import { legendStops, logPosition, stepsColour, textColourOn } from './colour';
import type { GridPoint, SweepGrid } from './grid';

/**
 * The heatmap as pure geometry (heatmapLayout), drawn by two thin renderers: heatmapSvg here (a standalone SVG
 * document for the CLI, docs/sweeps.md and export) and the lab's React component (src/app/sweep/SweepHeatmap.tsx). x runs
 * left to right, y bottom to top, as in a phase diagram.
 */

/** A run in flight, drawn in its cell until the cell has a value. */
export interface CellProgress {
  step: number;
  testAccuracy: number;
}

export interface HeatmapOptions {
  width?: number;
  height?: number;
  /** Colour domain of steps-to-grok (log); default: the fastest finished point … the budget. */
  domain?: readonly [number, number];
  /** Runs in flight by point, key `${xIndex},${yIndex}`. */
  progress?: Readonly<Record<string, CellProgress>>;
}

export interface LayoutCell {
  xIndex: number;
  yIndex: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Fill colour; censored points are drawn hatched over a light fill. */
  fill: string;
  hatched: boolean;
  label: string;
  textColour: string;
  /** Hover text: the point, its value and its seeds counted by outcome. */
  tooltip: string;
}

export interface HeatmapLayout {
  width: number;
  height: number;
  title: string;
  plot: { x: number; y: number; width: number; height: number };
  cells: LayoutCell[];
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  xLabel: { x: number; y: number; text: string };
  yLabel: { x: number; y: number; text: string };
  legend: {
    x: number;
    y: number;
    width: number;
    height: number;
    stops: { offset: number; colour: string }[];
    ticks: { x: number; label: string }[];
    hatch: { x: number; y: number; size: number; label: string };
    caption: string;
  };
  summary: string;
}

export const PENDING_FILL = '#f2f2f2';
export const CENSORED_FILL = '#e6e6e6';
/** The id of the SVG hatch pattern ("> budget"). */
export const HATCH_ID = 'sweep-hatch';

export function pointKey(xIndex: number, yIndex: number): string {
  return `${xIndex},${yIndex}`;
}

/** A knob value as an axis label: 0.003, 1e-4, 0.3, 20 000. */
export function formatKnobValue(value: number, digits = 4): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e6)
    return value
      .toExponential(digits - 1)
      .replace(/\.?0+e/, 'e')
      .replace('e+', 'e');
  if (Number.isInteger(value) && abs >= 1000) return formatSteps(value);
  return String(Number(value.toPrecision(digits)));
}

/**
 * An axis's labels: compact (4 significant digits) where that tells every value apart, else with as many digits
 * as it takes (0.3001 and 0.3002 are two columns, so two labels); the spec keeps values distinct to 12 digits.
 */
export function knobLabels(values: readonly number[]): string[] {
  for (let digits = 4; digits < 12; digits++) {
    const labels = values.map((value) => formatKnobValue(value, digits));
    if (new Set(labels).size === labels.length) return labels;
  }
  return values.map((value) => formatKnobValue(value, 12));
}

/** The text of a point: "1 250", "> 10 000", "…" (pending) or a run in flight's accuracy, "62%". */
export function pointLabel(point: GridPoint, progress?: CellProgress): string {
  switch (point.value.kind) {
    case 'grokked':
      return formatSteps(point.value.steps);
    case 'censored':
      return `> ${formatSteps(point.value.above)}`;
    case 'pending':
      return progress ? `${Math.round(100 * progress.testAccuracy)}%` : '…';
  }
}

/**
 * A point's seeds counted by how they ended, not listed one by one (a point may have a hundred): "3 seeds:
 * 2 grokked, 1 not grokked (test 42%)", with the final test accuracy of the seeds that did not grok.
 */
function seedText(point: GridPoint): string {
  const finished = point.seeds.flatMap(({ outcome }) => (outcome ? [outcome] : []));
  const grokked = finished.filter((outcome) => outcome.stepsToGrok !== null).length;
  const ended = finished.filter((outcome) => outcome.stepsToGrok === null);
  const diverged = ended.filter((outcome) => outcome.stoppedBecause === 'diverged').length;
  const tests = ended
    .filter((outcome) => outcome.stoppedBecause !== 'diverged')
    .map((outcome) => Math.round(100 * outcome.finalTestAccuracy));
  const low = Math.min(...tests);
  const high = Math.max(...tests);
  const parts = [
    grokked > 0 ? `${grokked} grokked` : '',
    tests.length > 0 ? `${tests.length} not grokked (test ${low === high ? low : `${low}–${high}`}%)` : '',
    diverged > 0 ? `${diverged} diverged` : '',
    point.seeds.length > finished.length ? `${point.seeds.length - finished.length} not run` : '',
  ];
  const count = point.seeds.length;
  return `${count} seed${count === 1 ? '' : 's'}: ${parts.filter(Boolean).join(', ')}`;
}

/** Default colour domain: the fastest finished point … the budget. */
export function gridDomain(grid: SweepGrid): [number, number] {
  const steps = grid.rows.flat().flatMap((p) => (p.value.kind === 'grokked' ? [p.value.steps] : []));
  const low = steps.length > 0 ? Math.min(...steps) : grid.budget / 100;
  return [Math.max(1, Math.min(low, grid.budget / 2)), grid.budget];
}

/** Decades and their 2× and 5× inside the domain, the domain's ends included. */
function legendTickValues([low, high]: readonly [number, number]): number[] {
  const ticks = new Set<number>([Math.round(low), high]);
  for (let e = Math.floor(Math.log10(low)); e <= Math.ceil(Math.log10(high)); e++) {
    for (const m of [1, 2, 5]) {
      const t = m * 10 ** e;
      if (t > low * 1.15 && t < high / 1.15) ticks.add(t);
    }
  }
  return [...ticks].sort((a, b) => a - b);
}

export function heatmapLayout(grid: SweepGrid, options: HeatmapOptions = {}): HeatmapLayout {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const domain = options.domain ?? gridDomain(grid);
  const margin = { left: 84, right: 20, top: 36, bottom: 104 };
  const plot = {
    x: margin.left,
    y: margin.top,
    width: width - margin.left - margin.right,
    height: height - margin.top - margin.bottom,
  };
  const columns = Math.max(1, grid.xValues.length);
  const rowCount = Math.max(1, grid.yValues.length);
  const cellWidth = plot.width / columns;
  const cellHeight = plot.height / rowCount;
  const cells: LayoutCell[] = grid.rows.flat().map((point) => {
    const progress = options.progress?.[pointKey(point.xIndex, point.yIndex)];
    const hatched = point.value.kind === 'censored';
    const fill =
      point.value.kind === 'grokked'
        ? stepsColour(point.value.steps, domain)
        : hatched
          ? CENSORED_FILL
          : PENDING_FILL;
    const value =
      point.value.kind === 'grokked'
        ? `groks at step ${formatSteps(point.value.steps)} (median)`
        : point.value.kind === 'censored'
          ? `does not grok within ${formatSteps(grid.budget)} steps (median > ${formatSteps(point.value.above)})`
          : progress
            ? `running: step ${formatSteps(progress.step)}, test ${Math.round(100 * progress.testAccuracy)}%`
            : `pending (${point.done}/${point.seeds.length} seeds)`;
    return {
      xIndex: point.xIndex,
      yIndex: point.yIndex,
      x: plot.x + point.xIndex * cellWidth,
      y: plot.y + (rowCount - 1 - point.yIndex) * cellHeight,
      width: cellWidth,
      height: cellHeight,
      fill,
      hatched,
      label: pointLabel(point, progress),
      textColour: hatched ? '#000000' : textColourOn(fill),
      tooltip: `${grid.xKey} = ${formatKnobValue(point.xValue)}, ${grid.yKey} = ${formatKnobValue(point.yValue)}: ${value}. ${seedText(point)}`,
    };
  });
  const xLabels = knobLabels(grid.xValues);
  const yLabels = knobLabels(grid.yValues);
  const legendWidth = Math.min(280, plot.width - 120);
  const legend = { x: plot.x, y: height - 40, width: legendWidth, height: 12 };
  return {
    width,
    height,
    title: grid.title,
    plot,
    cells,
    xTicks: grid.xValues.map((value, i) => ({
      x: plot.x + (i + 0.5) * cellWidth,
      label: xLabels[i],
    })),
    yTicks: grid.yValues.map((value, i) => ({
      y: plot.y + (rowCount - 1 - i + 0.5) * cellHeight,
      label: yLabels[i],
    })),
    xLabel: { x: plot.x + plot.width / 2, y: plot.y + plot.height + 36, text: grid.xKey },
    yLabel: { x: 16, y: plot.y + plot.height / 2, text: grid.yKey },
    legend: {
      ...legend,
      stops: legendStops(),
      ticks: legendTickValues(domain).map((value) => ({
        x: legend.x + logPosition(value, domain) * legend.width,
        label: formatSteps(value),
      })),
      hatch: {
        x: legend.x + legend.width + 24,
        y: legend.y,
        size: 12,
        label: `> ${formatSteps(grid.budget)}`,
      },
      caption: 'steps to grok (median over seeds, log scale)',
    },
    summary: `${grid.done}/${grid.total} runs`,
  };
}

const f = (v: number): string => String(Math.round(v * 10) / 10);

/** The heatmap as a standalone SVG document. */
export function heatmapSvg(grid: SweepGrid, options: HeatmapOptions = {}): string {
  const layout = heatmapLayout(grid, options);
  const { plot, legend } = layout;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="sans-serif" font-size="12">`,
    '<defs>',
    `<pattern id="${HATCH_ID}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${CENSORED_FILL}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#888888" stroke-width="2"/></pattern>`,
    '<linearGradient id="sweep-scale">',
    ...legend.stops.map((stop) => `<stop offset="${f(stop.offset * 100)}%" stop-color="${stop.colour}"/>`),
    '</linearGradient>',
    '</defs>',
    `<rect x="0" y="0" width="${layout.width}" height="${layout.height}" fill="#ffffff"/>`,
    `<text x="${plot.x}" y="22" font-size="14" font-weight="bold">${escapeXml(layout.title)}</text>`,
    `<text x="${plot.x + plot.width}" y="22" text-anchor="end" fill="#666666">${escapeXml(layout.summary)}</text>`,
  ];
  for (const cell of layout.cells) {
    const fill = cell.hatched ? `url(#${HATCH_ID})` : cell.fill;
    parts.push(
      `<g><title>${escapeXml(cell.tooltip)}</title>`,
      `<rect x="${f(cell.x)}" y="${f(cell.y)}" width="${f(cell.width)}" height="${f(cell.height)}" fill="${fill}" stroke="#ffffff" stroke-width="2"/>`,
      `<text x="${f(cell.x + cell.width / 2)}" y="${f(cell.y + cell.height / 2)}" text-anchor="middle" dominant-baseline="middle" fill="${cell.textColour}"${cell.hatched ? ' font-weight="bold"' : ''}>${escapeXml(cell.label)}</text></g>`,
    );
  }
  for (const tick of layout.xTicks) {
    parts.push(
      `<text x="${f(tick.x)}" y="${f(plot.y + plot.height + 16)}" text-anchor="middle">${escapeXml(tick.label)}</text>`,
    );
  }
  for (const tick of layout.yTicks) {
    parts.push(
      `<text x="${f(plot.x - 8)}" y="${f(tick.y)}" text-anchor="end" dominant-baseline="middle">${escapeXml(tick.label)}</text>`,
    );
  }
  const { xLabel, yLabel } = layout;
  parts.push(
    `<text x="${f(xLabel.x)}" y="${f(xLabel.y)}" text-anchor="middle">${escapeXml(xLabel.text)}</text>`,
    `<text x="${f(yLabel.x)}" y="${f(yLabel.y)}" text-anchor="middle" transform="rotate(-90 ${f(yLabel.x)} ${f(yLabel.y)})">${escapeXml(yLabel.text)}</text>`,
    `<text x="${legend.x}" y="${legend.y - 8}" fill="#444444">${escapeXml(legend.caption)}</text>`,
    `<rect x="${legend.x}" y="${legend.y}" width="${legend.width}" height="${legend.height}" fill="url(#sweep-scale)"/>`,
    ...legend.ticks.map(
      (tick) =>
        `<line x1="${f(tick.x)}" y1="${legend.y + legend.height}" x2="${f(tick.x)}" y2="${legend.y + legend.height + 4}" stroke="#444444"/><text x="${f(tick.x)}" y="${legend.y + legend.height + 15}" text-anchor="middle" font-size="10">${escapeXml(tick.label)}</text>`,
    ),
    `<rect x="${legend.hatch.x}" y="${legend.hatch.y}" width="${legend.hatch.size}" height="${legend.hatch.size}" fill="url(#${HATCH_ID})" stroke="#888888"/>`,
    `<text x="${legend.hatch.x + legend.hatch.size + 6}" y="${legend.hatch.y + legend.hatch.size / 2}" dominant-baseline="middle">${escapeXml(legend.hatch.label)} (not grokked)</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
