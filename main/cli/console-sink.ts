/**
 * The headless console: log lines go to stdout in one write per event-loop turn rather than one per
 * line. stdout to a file or a pipe is synchronous in Node, so under load a write per request line
 * was a system call per request; batching keeps the order and loses nothing at exit (flushed then).
 */
export interface ConsoleSink {
  add(line: string): void;
  /** Writes what is buffered now (also called on process exit). */
  flush(): void;
}

/** Above this, the buffer is written at once instead of waiting for the turn to end. */
const MAX_BUFFERED_CHARS = 64 * 1024;

export function createConsoleSink(
  write: (text: string) => void,
  later: (fn: () => void) => void = (fn) => void setImmediate(fn),
): ConsoleSink {
  let buffered = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (buffered === '') return;
    const text = buffered;
    buffered = '';
    write(text);
  };
  return {
    add(line) {
      buffered += line;
      if (buffered.length >= MAX_BUFFERED_CHARS) flush();
      else if (!scheduled) {
        scheduled = true;
        later(flush);
      }
    },
    flush,
  };
}
