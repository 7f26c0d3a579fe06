/** A row of toggle buttons, one pressed: the Usage page's period and what its breakdown charts count. */

interface Props<T extends string> {
  label: string;
  options: readonly T[];
  value: T;
  onChange: (value: T) => void;
  text: (option: T) => string;
  /** Each button is `<testId>-<option>`. */
  testId: string;
}

export function Segmented<T extends string>({ label, options, value, onChange, text, testId }: Props<T>) {
  return (
    <div class="segmented" role="group" aria-label={label}>
      {options.map((option) => (
        <button
          key={option}
          type="button"
          class="btn btn-small"
          aria-pressed={option === value}
          onClick={() => onChange(option)}
          data-testid={`${testId}-${option}`}
        >
          {text(option)}
        </button>
      ))}
    </div>
  );
}
