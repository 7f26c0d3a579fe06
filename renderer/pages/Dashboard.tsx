/** Server status, the address and password clients need, how to connect, and what needs attention. */
import type { GatewayStatus, GatewayWarning } from '../../shared/admin-dto';
import { useI18n, useTransport } from '../app/context';
import { useAction, useLoad, useNow, usePolling } from '../app/hooks';
import { Banner } from '../components/Banner';
import { CopyButton } from '../components/CopyButton';
import { Page } from '../components/Page';
import { SecretValue } from '../components/SecretValue';
import { LoadStates } from '../components/States';
import { Switch } from '../components/Switch';
import type { MessageKey } from '../i18n/index';
import { apiBaseOf } from '../lib/api-http';
import { clientEndpoints, openaiSnippet, type ClientEndpoints } from '../lib/endpoints';
import { listenErrorText } from '../lib/listen-problem';
import { unreadableSecretsText } from '../lib/unreadable-secrets';
import { SECRET_MASK } from '../../shared/admin-contract';

const DANGER: ReadonlySet<GatewayWarning> = new Set(['default_password_exposed', 'server_not_running']);
const FIX_PAGE: Partial<Record<GatewayWarning, ['settings' | 'keys', MessageKey]>> = {
  default_password_exposed: ['settings', 'warning.fixSettings'],
  storage_misconfigured: ['settings', 'warning.fixSettings'],
  secrets_unreadable: ['settings', 'warning.fixSettings'],
  no_keys: ['keys', 'warning.fixKeys'],
  all_keys_unavailable: ['keys', 'warning.fixKeys'],
};

function Warnings({ status }: { status: GatewayStatus }) {
  const { t, lang } = useI18n();
  const listenError = listenErrorText(status, t, lang);
  const warningText = (warning: GatewayWarning): string => {
    if (warning === 'server_not_running') {
      return listenError
        ? t('warning.server_not_running', { error: listenError })
        : t('warning.serverStopped');
    }
    if (warning === 'secrets_unreadable') return unreadableSecretsText(status.unreadableSecrets, t, lang);
    return t(`warning.${warning}`, { host: status.listening?.host ?? '' });
  };
  return (
    <>
      {status.warnings.map((warning) => {
        const fix = FIX_PAGE[warning];
        return (
          <Banner
            key={warning}
            kind={DANGER.has(warning) ? 'danger' : 'warning'}
            testId={`warning-${warning}`}
          >
            <span>{warningText(warning)}</span>
            {fix && (
              <a class="btn btn-small" href={`#/${fix[0]}`}>
                {t(fix[1])}
              </a>
            )}
          </Banner>
        );
      })}
    </>
  );
}

/** `stale`: the gateway stopped answering; what it said last is no news of its state now. */
function StatusCard({
  status,
  fetchedAt,
  stale,
}: {
  status: GatewayStatus;
  fetchedAt: number;
  stale: boolean;
}) {
  const { t, fmt } = useI18n();
  const now = useNow(1000);
  const uptime = status.uptimeSeconds + Math.max(0, (now - fetchedAt) / 1000);
  const { keys } = status;
  const [stateClass, stateText] = stale
    ? ['badge-warning', t('dashboard.unreachable')]
    : status.listening
      ? ['badge-ok', t('dashboard.running')]
      : ['badge-danger', t('dashboard.stopped')];
  return (
    <section class="card" aria-labelledby="status-title" data-testid="status-card">
      <h2 id="status-title">{t('dashboard.server')}</h2>
      <dl class="facts">
        <dt>{t('dashboard.state')}</dt>
        <dd>
          <span class={`badge ${stateClass}`} data-testid="server-state">
            {stateText}
          </span>
        </dd>
        <dt>{t('dashboard.address')}</dt>
        <dd data-testid="listen-address">
          {status.listening ? `${status.listening.host}:${status.listening.port}` : '—'}
        </dd>
        <dt>{t('dashboard.uptime')}</dt>
        <dd data-testid="uptime">{status.listening && !stale ? fmt.duration(uptime) : '—'}</dd>
        <dt>{t('dashboard.version')}</dt>
        <dd data-testid="version">{status.version}</dd>
        <dt>{t('dashboard.mode')}</dt>
        <dd>{t(status.mode === 'tray' ? 'dashboard.modeTray' : 'dashboard.modeHeadless')}</dd>
        <dt>{t('dashboard.keys')}</dt>
        <dd>
          <a href="#/keys">
            {t('dashboard.keysSummary', {
              total: fmt.number(keys.total),
              active: fmt.number(keys.active),
              cooling: fmt.number(keys.cooling),
              disabled: fmt.number(keys.disabled),
            })}
          </a>
        </dd>
      </dl>
    </section>
  );
}

/** Desktop only: start/stop the listener, launch at login. */
function DesktopCard({ running, onChanged }: { running: boolean; onChanged: () => void }) {
  const { desktop } = useTransport();
  const { t } = useI18n();
  const { busy, run } = useAction();
  const launch = useLoad(async () => (desktop ? desktop.getLaunchAtLogin() : false), []);
  if (!desktop) return null;
  const toggleServer = async () => {
    await run('server', () => (running ? desktop.stopServer() : desktop.startServer()));
    onChanged();
  };
  const setLaunch = async (enabled: boolean) => {
    await run('launch', () => desktop.setLaunchAtLogin(enabled));
    await launch.reload();
  };
  return (
    <section class="card" aria-labelledby="desktop-title">
      <h2 id="desktop-title">{t('dashboard.desktop')}</h2>
      <div class="row">
        <button
          type="button"
          class={running ? 'btn' : 'btn btn-primary'}
          onClick={() => void toggleServer()}
          disabled={busy !== null}
          data-testid="server-toggle"
        >
          {running ? t('dashboard.stop') : t('dashboard.start')}
        </button>
      </div>
      <div class="row">
        <Switch
          id="launch-at-login"
          checked={launch.data === true}
          disabled={launch.data === undefined || busy !== null}
          onChange={(v) => void setLaunch(v)}
          testId="launch-at-login"
        />
        <label for="launch-at-login">{t('dashboard.launchAtLogin')}</label>
      </div>
    </section>
  );
}

function ConnectionCard({
  endpoints,
  password,
}: {
  endpoints: ClientEndpoints;
  password: () => Promise<string>;
}) {
  const { t } = useI18n();
  return (
    <section class="card" aria-labelledby="connection-title" data-testid="connection-card">
      <h2 id="connection-title">{t('dashboard.connection')}</h2>
      <dl class="facts">
        <dt>{t('dashboard.baseUrl')}</dt>
        <dd class="copy-row">
          <code data-testid="base-url">{endpoints.v1}</code>
          <CopyButton text={endpoints.v1} testId="copy-base-url" />
        </dd>
        <dt>{t('dashboard.password')}</dt>
        <dd>
          <SecretValue reveal={password} testId="password" />
        </dd>
      </dl>
    </section>
  );
}

function ClientRow({
  label,
  value,
  copy,
}: {
  label: string;
  value: string;
  copy: string | (() => Promise<string>);
}) {
  return (
    <>
      <dt>{label}</dt>
      <dd class="copy-row">
        <code>{value}</code>
        <CopyButton text={copy} />
      </dd>
    </>
  );
}

function HowToConnect({
  endpoints,
  password,
}: {
  endpoints: ClientEndpoints;
  password: () => Promise<string>;
}) {
  const { t } = useI18n();
  const snippet = (key: string) => openaiSnippet(endpoints.v1, key);
  return (
    <section class="card card-wide" aria-labelledby="connect-title" data-testid="how-to-connect">
      <h2 id="connect-title">{t('connect.title')}</h2>
      <div class="connect-grid">
        <article>
          <h3>Chatbox</h3>
          <p class="muted">{t('connect.chatboxWhere')}</p>
          <dl class="facts">
            <ClientRow label={t('connect.apiHost')} value={endpoints.origin} copy={endpoints.origin} />
            <ClientRow label={t('connect.apiKey')} value={SECRET_MASK} copy={password} />
            <ClientRow label={t('connect.model')} value="gemini-2.5-flash" copy="gemini-2.5-flash" />
          </dl>
        </article>
        <article>
          <h3>Cherry Studio</h3>
          <p class="muted">{t('connect.cherryWhere')}</p>
          <dl class="facts">
            <ClientRow label={t('connect.apiAddress')} value={endpoints.origin} copy={endpoints.origin} />
            <ClientRow label={t('connect.apiKey')} value={SECRET_MASK} copy={password} />
          </dl>
        </article>
        <article>
          <h3>{t('connect.sdk')}</h3>
          <p class="muted">{t('connect.sdkWhere')}</p>
          <pre class="code">{snippet(SECRET_MASK)}</pre>
          <CopyButton
            text={async () => snippet(await password())}
            label={t('connect.copyCode')}
            testId="copy-snippet"
          />
        </article>
      </div>
    </section>
  );
}

export function DashboardPage() {
  const { admin, kind } = useTransport();
  const { t } = useI18n();
  const status = useLoad(() => admin.getStatus(), []);
  usePolling(() => void status.reload(), 5000);
  const password = () => admin.revealSecret('password');

  const { data, loadedAt } = status;
  const stale = data !== undefined && status.error !== undefined;
  const endpoints =
    data?.listening &&
    clientEndpoints({
      baseUrl: data.listening.baseUrl,
      publicUrl: data.publicUrl,
      // The web admin: the address this browser reached the gateway at (behind any path prefix).
      pageOrigin: kind === 'http' ? location.origin + apiBaseOf(location.pathname) : null,
    });

  return (
    <Page name="dashboard" title={t('dashboard.title')}>
      <LoadStates loaded={status} />
      {data && loadedAt !== undefined && (
        <>
          <Warnings status={data} />
          <div class="cards">
            <StatusCard status={data} fetchedAt={loadedAt} stale={stale} />
            {endpoints && <ConnectionCard endpoints={endpoints} password={password} />}
            <DesktopCard running={data.listening !== null} onChanged={() => void status.reload()} />
          </div>
          {endpoints && <HowToConnect endpoints={endpoints} password={password} />}
        </>
      )}
    </Page>
  );
}
