interface SwitchProps {
  checked: boolean;
  label: string;
  onChange(checked: boolean): void;
  disabled?: boolean;
  /** Visible text beside the switch (the accessible name stays `label`). */
  children?: React.ReactNode;
  className?: string;
}

/** An on/off switch (role=switch) with an accessible name. */
export function Switch({ checked, label, onChange, disabled, children, className }: SwitchProps) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={label}
      disabled={disabled}
      className={`switch ${checked ? 'switch--on' : ''} ${className ?? ''}`}
      onClick={() => onChange(!checked)}
    >
      <span className="switch__track" aria-hidden="true">
        <span className="switch__thumb" />
      </span>
      {children}
    </button>
  );
}
