/**
 * What the fake upstreams record: every request in arrival order, and tests waiting for one that
 * matches. An entry is offered to the waiters when it arrives and again when it changes (an abort),
 * so a test can wait for "the request that was aborted".
 */
export interface RequestLog<T> {
  readonly requests: T[];
  record: (entry: T) => void;
  /** Offers a recorded entry to the waiters again, after it changed. */
  notify: (entry: T) => void;
  waitFor: (predicate: (entry: T) => boolean, timeoutMs?: number) => Promise<T>;
}

const DEFAULT_WAIT_MS = 5_000;

/** `name` and `describe` make the timeout message: "<name>: no matching request … (seen: …)". */
export function createRequestLog<T>(name: string, describe: (entry: T) => string): RequestLog<T> {
  const requests: T[] = [];
  const waiters = new Set<{ predicate: (entry: T) => boolean; resolve: (entry: T) => void }>();
  const notify = (entry: T) => {
    for (const waiter of [...waiters]) {
      if (waiter.predicate(entry)) {
        waiters.delete(waiter);
        waiter.resolve(entry);
      }
    }
  };
  return {
    requests,
    record: (entry) => {
      requests.push(entry);
      notify(entry);
    },
    notify,
    waitFor: (predicate, timeoutMs = DEFAULT_WAIT_MS) => {
      const existing = requests.find(predicate);
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (entry: T) => {
            clearTimeout(timer);
            resolve(entry);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = requests.map(describe).join(', ') || 'none';
          reject(new Error(`${name}: no matching request within ${timeoutMs} ms (seen: ${seen})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
  };
}
