/**
 * After a save that restarts the listener: polls the status until the gateway listens again (or
 * reports why it cannot). In the web admin a new host/port also moves the admin itself, so when
 * the gateway stays unreachable the notice says where to look.
 */
import { useEffect, useState } from 'preact/hooks';
import type { GatewayStatus } from '../../shared/admin-dto';
import { useI18n, useTransport } from '../app/context';
import { Banner } from '../components/Banner';
import { listenErrorText } from '../lib/listen-problem';

/** `failed`: the status that says why (worded at render time, in the current language), or null. */
type Phase =
  | { kind: 'waiting' }
  | { kind: 'listening'; address: string }
  | { kind: 'failed'; status: GatewayStatus | null };

const POLL_MS = 1000;
const MAX_POLLS = 20;

export function RestartNotice() {
  const { admin } = useTransport();
  const { t, lang } = useI18n();
  const [phase, setPhase] = useState<Phase>({ kind: 'waiting' });

  useEffect(() => {
    let polls = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      polls += 1;
      try {
        const status = await admin.getStatus();
        if (status.listening) {
          return setPhase({
            kind: 'listening',
            address: `${status.listening.host}:${status.listening.port}`,
          });
        }
        if (status.listenError) return setPhase({ kind: 'failed', status });
      } catch {
        // the listener is down for a moment (or moved): keep polling
      }
      if (polls >= MAX_POLLS) return setPhase({ kind: 'failed', status: null });
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    timer = setTimeout(() => void poll(), POLL_MS);
    return () => clearTimeout(timer);
  }, [admin]);

  if (phase.kind === 'waiting') {
    return (
      <Banner kind="info" testId="restart-notice">
        {t('settings.restarting')}
      </Banner>
    );
  }
  if (phase.kind === 'listening') {
    return (
      <Banner kind="info" testId="restart-notice">
        {t('settings.restarted', { address: phase.address })}
      </Banner>
    );
  }
  const reason = phase.status && listenErrorText(phase.status, t, lang);
  return (
    <Banner kind="danger" testId="restart-notice">
      {reason ? t('settings.restartFailed', { error: reason }) : t('settings.restartUnreachable')}
    </Banner>
  );
}
