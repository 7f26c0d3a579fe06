import type { ComponentChildren } from 'preact';

interface Props {
  kind: 'danger' | 'warning' | 'info';
  children: ComponentChildren;
  testId?: string;
}

/** A danger banner interrupts screen readers (role=alert); the others are announced politely. */
export function Banner({ kind, children, testId }: Props) {
  return (
    <div class={`banner banner-${kind}`} role={kind === 'danger' ? 'alert' : 'status'} data-testid={testId}>
      {children}
    </div>
  );
}
