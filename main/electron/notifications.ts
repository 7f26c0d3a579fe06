/**
 * Desktop notifications for what needs the user while the window is closed: the server could not
 * start (or move), no Gemini key is usable, a key was disabled. The key pool has no events and stays
 * pure, so its state is re-read shortly after log activity (every request and every key check logs),
 * with a debounce: a burst of failing requests produces one look and at most one notification per kind.
 */
import { listenFailureText } from '../../shared/listen-problem';
import type { GatewayCore } from '../server/core';
import type { ServerHost, ServerHostStatus } from './server-host';
import type { ListenFix, ShellText } from './tray-i18n';

export interface NotifierDeps {
  core: Pick<GatewayCore, 'log' | 'keys'>;
  host: Pick<ServerHost, 'onChange'>;
  text: ShellText;
  notify: (title: string, body: string) => void;
  /** How long log activity must settle before the key pool is read again. */
  debounceMs?: number;
}

const MAX_KEYS_NAMED = 3;

/** Title and body for a listener that failed, in the tray's language, with advice fitting the cause. */
function listenFailureNotice(
  status: ServerHostStatus,
  error: string,
  text: ShellText,
): [title: string, body: string] {
  // A failed move leaves the old listener serving, and `listening` still names it.
  const moved = status.listening !== null;
  const title = moved ? text.notifyListenMoveFailedTitle : text.notifyListenFailedTitle;
  if (status.blocked === true) return [title, text.notifyBlockedBody(error)];
  const code = status.listenProblem?.code;
  // The address is to blame for these two; for the port's and unknown causes, the port is the usual fix.
  const fix: ListenFix = code === 'address_unavailable' || code === 'host_unresolved' ? 'host' : 'port';
  return [title, text.notifyListenFailedBody(error, fix, moved)];
}

export function watchForNotifications(deps: NotifierDeps): () => void {
  const { core, text, notify } = deps;
  const debounceMs = deps.debounceMs ?? 1500;
  let lastListenError: string | null = null;
  // Keys disabled before we started watching are old news; the start-up key check comes after.
  let disabled = new Set(
    core.keys
      .health()
      .filter((k) => k.status === 'disabled')
      .map((k) => k.id),
  );
  let allUnavailableShown = false;
  let timer: NodeJS.Timeout | undefined;

  const checkKeys = () => {
    timer = undefined;
    const health = core.keys.health();
    const nowDisabled = health.filter((k) => k.status === 'disabled');
    const fresh = nowDisabled.filter((k) => !disabled.has(k.id));
    disabled = new Set(nowDisabled.map((k) => k.id));
    if (fresh.length > 0) {
      const named = fresh.slice(0, MAX_KEYS_NAMED).map((k) => k.masked);
      const more = fresh.length > MAX_KEYS_NAMED ? ` +${fresh.length - MAX_KEYS_NAMED}` : '';
      notify(text.notifyKeyDisabledTitle(fresh.length), text.notifyKeyDisabledBody(named.join(', ') + more));
    }
    const a = core.keys.availability();
    const unavailable = a.total > 0 && a.active === 0;
    if (unavailable && !allUnavailableShown) notify(text.notifyAllKeysTitle, text.notifyAllKeysBody(a.total));
    // Shown once per outage: it may be shown again after a key came back.
    allUnavailableShown = unavailable;
  };

  const offLog = core.log.subscribe(() => {
    timer ??= setTimeout(checkKeys, debounceMs);
  });
  const offHost = deps.host.onChange((status) => {
    const error = listenFailureText(status, text.listen);
    // Compared by the listener's English words: one notice per distinct failure, whatever the language.
    if (error !== null && status.listenError !== lastListenError) {
      notify(...listenFailureNotice(status, error, text));
    }
    lastListenError = status.listenError;
  });

  return () => {
    offLog();
    offHost();
    clearTimeout(timer);
  };
}
