import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ExpandedSweep } from '../src/lib/sweep/cells';
import { CELL_FILE_PATTERN, cellFileName, readCellFile, type CellOutcome } from '../src/lib/sweep/cellResult';
import { costMarkdown, sweepCost } from '../src/lib/sweep/cost';
import { buildGrid, type SweepGrid } from '../src/lib/sweep/grid';
import { heatmapSvg } from '../src/lib/sweep/heatmap';
import { parseSweepSpec, type SweepSpec } from '../src/lib/sweep/spec';
import { cellSummaries } from '../src/lib/sweep/summaries';
import { sweepTable } from '../src/lib/sweep/table';

/** A sweep's output folder: one cell-<id>.json per finished run, sweep.json (the spec), and what the merge writes. */

export const SPEC_FILE = 'sweep.json';

/**
 * Writes through a temporary name and a rename, so a reader (the merge, a resumed shard) never sees a half-written
 * file. The temporary name is unique across machines: pods on one shared volume all have pid 1.
 */
export function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${hostname()}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

export function cellPath(out: string, id: string): string {
  return join(out, cellFileName(id));
}

/** Stores the spec beside the cells, so `--merge` alone can rebuild the grid. */
export function writeSpec(out: string, spec: SweepSpec): void {
  mkdirSync(out, { recursive: true });
  writeAtomically(join(out, SPEC_FILE), `${JSON.stringify(spec, null, 2)}\n`);
}

export function readSpec(out: string): SweepSpec {
  const file = join(out, SPEC_FILE);
  if (!existsSync(file))
    throw new Error(`${file} not found: give the sweep (--sweep NAME or --x/--y) to merge`);
  return parseSweepSpec(JSON.parse(readFileSync(file, 'utf8')));
}

export interface FolderOutcomes {
  outcomes: Map<string, CellOutcome>;
  /** Files that could not be read as a cell, with why. */
  unreadable: { file: string; error: string }[];
}

/** Every readable cell file of a folder, by cell id. */
export function readOutcomes(out: string): FolderOutcomes {
  const outcomes = new Map<string, CellOutcome>();
  const unreadable: FolderOutcomes['unreadable'] = [];
  if (!existsSync(out)) return { outcomes, unreadable };
  for (const name of readdirSync(out)
    .filter((n) => CELL_FILE_PATTERN.test(n))
    .sort()) {
    try {
      const { outcome } = readCellFile(JSON.parse(readFileSync(join(out, name), 'utf8')));
      outcomes.set(outcome.id, outcome);
    } catch (error) {
      unreadable.push({ file: name, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { outcomes, unreadable };
}

/** The merge: grid from the folder's cells, then heatmap.svg, table.md, cost.md and cells.json written beside them. */
export function mergeFolder(
  out: string,
  sweep: ExpandedSweep,
): { grid: SweepGrid; unreadable: FolderOutcomes['unreadable']; foreign: number } {
  const { outcomes, unreadable } = readOutcomes(out);
  const grid = buildGrid(sweep, outcomes);
  const ids = new Set(sweep.cells.map((cell) => cell.id));
  const foreign = [...outcomes.keys()].filter((id) => !ids.has(id)).length;
  mkdirSync(out, { recursive: true });
  writeAtomically(join(out, 'heatmap.svg'), heatmapSvg(grid));
  // The table is a pure function of the outcomes (equal for any sharding); the cost depends on the machine.
  writeAtomically(join(out, 'table.md'), sweepTable(grid));
  writeAtomically(join(out, 'cost.md'), costMarkdown(sweepCost(sweep, outcomes)));
  writeAtomically(join(out, 'cells.json'), `${JSON.stringify(cellSummaries(sweep, outcomes), null, 1)}\n`);
  return { grid, unreadable, foreign };
}
