import { z } from 'zod';
import { validateConfig, type Config } from '../../engine/config';
import { cellId } from './cells';

/** Why a cell's run ended (src/engine/run.ts). */
const stopReasonSchema = z.enum(['budget', 'grokked', 'diverged']);

/**
 * A finished cell as the sweep reads it back: the train CLI's output JSON (`npm run train -- --out`), of which
 * the merge needs only the config (to know which cell it is), the outcome and the cost. Other fields pass.
 */
export const cellFileSchema = z.looseObject({
  config: z.record(z.string(), z.unknown()),
  stepsToGrok: z.number().int().min(0).nullable(),
  stoppedBecause: stopReasonSchema,
  final: z.looseObject({
    step: z.number().int().min(0),
    testAccuracy: z.number(),
    trainAccuracy: z.number(),
  }),
  msPerStep: z.number(),
  wallMs: z.number(),
  /** CPU time of the run (user + system), ms: less sensitive than wall time to a busy machine. */
  cpuMs: z.number().optional(),
});

export type CellFile = z.infer<typeof cellFileSchema>;

/** What the grid needs of one finished cell (the lab keeps it in IndexedDB, checked with this on reading). */
export const cellOutcomeSchema = z.strictObject({
  id: z.string().min(1),
  stepsToGrok: z.number().int().min(0).nullable(),
  stoppedBecause: stopReasonSchema,
  finalStep: z.number().int().min(0),
  finalTestAccuracy: z.number(),
  wallMs: z.number(),
  cpuMs: z.number().nullable(),
  msPerStep: z.number(),
});
export type CellOutcome = z.output<typeof cellOutcomeSchema>;

export class CellFileError extends Error {}

/** Reads a cell file's JSON value: its id (from its config) and outcome. Throws CellFileError saying what is wrong. */
export function readCellFile(json: unknown): { config: Config; outcome: CellOutcome } {
  const parsed = cellFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new CellFileError(
      parsed.error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`).join('; '),
    );
  }
  const file = parsed.data;
  const config = validateConfig(file.config);
  if (!config.ok)
    throw new CellFileError(`config: ${config.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return {
    config: config.config,
    outcome: {
      id: cellId(config.config),
      stepsToGrok: file.stepsToGrok,
      stoppedBecause: file.stoppedBecause,
      finalStep: file.final.step,
      finalTestAccuracy: file.final.testAccuracy,
      wallMs: file.wallMs,
      cpuMs: file.cpuMs ?? null,
      msPerStep: file.msPerStep,
    },
  };
}

/** The file name of a cell in a sweep's output folder: its id, so a stored file is found again by content. */
export function cellFileName(id: string): string {
  return `cell-${id}.json`;
}

export const CELL_FILE_PATTERN = /^cell-[0-9a-f]{16}\.json$/;
