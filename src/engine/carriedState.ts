/**
 * What a trainer carries from step to step besides its config and history, as data that crosses a boundary:
 * weights, Adam's moments and the regularizers' own state (Grokfast filters, NeuralGrok's φ). The schemas are the
 * types; snapshot.ts puts them together. Apart from snapshot.ts because the regularizer interface (spec.ts), which
 * the config's schema reads, names RegularizerState: importing the config here would close a cycle.
 */
import { z } from 'zod';
import { metric, wholeNumber } from './records';

/**
 * A Float32Array from any realm: IndexedDB hands back its own (another realm's, in a test's jsdom), so
 * `instanceof` would refuse a good snapshot.
 */
export function isFloat32Array(value: unknown): value is Float32Array {
  return Object.prototype.toString.call(value) === '[object Float32Array]';
}

/** The number of values an array of this shape holds. */
export function parameterSize(shape: readonly number[]): number {
  return shape.reduce((product, n) => product * n, 1);
}

/** Finite float32 values: NaN/Infinity in weights means the run diverged, and such a snapshot cannot resume. */
const weights = z
  .custom<Float32Array>((value) => isFloat32Array(value), 'must be a Float32Array')
  .superRefine((array, context) => {
    let bad = 0;
    for (let i = 0; i < array.length; i++) if (!Number.isFinite(array[i])) bad++;
    if (bad === 0) return;
    context.addIssue({
      code: 'custom',
      message:
        bad === array.length
          ? `all ${bad} values are NaN/Infinity (the run diverged); this snapshot cannot be resumed`
          : `${bad} of ${array.length} values are NaN/Infinity; this snapshot cannot be resumed`,
    });
  });
export const weightMapSchema = z.record(z.string(), weights, { error: 'must be an object of arrays' });

export const adamStateSchema = z.object(
  { step: wholeNumber, firstMoments: weightMapSchema, secondMoments: weightMapSchema },
  { error: 'must be an object' },
);
export type AdamState = z.output<typeof adamStateSchema>;

/** A regularizer's carried state: named arrays with shapes, and scalars. */
export const regularizerStateSchema = z.object(
  {
    arrays: z.record(
      z.string(),
      z
        .object({ values: weights, shape: z.array(wholeNumber, { error: 'must be a list of sizes' }) })
        .refine((array) => array.values.length === parameterSize(array.shape), {
          error: 'its values do not fill its shape',
        }),
      { error: 'must be an object of arrays' },
    ),
    scalars: z.record(z.string(), z.union([metric, z.string()], { error: 'must be a number or text' })),
  },
  { error: 'must be an object' },
);
export type RegularizerState = z.output<typeof regularizerStateSchema>;
