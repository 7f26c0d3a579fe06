/** The window: sign-in when the web admin has no session, else navigation and the current page. */
import type { FunctionComponent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { LangSwitch } from '../components/LangSwitch';
import type { Transport } from '../lib/api';
import { DashboardPage } from '../pages/Dashboard';
import { GalleryPage } from '../pages/Gallery';
import { KeysPage } from '../pages/Keys';
import { LoginPage } from '../pages/Login';
import { LogsPage } from '../pages/Logs';
import { SettingsPage } from '../pages/Settings';
import { UsagePage } from '../pages/Usage';
import { I18nContext, TransportContext, useI18n, useTransport } from './context';
import { useI18nState } from './i18n-state';
import { hrefOf, PAGES, useRoute, type Page } from './routes';
import { ToastProvider } from './toast';

const PAGE_COMPONENTS: Record<Page, FunctionComponent> = {
  dashboard: DashboardPage,
  settings: SettingsPage,
  keys: KeysPage,
  usage: UsagePage,
  logs: LogsPage,
  gallery: GalleryPage,
};

function Shell() {
  const { auth } = useTransport();
  const { t } = useI18n();
  const page = useRoute();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const Current = PAGE_COMPONENTS[page];

  // After navigating, move focus to the new page's heading so keyboard and screen-reader users
  // land on it (not on the first load: the focus stays where the browser put it).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [page]);

  return (
    <div class="shell">
      <button
        type="button"
        class="skip-link"
        onClick={() => main.current?.querySelector<HTMLElement>('h1')?.focus()}
      >
        {t('app.skip')}
      </button>
      <header class="topbar">
        <span class="brand">{t('app.title')}</span>
        <div class="topbar-tools">
          <LangSwitch />
          {auth && (
            <button
              type="button"
              class="btn btn-small"
              onClick={() => void auth.logout()}
              data-testid="logout"
            >
              {t('app.logout')}
            </button>
          )}
        </div>
      </header>
      <nav class="nav" aria-label={t('nav.label')}>
        <ul>
          {PAGES.map((p) => (
            <li key={p}>
              <a href={hrefOf(p)} aria-current={p === page ? 'page' : undefined} data-testid={`nav-${p}`}>
                {t(`nav.${p}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main class="content" ref={main}>
        <Current key={page} />
      </main>
    </div>
  );
}

export function App({ transport }: { transport: Transport }) {
  const i18n = useI18nState();
  const { auth } = transport;
  const [signedIn, setSignedIn] = useState(() => auth?.signedIn() ?? true);
  const [expired, setExpired] = useState(false);

  useEffect(
    () =>
      auth?.onSignedOut((reason) => {
        setSignedIn(false);
        setExpired(reason === 'expired');
      }),
    [auth],
  );

  return (
    <TransportContext.Provider value={transport}>
      <I18nContext.Provider value={i18n}>
        <ToastProvider>
          {signedIn ? (
            <Shell />
          ) : (
            <LoginPage
              expired={expired}
              onSignedIn={() => {
                setExpired(false);
                setSignedIn(true);
              }}
            />
          )}
        </ToastProvider>
      </I18nContext.Provider>
    </TransportContext.Provider>
  );
}
