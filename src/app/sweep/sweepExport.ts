import type { ExpandedSweep } from '../../lib/sweep/cells';
import type { CellOutcome } from '../../lib/sweep/cellResult';
import { buildGrid } from '../../lib/sweep/grid';
import { sweepCsv } from '../../lib/sweep/csv';
import { heatmapSvg } from '../../lib/sweep/heatmap';
import { cellSummaries } from '../../lib/sweep/summaries';

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
export async function svgTextToPng(text: string, scale = 2, doc: Document = document): Promise<Blob> {
  const size = /<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"/.exec(text);
  const width = size ? Number(size[1]) : 640;
  const height = size ? Number(size[2]) : 480;
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the heatmap could not be drawn as an image'));
      image.src = url;
    });
    const canvas = doc.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser has no 2-D canvas');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error('the PNG could not be encoded'))),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
