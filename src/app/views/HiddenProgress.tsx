import type { ProgressSupport } from '../../engine/metrics/progressMeasures';
import { hiddenPhase, hiddenProgressText } from '../logic/hiddenProgress';
import type { MetricRecord } from '../../worker/protocol';

export interface HiddenProgressProps {
  /** Whether the run's task has the measures: progressSupport(config.task). */
  support: ProgressSupport;
  /** The latest evaluation (undefined before the first). */
  record: MetricRecord | undefined;
  /** The modulus (restricted loss is judged against ln p). */
  p: number;
  large?: boolean;
}

/**
 * One line for the classroom: what the progress measures say while test accuracy is still flat, e.g. "Hidden
 * progress: restricted loss 0.4 → circuit forming (key frequencies 4, 11, 14)". Pure props, no store.
 */
export function HiddenProgress({ support, record, p, large = false }: HiddenProgressProps) {
  const phase = hiddenPhase(support, record, p);
  return (
    <p
      className={`hidden-progress hidden-progress--${phase} ${large ? 'hidden-progress--large' : ''}`}
      data-phase={phase}
      title="Nanda et al. 2023: the loss using only the logits' key Fourier frequencies (restricted loss) falls while the general circuit forms, before test accuracy moves."
    >
      {hiddenProgressText(support, record, p)}
    </p>
  );
}
