import { REGULARIZERS } from '../../engine/regularizers/registry';
import type { ParamSpec, RegularizerDefinition } from '../../engine/regularizers/spec';
import { SliderNumber } from '../components/ConfigFields';
import { Field } from '../components/Field';
import { Switch } from '../components/Switch';
import { REGULARIZER_ORDER, useLab, useLane } from '../store';

const DEFINITIONS = REGULARIZERS as unknown as Record<string, RegularizerDefinition>;

function ParamControl({ id, name, spec }: { id: string; name: string; spec: ParamSpec }) {
  const path = `regularizers.${id}.${name}`;
  const value = useLane(
    (state) => (state.draft.regularizers as Record<string, Record<string, unknown>>)[id]?.[name],
  );
  const issue = useLane((state) => state.issues[path]);
  const setField = useLab((state) => state.setField);
  const prefix = DEFINITIONS[id].label;
  switch (spec.kind) {
    case 'number':
      return (
        <SliderNumber
          label={spec.label}
          srPrefix={prefix}
          value={typeof value === 'number' ? value : Number.NaN}
          range={spec}
          onChange={(next) => setField(path, next)}
          issue={issue}
          hint={spec.description}
        />
      );
    case 'choice':
      return (
        <Field label={spec.label} srPrefix={prefix} issue={issue} hint={spec.description}>
          {({ id: controlId, describedBy }) => (
            <select
              id={controlId}
              value={String(value)}
              aria-describedby={describedBy}
              onChange={(event) => setField(path, event.target.value)}
            >
              {spec.options.map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          )}
        </Field>
      );
    case 'boolean':
      return (
        <Field label={spec.label} srPrefix={prefix} issue={issue} hint={spec.description}>
          {({ id: controlId, describedBy }) => (
            <input
              id={controlId}
              type="checkbox"
              checked={value === true}
              aria-describedby={describedBy}
              onChange={(event) => setField(path, event.target.checked)}
            />
          )}
        </Field>
      );
  }
}

/** One card per registry entry: switch, description and a control per parameter, all usable mid-run. */
export function RegularizerCard({ id, index }: { id: string; index: number }) {
  const definition = DEFINITIONS[id];
  const enabled = useLane(
    (state) => (state.draft.regularizers as Record<string, { enabled: boolean }>)[id]?.enabled === true,
  );
  const toggle = useLab((state) => state.toggleRegularizer);
  return (
    <section className={`reg-card ${enabled ? 'reg-card--on' : ''}`} aria-labelledby={`reg-${id}-title`}>
      <header className="reg-card__header">
        <Switch checked={enabled} label={definition.label} onChange={() => toggle(id)} />
        <h3 id={`reg-${id}-title`} className="reg-card__title">
          {definition.label}
        </h3>
        {index < 9 && (
          <kbd className="reg-card__key" title={`Press ${index + 1} to toggle`}>
            {index + 1}
          </kbd>
        )}
      </header>
      <p className="reg-card__description">{definition.description}</p>
      <details className="reg-card__params" open={enabled}>
        <summary>Settings</summary>
        {Object.entries(definition.params).map(([name, spec]) => (
          <ParamControl key={name} id={id} name={name} spec={spec} />
        ))}
        <p className="reg-card__source">Source: {definition.source}</p>
      </details>
    </section>
  );
}

/** The regularizer cards, generated from the registry: a new regularizer gets a card with no UI change. */
export function RegularizerPanel() {
  return (
    <section className="panel" aria-labelledby="regularizers-title">
      <h2 id="regularizers-title" className="panel__title">
        Regularizers <span className="panel__subtitle">apply live</span>
      </h2>
      <div className="reg-cards">
        {REGULARIZER_ORDER.map((id, index) => (
          <RegularizerCard key={id} id={id} index={index} />
        ))}
      </div>
    </section>
  );
}
