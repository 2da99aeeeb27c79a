/**
 * What the science report and docs/results.md say about "hidden progress" for the method suites' stored runs.
 *
 * Those runs recorded the lab's former live measures: restricted/excluded loss fitted to ALL pairs, which a
 * network that only memorizes fools (its logit spike at the right answers of the training pairs projects onto
 * every frequency). Their "forecast" is retracted, not re-tabled: the measures that replaced them, and what they
 * do on memorize-only runs, are in bench/results/progress-alarms/README.md (bench/progressAlarms.ts).
 */
import { hasProgress, type RunResult } from './results';

export const RETRACTION =
  '**Hidden progress: retracted (2026-12-04).** Earlier versions of this report tabled when the restricted loss ' +
  '(logits fitted with five Fourier frequencies over all pairs) fell below 1 and 0.2 nat, as a forecast of grokking. ' +
  'That measure is fooled by memorization: in memorize-only runs (weight decay 0) it falls as fast and as far as in ' +
  'grokking runs, because a memorizer’s logit spike at the right answers of the training pairs projects onto every ' +
  'frequency. Its firing steps here were the memorization phase, not hidden progress. The live measure that replaced ' +
  'it (waves fitted to the test pairs’ logits alone), Nanda et al.’s exact after-the-run measures, and both on ' +
  'memorize-only runs are in [progress-alarms/README.md](progress-alarms/README.md).';

/** The report's paragraph for a group whose stored runs carry the retired measures; empty when none do. */
export function progressTable(methods: readonly { runs: readonly RunResult[] }[]): string[] {
  return methods.some(({ runs }) => runs.some(hasProgress)) ? [RETRACTION, ''] : [];
}

/** docs/results.md's line for a group with the retired measures (null when none). */
export function progressSentence(runs: readonly RunResult[]): string | null {
  if (!runs.some(hasProgress)) return null;
  return (
    'Hidden progress: the restricted-loss "forecast" formerly given here is retracted — memorize-only runs fire it ' +
    'too (bench/results/progress-alarms/README.md).'
  );
}
