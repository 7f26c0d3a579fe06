import type { ComponentChildren } from 'preact';
import type { Page as PageName } from '../app/routes';

interface Props {
  name: PageName;
  title: string;
  actions?: ComponentChildren;
  children: ComponentChildren;
}

/** A page root: `page-<name>` for e2e tests, its heading labels the region. */
export function Page({ name, title, actions, children }: Props) {
  return (
    <section class="page" data-testid={`page-${name}`} aria-labelledby={`title-${name}`}>
      <header class="page-header">
        <h1 id={`title-${name}`} tabIndex={-1}>
          {title}
        </h1>
        {actions && <div class="page-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}
