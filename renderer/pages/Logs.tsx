/**
 * Live log tail: the entries the gateway kept (getLogs), then the live subscription. Incoming lines
 * are batched (a busy gateway logs hundreds per second) and the list is bounded (LOG_CAPACITY).
 * While paused, new lines wait in a bounded queue; the view follows the bottom only when the user
 * is there, so reading older lines is not interrupted. While the live stream is down (it reconnects
 * by itself) a line says so: a quiet list would otherwise look like a quiet gateway.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { LogEntry } from '../../shared/admin-dto';
import { useI18n, useTransport } from '../app/context';
import { useAction } from '../app/hooks';
import { Banner } from '../components/Banner';
import { CopyButton } from '../components/CopyButton';
import { Page } from '../components/Page';
import { ErrorState } from '../components/States';
import { LOG_CAPACITY, mergeLogs } from '../lib/log-buffer';
import {
  filterLogs,
  isErrorLine,
  LEVEL_FILTERS,
  logLineText,
  tokensText,
  type LevelFilter,
} from '../lib/log-filter';

const FLUSH_MS = 250;
const BOTTOM_SLACK_PX = 24;

function LogLine({ entry }: { entry: LogEntry }) {
  const { fmt } = useI18n();
  const r = entry.request;
  const statusClass = r ? (r.status >= 500 ? 's5' : r.status >= 400 ? 's4' : 's2') : '';
  return (
    <div
      class={`log-line level-${entry.level}${isErrorLine(entry) ? ' log-error' : ''}`}
      data-testid="log-line"
      data-level={entry.level}
    >
      <time class="log-time" dateTime={new Date(entry.time).toISOString()}>
        {fmt.time(entry.time)}
      </time>
      <span class="log-level">{entry.level}</span>
      {r ? (
        <span class="log-request">
          <span class="log-ip">{r.ip}</span> <span class="log-method">{r.method}</span>{' '}
          <span class="log-path">{r.path}</span> <span class={`log-status ${statusClass}`}>{r.status}</span>{' '}
          <span class="log-latency">{Math.round(r.latencyMs)} ms</span>
          {r.model && <span class="log-model"> {r.model}</span>}
          {r.key && <span class="log-key"> {r.key}</span>}
          {tokensText(r) && <span class="log-tokens"> {tokensText(r)}</span>}
          {r.errorCode && <span class="log-code"> {r.errorCode}</span>}
        </span>
      ) : (
        <span class="log-message">{entry.message}</span>
      )}
    </div>
  );
}

export function LogsPage() {
  const { admin, subscribeLogs } = useTransport();
  const { t, fmt } = useI18n();
  const { busy, run } = useAction();
  const [entries, setEntries] = useState<readonly LogEntry[]>([]);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [streamDown, setStreamDown] = useState(false);
  const [paused, setPaused] = useState(false);
  const [waiting, setWaiting] = useState(0);
  const [level, setLevel] = useState<LevelFilter>('all');
  const [text, setText] = useState('');
  const queue = useRef<LogEntry[]>([]);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const list = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    // Subscribe first, then load what the gateway kept: nothing falls between the two, and
    // mergeLogs drops what both delivered.
    setStreamDown(false);
    const unsubscribe = subscribeLogs(
      (entry) => {
        // Bounded even while paused: the oldest waiting lines would fall off the list anyway.
        if (queue.current.push(entry) > LOG_CAPACITY) queue.current.shift();
      },
      (live) => setStreamDown(!live),
    );
    const flush = () => {
      if (pausedRef.current) {
        setWaiting(queue.current.length);
        return;
      }
      if (queue.current.length === 0) return;
      const batch = queue.current;
      queue.current = [];
      setWaiting(0);
      setEntries((current) => mergeLogs(current, batch));
    };
    const timer = setInterval(flush, FLUSH_MS);
    admin.getLogs().then(
      (initial) => {
        setLoadError(undefined);
        setEntries((current) => mergeLogs(current, initial));
      },
      (err: unknown) => setLoadError(err),
    );
    return () => {
      clearInterval(timer);
      unsubscribe();
    };
  }, [admin, subscribeLogs, generation]);

  const visible = useMemo(() => filterLogs(entries, { level, text }), [entries, level, text]);

  useLayoutEffect(() => {
    const el = list.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [visible]);

  const onScroll = () => {
    const el = list.current;
    if (el) atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK_PX;
  };

  const clear = async () => {
    const done = await run('clear', async () => {
      await admin.clearLogs();
      return true;
    });
    if (done) {
      queue.current = [];
      setEntries([]);
    }
  };

  const copyVisible = () => visible.map((e) => logLineText(e, fmt.time(e.time))).join('\n');

  return (
    <Page
      name="logs"
      title={t('logs.title')}
      actions={
        <>
          <button
            type="button"
            class={paused ? 'btn btn-primary' : 'btn'}
            aria-pressed={paused}
            onClick={() => setPaused((p) => !p)}
            data-testid="logs-pause"
          >
            {paused ? t('logs.resume') : t('logs.pause')}
          </button>
          <CopyButton
            text={async () => copyVisible()}
            label={t('logs.copy')}
            class="btn"
            testId="logs-copy"
          />
          <button
            type="button"
            class="btn btn-danger"
            onClick={() => void clear()}
            disabled={busy !== null}
            data-testid="logs-clear"
          >
            {t('logs.clear')}
          </button>
        </>
      }
    >
      <div class="toolbar">
        <label>
          {t('logs.level')}{' '}
          <select
            value={level}
            onChange={(e) => setLevel(e.currentTarget.value as LevelFilter)}
            data-testid="logs-level"
          >
            {LEVEL_FILTERS.map((l) => (
              <option key={l} value={l}>
                {t(`logs.level.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <label class="grow">
          <span class="visually-hidden">{t('logs.filter')}</span>
          <input
            type="search"
            placeholder={t('logs.filterPlaceholder')}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            data-testid="logs-filter"
          />
        </label>
        <span class="muted" aria-live="polite" data-testid="logs-count">
          {paused && waiting > 0
            ? t('logs.waiting', { count: fmt.number(waiting) })
            : t('logs.count', { shown: fmt.number(visible.length), total: fmt.number(entries.length) })}
        </span>
      </div>
      {loadError !== undefined && (
        <ErrorState error={loadError} onRetry={() => setGeneration((g) => g + 1)} />
      )}
      {streamDown && (
        <Banner kind="warning" testId="logs-reconnecting">
          {t('logs.reconnecting')}
        </Banner>
      )}
      <div
        class="log-list"
        ref={list}
        onScroll={onScroll}
        role="log"
        aria-live="off" // hundreds of lines a second would drown a screen reader; the list stays readable
        aria-label={t('logs.title')}
        tabIndex={0}
        data-testid="log-list"
      >
        {visible.length === 0 ? (
          <p class="muted log-empty">{entries.length === 0 ? t('logs.empty') : t('logs.noMatch')}</p>
        ) : (
          visible.map((entry) => <LogLine key={entry.id} entry={entry} />)
        )}
      </div>
    </Page>
  );
}
