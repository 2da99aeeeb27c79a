/** A tiny dependency-free SVG line plot: one <path> per series that draws a line, optional point markers. */

import { escapeXml } from '../src/lib/svgText';

export { escapeXml };

export interface Series {
  label: string;
  points: readonly (readonly [number, number])[];
  color?: string;
  dashed?: boolean;
  /** Draw the connecting line (default true). */
  line?: boolean;
  /** Draw a circle at every point (default false). */
  markers?: boolean;
  /** Line width (default 1.5). */
  width?: number;
}

export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  xScale?: 'linear' | 'log';
  yScale?: 'linear' | 'log';
  /** Axis bounds; default: the data range (log axes: snapped to decades). */
  xDomain?: readonly [number, number];
  yDomain?: readonly [number, number];
  width?: number;
  height?: number;
  /** Horizontal reference lines, e.g. the 99% threshold. */
  hLines?: readonly { y: number; label: string }[];
  /** Vertical reference lines, e.g. a step cap. */
  vLines?: readonly { x: number; label: string }[];
}

/** Reference lines and baseline runs drawn behind the coloured series. */
export const GREY = '#9a9a9a';
export const DARK = '#333333';

/** A colour-blind-friendly palette (Okabe–Ito, then Tableau). */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#F0E442',
  '#000000',
  '#8c564b',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

function niceLinearTicks(min: number, max: number, count = 5): number[] {
  const span = max - min || 1;
  const rough = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => span / s <= count) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step)
    ticks.push(+t.toPrecision(12));
  return ticks;
}

/** Decades, plus 2× and 5× when the axis spans at most three decades. */
function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  const multiples = Math.log10(max / min) <= 3 ? [1, 2, 5] : [1];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of multiples) {
      const t = m * 10 ** e;
      if (t >= min * (1 - 1e-9) && t <= max * (1 + 1e-9)) ticks.push(t);
    }
  }
  return ticks;
}

function formatTick(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e5 && Math.log10(abs) % 1 === 0) return `1e${Math.log10(abs)}`;
  if (abs >= 1000) return `${+(value / 1000).toPrecision(3)}k`;
  return String(+value.toPrecision(3));
}

function domainOf(values: number[], scale: 'linear' | 'log'): [number, number] {
  const usable = scale === 'log' ? values.filter((v) => v > 0) : values;
  if (usable.length === 0) return scale === 'log' ? [1, 10] : [0, 1];
  let min = Math.min(...usable);
  let max = Math.max(...usable);
  if (scale === 'log') {
    min = 10 ** Math.floor(Math.log10(min));
    max = 10 ** Math.ceil(Math.log10(max));
    if (min === max) max = min * 10;
  } else if (min === max) {
    min -= 1;
    max += 1;
  }
  return [min, max];
}

/** Renders the plot as a standalone SVG document. Points that cannot be drawn (≤ 0 on a log axis) are skipped. */
export function linePlot(options: PlotOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const xScale = options.xScale ?? 'linear';
  const yScale = options.yScale ?? 'linear';
  const legendWidth = 170;
  const margin = { left: 56, right: legendWidth + 12, top: 30, bottom: 44 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const allX = options.series.flatMap((s) => s.points.map((p) => p[0]));
  const allY = options.series.flatMap((s) => s.points.map((p) => p[1]));
  const [x0, x1] = options.xDomain ?? domainOf(allX, xScale);
  const [y0, y1] = options.yDomain ?? domainOf(allY, yScale);
  const tx = (v: number): number => (xScale === 'log' ? Math.log10(v) : v);
  const ty = (v: number): number => (yScale === 'log' ? Math.log10(v) : v);
  const px = (v: number): number => margin.left + ((tx(v) - tx(x0)) / (tx(x1) - tx(x0) || 1)) * plotW;
  const py = (v: number): number => margin.top + plotH - ((ty(v) - ty(y0)) / (ty(y1) - ty(y0) || 1)) * plotH;
  const drawable = (x: number, y: number): boolean =>
    Number.isFinite(x) && Number.isFinite(y) && (xScale !== 'log' || x > 0) && (yScale !== 'log' || y > 0);
  const f = (v: number): string => v.toFixed(1);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin.left}" y="18" font-size="13" font-weight="bold">${escapeXml(options.title)}</text>`,
  );
  // Grid and ticks.
  const xTicks = xScale === 'log' ? logTicks(x0, x1) : niceLinearTicks(x0, x1);
  const yTicks = yScale === 'log' ? logTicks(y0, y1) : niceLinearTicks(y0, y1);
  for (const t of xTicks) {
    const x = f(px(t));
    parts.push(
      `<line x1="${x}" y1="${margin.top}" x2="${x}" y2="${margin.top + plotH}" stroke="#e5e5e5"/>`,
      `<text x="${x}" y="${margin.top + plotH + 14}" text-anchor="middle">${formatTick(t)}</text>`,
    );
  }
  for (const t of yTicks) {
    const y = f(py(t));
    parts.push(
      `<line x1="${margin.left}" y1="${y}" x2="${margin.left + plotW}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${margin.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatTick(t)}</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#444444"/>`,
    `<text x="${margin.left + plotW / 2}" y="${height - 8}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text x="14" y="${margin.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 14 ${margin.top + plotH / 2})">${escapeXml(options.yLabel)}</text>`,
  );
  for (const line of options.hLines ?? []) {
    if (!drawable(x0, line.y)) continue;
    const y = f(py(line.y));
    parts.push(
      `<line x1="${margin.left}" y1="${y}" x2="${margin.left + plotW}" y2="${y}" stroke="#999999" stroke-dasharray="2 3"/>`,
      `<text x="${margin.left + plotW - 4}" y="${Number(y) - 3}" text-anchor="end" fill="#777777">${escapeXml(line.label)}</text>`,
    );
  }
  for (const line of options.vLines ?? []) {
    if (!drawable(line.x, y0)) continue;
    const x = f(px(line.x));
    parts.push(
      `<line x1="${x}" y1="${margin.top}" x2="${x}" y2="${margin.top + plotH}" stroke="#999999" stroke-dasharray="2 3"/>`,
      `<text x="${Number(x) - 3}" y="${margin.top + 10}" text-anchor="end" fill="#777777">${escapeXml(line.label)}</text>`,
    );
  }
  // Series, clipped to the plot area.
  parts.push(
    `<clipPath id="plot-area"><rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}"/></clipPath>`,
    `<g clip-path="url(#plot-area)">`,
  );
  options.series.forEach((series, i) => {
    const color = series.color ?? PALETTE[i % PALETTE.length];
    const points = series.points.filter(([x, y]) => drawable(x, y));
    if (series.line !== false) {
      const d =
        points.length > 0
          ? points.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${f(px(x))} ${f(py(y))}`).join(' ')
          : 'M0 0';
      parts.push(
        `<path d="${d}" fill="none" stroke="${color}" stroke-width="${series.width ?? 1.5}"${series.dashed ? ' stroke-dasharray="5 3"' : ''}><title>${escapeXml(series.label)}</title></path>`,
      );
    }
    if (series.markers) {
      for (const [x, y] of points) {
        parts.push(`<circle cx="${f(px(x))}" cy="${f(py(y))}" r="3" fill="${color}"/>`);
      }
    }
  });
  parts.push('</g>');
  // Legend (one entry per distinct label).
  const seen = new Set<string>();
  let row = 0;
  options.series.forEach((series, i) => {
    if (seen.has(series.label)) return;
    seen.add(series.label);
    const color = series.color ?? PALETTE[i % PALETTE.length];
    const y = margin.top + 6 + row * 15;
    const x = width - legendWidth;
    row++;
    parts.push(
      series.line === false
        ? `<circle cx="${x + 9}" cy="${y}" r="3" fill="${color}"/>`
        : `<line x1="${x}" y1="${y}" x2="${x + 18}" y2="${y}" stroke="${color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
      `<text x="${x + 24}" y="${y}" dominant-baseline="middle">${escapeXml(series.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
