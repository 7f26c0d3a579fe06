interface Props {
  id?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  testId?: string;
  /** When the visible label is elsewhere (a <label for>), or none. */
  ariaLabel?: string;
  ariaDescribedBy?: string;
}

/** A checkbox announced as a switch, drawn as one by CSS. */
export function Switch({ id, checked, onChange, disabled, testId, ariaLabel, ariaDescribedBy }: Props) {
  return (
    <input
      id={id}
      type="checkbox"
      role="switch"
      class="switch"
      checked={checked}
      disabled={disabled}
      aria-checked={checked}
      aria-label={ariaLabel}
      aria-describedby={ariaDescribedBy}
      onChange={(e) => onChange(e.currentTarget.checked)}
      data-testid={testId}
    />
  );
}
