import { z } from 'zod';

/** Messages between `npm run sweep` and its child processes (one engine, one wasm backend per child). */

export const toChildSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('run'),
    /** The cell's id; the child checks it against the config it is given. */
    id: z.string(),
    config: z.unknown(),
    /** Where the child writes the cell's JSON (atomically: a temporary file, then rename). */
    file: z.string(),
    /** Extra fields stored with the run: which cell of which sweep it is. */
    cell: z.record(z.string(), z.unknown()),
    historyPoints: z.number().int().min(0),
  }),
  z.strictObject({ type: z.literal('exit') }),
]);

export const fromChildSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready'), backend: z.string() }),
  z.strictObject({
    type: z.literal('progress'),
    id: z.string(),
    step: z.number(),
    testAccuracy: z.number(),
  }),
  z.strictObject({
    type: z.literal('done'),
    id: z.string(),
    stepsToGrok: z.number().nullable(),
    stoppedBecause: z.enum(['budget', 'grokked', 'diverged']),
    finalStep: z.number(),
    finalTestAccuracy: z.number(),
    wallMs: z.number(),
    cpuMs: z.number(),
    msPerStep: z.number(),
  }),
  z.strictObject({ type: z.literal('failed'), id: z.string(), error: z.string() }),
]);

export type ToChild = z.infer<typeof toChildSchema>;
export type FromChild = z.infer<typeof fromChildSchema>;
