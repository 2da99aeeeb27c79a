import type { ProgressSupport } from '../../engine/metrics/progressMeasures';
import { hiddenPhase, hiddenProgressText } from '../logic/hiddenProgress';
import type { MetricRecord } from '../../worker/protocol';

export interface HiddenProgressProps {
  /** Whether the run's task has the measures: progressSupport(config.task). */
  support: ProgressSupport;
  /** The latest evaluation (undefined before the first). */
  record: MetricRecord | undefined;
  /** The modulus (the wave loss is judged against ln p). */
  p: number;
  large?: boolean;
}

/**
 * One line for the classroom: what the live progress measures say while test accuracy is still flat, e.g. "Hidden
 * progress: test logits line up with waves (frequencies 4, 11, 14) · wave loss 2.1 vs ln p 3.43". Pure props.
 */
export function HiddenProgress({ support, record, p, large = false }: HiddenProgressProps) {
  const phase = hiddenPhase(support, record, p);
  return (
    <p
      className={`hidden-progress hidden-progress--${phase} ${large ? 'hidden-progress--large' : ''}`}
      data-phase={phase}
      title="Waves cos(w(a±b−c)) fitted to the test pairs' logits alone, scored on the test pairs: below ln p (a uniform guess) they peak at answers the model never trained on. A model that only memorizes holds no such waves (checked on memorize-only runs: bench/results/progress-alarms)."
    >
      {hiddenProgressText(support, record, p)}
    </p>
  );
}
