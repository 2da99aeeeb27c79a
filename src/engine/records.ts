/**
 * What a run writes as it trains, as data: one metric record per evaluation and one config event per live change.
 * The schemas are the types (MetricRecord, ConfigEvent, ProgressMeasures are inferred from them) and check the same
 * records wherever they come back from outside: a snapshot restored, a stored run, an imported file, a sweep cell.
 */
import { z } from 'zod';
import { describe, listOf } from './problems';

/** Any number, NaN and ±Infinity included: a diverged run records its non-finite loss. */
export const metric = z.custom<number>((value) => typeof value === 'number', 'must be a number');
export const wholeNumber = z.custom<number>((value) => Number.isInteger(value) && (value as number) >= 0, {
  error: (issue) => `must be a whole number ≥ 0, got ${describe(issue.input)}`,
});
const numberMap = z.record(z.string(), metric, { error: 'must be an object of numbers' });
const text = z.string({ error: 'must be text' });

/** One evaluation's live measures (tasks on a ± b mod p only). */
export const progressMeasuresSchema = z.object(
  {
    /**
     * Cross-entropy on the test pairs of the key-frequency waves fitted to the test pairs' logits alone, nats.
     * ln p (a uniform guess) when the test logits hold no wave at their right answers; below it once they do.
     */
    testWaveLoss: metric,
    /** Share of the test pairs' logit energy (each row centred over c) in the key waves, 0…1. */
    testWaveShare: metric,
    /** The test fit's key frequencies, strongest first (0 where p has fewer frequencies than KEY_FREQUENCY_COUNT). */
    key0: metric,
    key1: metric,
    key2: metric,
    key3: metric,
    key4: metric,
    /** Share of the operand embeddings' (non-constant) Fourier energy in their top KEY_FREQUENCY_COUNT frequencies. */
    embeddingTopShare: metric,
    /** Gini coefficient of the operand embeddings' energy over frequencies: 0 spread evenly, → 1 on one frequency. */
    embeddingGini: metric,
    /**
     * Set on the page once the run stops, never live (nandaProgress.ts): Nanda et al.'s restricted loss (test
     * pairs) and excluded loss (training pairs) with the final model's key frequencies. A memorizer fools them too.
     */
    afterRunRestrictedLoss: metric.optional(),
    afterRunExcludedLoss: metric.optional(),
  },
  { error: 'must be an object of numbers' },
);
export type ProgressMeasures = z.output<typeof progressMeasuresSchema>;

/** The measures an older version recorded live: restricted loss without the test-pairs wave loss. */
function isRetiredProgress(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && 'restrictedLoss' in value && !('testWaveLoss' in value)
  );
}

/** One evaluation: what the charts draw. */
export const metricRecordSchema = z.object(
  {
    step: wholeNumber,
    trainAccuracy: metric,
    testAccuracy: metric,
    trainLoss: metric,
    testLoss: metric,
    /** L2 norm of all parameters together. */
    weightNorm: metric,
    /** Mean ‖h‖₂ per site. */
    activationRadius: numberMap,
    /** Mean ‖h‖₂ / √d per site (1 = on the radial penalty's sphere). */
    radiusRatio: numberMap,
    /** Share of the loss gradient's energy at each site that is radial (the rest is angular). */
    radialShare: numberMap,
    /** Absolute gradient entropy of the training gradient, nats. */
    gradientEntropy: metric,
    /** Each active regularizer's live scalars. */
    regularizers: z.record(z.string(), numberMap, { error: 'must be an object of objects of numbers' }),
    learningRate: metric,
    /** Wall time spent training (evaluation excluded), ms. */
    trainingMs: metric,
    /**
     * Nanda et al.'s progress measures from the logits on the whole p×p table: only for (a ± b) mod p (absent
     * otherwise: see progressSupport for why). Runs saved before 2026-12-04 hold the former all-pairs
     * restricted/excluded loss instead, which memorization fools (progressMeasures.ts): those are dropped on
     * reading, never shown.
     */
    progress: z.preprocess(
      (value) => (isRetiredProgress(value) ? undefined : value),
      progressMeasuresSchema.optional(),
    ),
  },
  { error: 'must be an object' },
);
export type MetricRecord = z.output<typeof metricRecordSchema>;

/** A configuration change recorded in the run, so charts can mark it and a run can be replayed. */
export const configEventSchema = z.object(
  {
    step: wholeNumber,
    /** The regularizer id, or "optimizer" / "training" for those sections. */
    regularizer: text,
    /** Dotted key, e.g. "regularizers.radial.lambda". */
    path: text,
    from: z.unknown(),
    to: z.unknown(),
  },
  { error: 'must be an object' },
);
export type ConfigEvent = z.output<typeof configEventSchema>;

/** A run's evaluations, in step order, checked one by one (a long damaged history stops early). */
export const historySchema = listOf(metricRecordSchema, 'must be a list of evaluations', true);
export const eventsSchema = listOf(configEventSchema, 'must be a list of changes');
