import { getPath } from '../../engine/config';
import { FIELD_LABELS } from '../logic/fields';
import { fromSliderPosition, SLIDER_STEPS, toSliderPosition, type NumericRange } from '../logic/slider';
import { useLab, useLane } from '../store';
import { Field, NumberInput } from './Field';

function useFieldState(path: string) {
  const value = useLane((state) => getPath(state.draft, path));
  const issue = useLane((state) => state.issues[path]);
  const pending = useLane((state) => state.pendingReset.includes(path));
  const setField = useLab((state) => state.setField);
  return { value, issue, pending, set: (next: unknown) => setField(path, next) };
}

interface NumberFieldProps {
  path: string;
  label?: string;
  min?: number;
  max?: number;
  step?: number;
  hint?: string;
}

/** A number box bound to one config field. */
export function NumberField({ path, label, min, max, step, hint }: NumberFieldProps) {
  const { value, issue, pending, set } = useFieldState(path);
  return (
    <Field label={label ?? FIELD_LABELS[path] ?? path} issue={issue} pending={pending} hint={hint}>
      {({ id, describedBy, invalid }) => (
        <NumberInput
          id={id}
          value={typeof value === 'number' ? value : Number.NaN}
          min={min}
          max={max}
          step={step}
          describedBy={describedBy}
          invalid={invalid}
          onChange={set}
        />
      )}
    </Field>
  );
}

interface SelectFieldProps {
  path: string;
  label?: string;
  options: readonly (string | { value: string; label: string })[];
  hint?: string;
}

/** A select bound to one config field. */
export function SelectField({ path, label, options, hint }: SelectFieldProps) {
  const { value, issue, pending, set } = useFieldState(path);
  return (
    <Field label={label ?? FIELD_LABELS[path] ?? path} issue={issue} pending={pending} hint={hint}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          value={String(value)}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          onChange={(event) => set(event.target.value)}
        >
          {options.map((option) => {
            const { value: optionValue, label: optionLabel } =
              typeof option === 'string' ? { value: option, label: option } : option;
            return (
              <option key={optionValue} value={optionValue}>
                {optionLabel}
              </option>
            );
          })}
        </select>
      )}
    </Field>
  );
}

/** A checkbox bound to one boolean config field. */
export function CheckboxField({ path, label }: { path: string; label?: string }) {
  const { value, issue, pending, set } = useFieldState(path);
  return (
    <Field label={label ?? FIELD_LABELS[path] ?? path} issue={issue} pending={pending}>
      {({ id, describedBy }) => (
        <input
          id={id}
          type="checkbox"
          checked={value === true}
          aria-describedby={describedBy}
          onChange={(event) => set(event.target.checked)}
        />
      )}
    </Field>
  );
}

interface SliderNumberProps {
  label: string;
  srPrefix?: string;
  value: number;
  range: NumericRange;
  onChange(value: number): void;
  issue?: string;
  hint?: string;
  pending?: boolean;
}

/** A slider (log-spaced for log ranges) with a number box for exact values. Both carry the same name. */
export function SliderNumber({
  label,
  srPrefix,
  value,
  range,
  onChange,
  issue,
  hint,
  pending,
}: SliderNumberProps) {
  return (
    <Field label={label} srPrefix={srPrefix} issue={issue} hint={hint} pending={pending}>
      {({ id, describedBy, invalid }) => (
        <div className="slider-number">
          <input
            id={id}
            type="range"
            min={0}
            max={SLIDER_STEPS}
            step={1}
            value={toSliderPosition(Number.isFinite(value) ? value : range.min, range)}
            aria-valuetext={String(value)}
            aria-describedby={describedBy}
            onChange={(event) => onChange(fromSliderPosition(Number(event.target.value), range))}
          />
          <NumberInput
            value={value}
            min={range.min}
            max={range.max}
            step={range.integer ? 1 : 'any'}
            label={`${srPrefix ? `${srPrefix} ` : ''}${label} value`}
            describedBy={describedBy}
            invalid={invalid}
            onChange={onChange}
          />
        </div>
      )}
    </Field>
  );
}

/** A slider + number bound to one numeric config field. */
export function SliderField({
  path,
  label,
  range,
  hint,
}: {
  path: string;
  label?: string;
  range: NumericRange;
  hint?: string;
}) {
  const { value, issue, pending, set } = useFieldState(path);
  return (
    <SliderNumber
      label={label ?? FIELD_LABELS[path] ?? path}
      value={typeof value === 'number' ? value : Number.NaN}
      range={range}
      onChange={set}
      issue={issue}
      hint={hint}
      pending={pending}
    />
  );
}
