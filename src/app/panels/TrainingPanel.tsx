import { NumberField, SliderField } from '../components/ConfigFields';

/** Optimizer and run settings: these apply live, mid-run. */
export function TrainingPanel() {
  return (
    <section className="panel" aria-labelledby="training-title">
      <h2 id="training-title" className="panel__title">
        Optimizer &amp; run <span className="panel__subtitle">apply live</span>
      </h2>
      <p className="panel__note">
        AdamW, full batch unless a batch size is set; weight decay is a regularizer below.
      </p>
      <div className="field-grid">
        <SliderField path="optimizer.lr" range={{ min: 1e-5, max: 1e-1, scale: 'log' }} />
        <NumberField path="optimizer.batchSize" min={0} step={1} hint="0 = full batch" />
        <NumberField path="optimizer.beta2" min={0} max={0.9999} step={0.001} />
        <NumberField path="optimizer.warmupSteps" min={0} step={1} />
        <SliderField
          path="training.grokThreshold"
          range={{ min: 0.5, max: 1, scale: 'linear' }}
          hint="Test accuracy that counts as grokked."
        />
        <NumberField path="training.maxSteps" min={1} step={1} hint="Training stops here." />
        <NumberField
          path="training.stopAfterGrok"
          min={0}
          step={1}
          hint="Stop this many steps after grokking (0 = keep going)."
        />
        <NumberField
          path="training.evalEvery"
          min={0}
          step={1}
          hint="0 = adaptive (dense early, sparse later)."
        />
      </div>
    </section>
  );
}
