import { useId, useState, type ReactNode } from 'react';
import { parseNumber } from '../logic/slider';

interface FieldProps {
  label: string;
  /** Read by screen readers before the label (e.g. the regularizer's name), not shown. */
  srPrefix?: string;
  /** The problem with the current value, shown under the control. */
  issue?: string;
  /** Shown under the control when there is no issue. */
  hint?: ReactNode;
  /** This field waits for a reset. */
  pending?: boolean;
  children(control: { id: string; describedBy: string | undefined; invalid: boolean }): ReactNode;
}

/** A labelled control with its issue (aria-invalid + aria-describedby) or hint beneath it. */
export function Field({ label, srPrefix, issue, hint, pending, children }: FieldProps) {
  const id = useId();
  const noteId = `${id}-note`;
  const note = issue ?? hint;
  return (
    <div className={`field ${issue ? 'field--invalid' : ''}`}>
      <label htmlFor={id} className="field__label">
        {srPrefix && <span className="sr-only">{srPrefix}</span>}
        {srPrefix ? ` ${label}` : label}
        {pending && (
          <span className="field__pending" title="Applies when the run is reset">
            reset to apply
          </span>
        )}
      </label>
      {children({ id, describedBy: note ? noteId : undefined, invalid: Boolean(issue) })}
      {note && (
        <p id={noteId} className={issue ? 'field__issue' : 'field__hint'} role={issue ? 'alert' : undefined}>
          {note}
        </p>
      )}
    </div>
  );
}

interface NumberInputProps {
  id?: string;
  value: number;
  onChange(value: number): void;
  min?: number;
  max?: number;
  step?: number | 'any';
  describedBy?: string;
  invalid?: boolean;
  label?: string;
  className?: string;
  disabled?: boolean;
}

function display(value: number): string {
  return Number.isFinite(value) ? String(value) : '';
}

/**
 * A number box that keeps what the user is typing ("0.", "1e-") while passing every complete number on, and
 * follows the value when it changes from elsewhere (a slider, a preset).
 */
export function NumberInput({
  id,
  value,
  onChange,
  min,
  max,
  step,
  describedBy,
  invalid,
  label,
  className,
  disabled,
}: NumberInputProps) {
  const [text, setText] = useState(display(value));
  const [shown, setShown] = useState(value);
  if (!Object.is(value, shown)) {
    setShown(value);
    if (parseNumber(text) !== value) setText(display(value));
  }
  return (
    <input
      id={id}
      type="number"
      inputMode="decimal"
      className={`number-input ${className ?? ''}`}
      value={text}
      min={min}
      max={max}
      step={step ?? 'any'}
      aria-label={label}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      disabled={disabled}
      onChange={(event) => {
        setText(event.target.value);
        const parsed = parseNumber(event.target.value);
        if (parsed !== null) onChange(parsed);
      }}
    />
  );
}
