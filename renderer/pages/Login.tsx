/** The web admin's sign-in (the desktop app needs none). */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n, useTransport } from '../app/context';
import { errorText } from '../lib/error-text';
import { LangSwitch } from '../components/LangSwitch';

export function LoginPage({ expired, onSignedIn }: { expired: boolean; onSignedIn: () => void }) {
  const { auth } = useTransport();
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = async () => {
    if (!auth || password === '') return;
    setBusy(true);
    setError(null);
    try {
      await auth.login(password);
      onSignedIn();
    } catch (err) {
      setError(errorText(err, t));
      setBusy(false);
      input.current?.select();
    }
  };

  return (
    <main class="login" data-testid="page-login">
      <form
        class="card login-card"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <header class="login-header">
          <h1>{t('login.title')}</h1>
          <LangSwitch />
        </header>
        {expired && (
          <p class="banner banner-info" role="status">
            {t('login.expired')}
          </p>
        )}
        <label for="login-password">{t('login.password')}</label>
        <input
          id="login-password"
          ref={input}
          type="password"
          autoComplete="current-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          aria-invalid={error !== null}
          aria-describedby={error ? 'login-error login-help' : 'login-help'}
          data-testid="login-password"
        />
        <p class="field-help" id="login-help">
          {t('login.help')}
        </p>
        {error && (
          <p class="field-error" id="login-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button
          type="submit"
          class="btn btn-primary"
          disabled={busy || password === ''}
          data-testid="login-submit"
        >
          {busy ? t('login.signingIn') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
