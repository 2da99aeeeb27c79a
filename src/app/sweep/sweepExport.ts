import type { ExpandedSweep } from '../../lib/sweep/cells';
import type { CellOutcome } from '../../lib/sweep/cellResult';
import { buildGrid } from '../../lib/sweep/grid';
import { sweepCsv } from '../../lib/sweep/csv';
import { heatmapSvg } from '../../lib/sweep/heatmap';
import { cellSummaries } from '../../lib/sweep/summaries';
import { svgTextToPngBlob } from '../../lib/exportRun';

/**
 * The sweep's exports, from the headless sweep's own writers: JSON (the spec and the CLI's cells.json lines, so
 * a lab map and a headless map compare cell by cell), CSV (src/lib/sweep/csv.ts), SVG (src/lib/sweep/heatmap.ts)
 * and PNG (that SVG drawn onto a canvas).
 */

export const SWEEP_EXPORT_KIND = 'grok-lab-sweep';

export function sweepJson(
  sweep: ExpandedSweep,
  outcomes: ReadonlyMap<string, CellOutcome>,
  wallMs: number,
): string {
  return `${JSON.stringify(
    {
      kind: SWEEP_EXPORT_KIND,
      version: 1,
      spec: sweep.spec,
      wallMs: Math.round(wallMs),
      cells: cellSummaries(sweep, outcomes),
    },
    null,
    1,
  )}\n`;
}

export function sweepCsvText(sweep: ExpandedSweep, outcomes: ReadonlyMap<string, CellOutcome>): string {
  return sweepCsv(buildGrid(sweep, outcomes));
}

export function sweepSvgText(sweep: ExpandedSweep, outcomes: ReadonlyMap<string, CellOutcome>): string {
  return heatmapSvg(buildGrid(sweep, outcomes));
}

/** A file name for the sweep's exports: its title, slugged. */
export function sweepFileName(sweep: ExpandedSweep, extension: string): string {
  const slug =
    (sweep.spec.title ?? `${sweep.spec.y.key}-${sweep.spec.x.key}`)
      .toLowerCase()
      .replace(/\(.*?\)/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'sweep';
  return `${slug}.${extension}`;
}

/** Draws a standalone SVG document onto a canvas, `scale`× its size, and encodes it as PNG. */
export function svgTextToPng(text: string, scale = 2, doc: Document = document): Promise<Blob> {
  const size = /<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"/.exec(text);
  return svgTextToPngBlob(text, {
    width: size ? Number(size[1]) : 640,
    height: size ? Number(size[2]) : 480,
    scale,
    doc,
    what: 'the heatmap',
  });
}
