import type { GeminiErrorBody } from '../providers/gemini/gemini-types';

/**
 * Incremental decoder for Gemini's `alt=sse` streams (wire-format §1.6.1, §1.6.3).
 *
 * Liberal in what it accepts: CRLF, LF or CR line breaks (mixed too, and a CRLF split across two
 * chunks is one break), `data:` with or without a space, multi-line data, comments and the unused
 * `event:`/`id:`/`retry:` fields. Gemini reports a failure after the stream began as raw
 * (pretty-printed) JSON without any `data:` prefix; such a block is tracked by brace depth, across
 * lines and blank lines, and surfaces as an `error` event when it is `{"error": {...}}`.
 *
 * Every character is looked at a bounded number of times: a line split over many pushes is kept as
 * pieces and joined once, so many small pushes cost no more than one big one.
 */
export type SseEvent = { type: 'data'; data: string } | { type: 'error'; error: GeminiErrorBody };

const LF = 0x0a;
const SPACE = 0x20;
const QUOTE = 0x22;
const COLON = 0x3a;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Gemini's error bodies are a few hundred bytes; anything this long without closing is junk. */
const MAX_RAW_BLOCK_CHARS = 64 * 1024;

export class SseDecoder {
  readonly #utf8 = new TextDecoder('utf-8');
  #events: SseEvent[] = [];
  /** Pieces of the line not yet terminated. */
  #partial: string[] = [];
  /** The previous text ended with CR: an LF opening the next one completes that CRLF. */
  #skipLeadingLf = false;
  /** Data buffer of the event being read; undefined when it has no `data:` line yet. */
  #data: string | undefined;
  /** Raw (non-`data:`) JSON block being read, with the string/brace state of its scanner. */
  #raw: string[] = [];
  #rawChars = 0;
  #depth = 0;
  #inString = false;
  #escaped = false;

  /** Bytes are decoded as UTF-8 with the decoder's streaming state; do not mix bytes and strings. */
  push(chunk: Uint8Array | string): SseEvent[] {
    const events: SseEvent[] = (this.#events = []);
    this.#scan(typeof chunk === 'string' ? chunk : this.#utf8.decode(chunk, { stream: true }));
    return events;
  }

  /** The body ended: flushes a last event that lacks its blank line (and a last line its break). */
  end(): SseEvent[] {
    const events: SseEvent[] = (this.#events = []);
    this.#scan(this.#utf8.decode());
    if (this.#partial.length > 0) {
      const line = this.#partial.join('');
      this.#partial = [];
      this.#line(line);
    }
    this.#dispatch();
    this.#dropRaw(); // an unclosed raw block cannot be an error body
    return events;
  }

  #scan(text: string): void {
    if (text.length === 0) return;
    let lineStart = 0;
    if (this.#skipLeadingLf) {
      this.#skipLeadingLf = false;
      if (text.charCodeAt(0) === LF) lineStart = 1;
    }
    // The next CR and the next LF are each searched for once per break they end, never rescanned.
    let cr = text.indexOf('\r', lineStart);
    let lf = text.indexOf('\n', lineStart);
    while (cr !== -1 || lf !== -1) {
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        if (cr + 1 === text.length) this.#skipLeadingLf = true;
        next = text.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1;
      } else {
        end = lf;
        next = lf + 1;
      }
      this.#line(this.#takeLine(text, lineStart, end));
      lineStart = next;
      if (cr !== -1 && cr < next) cr = text.indexOf('\r', next);
      if (lf !== -1 && lf < next) lf = text.indexOf('\n', next);
    }
    if (lineStart < text.length) this.#partial.push(lineStart === 0 ? text : text.slice(lineStart));
  }

  /** The complete line ending at `end`, joined with its pieces from earlier pushes. */
  #takeLine(text: string, start: number, end: number): string {
    const piece = text.slice(start, end);
    if (this.#partial.length === 0) return piece;
    this.#partial.push(piece);
    const line = this.#partial.join('');
    this.#partial = [];
    return line;
  }

  #line(line: string): void {
    const data = dataFieldValue(line);
    if (this.#depth > 0) {
      // Inside a raw JSON block every line, blank ones included, belongs to it. A `data:` line cannot
      // occur in JSON, so seeing one means the block was junk.
      if (data === undefined) return this.#rawLine(line, 0);
      this.#dropRaw();
    }
    if (data !== undefined) {
      this.#data = this.#data === undefined ? data : `${this.#data}\n${data}`;
    } else if (line.length === 0) {
      this.#dispatch();
    } else if (line.charCodeAt(0) !== COLON && !isIgnoredField(line)) {
      // Not SSE: maybe the start of Gemini's raw error JSON (§1.6.3); anything else is junk.
      const brace = line.indexOf('{');
      if (brace === -1) return;
      this.#dispatch(); // raw text ends the event before it, which must come out first
      this.#rawLine(line, brace);
    }
  }

  #dispatch(): void {
    const data = this.#data;
    if (data === undefined) return;
    this.#data = undefined;
    // An empty payload carries nothing a caller could parse.
    if (data.length > 0) this.#events.push({ type: 'data', data });
  }

  /** Feeds one line (from `from` on) to the raw block, tracking braces outside JSON strings. */
  #rawLine(line: string, from: number): void {
    for (let i = from; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (c === BACKSLASH) this.#escaped = true;
        else if (c === QUOTE) this.#inString = false;
      } else if (c === QUOTE) {
        this.#inString = true;
      } else if (c === OPEN_BRACE) {
        this.#depth++;
      } else if (c === CLOSE_BRACE && --this.#depth === 0) {
        // The object is complete; whatever follows it on the line is junk.
        this.#raw.push(line.slice(from, i + 1));
        return this.#closeRaw();
      }
    }
    const piece = line.slice(from);
    this.#raw.push(piece, '\n');
    this.#rawChars += piece.length + 1;
    if (this.#rawChars > MAX_RAW_BLOCK_CHARS) this.#dropRaw();
  }

  #closeRaw(): void {
    const text = this.#raw.join('');
    this.#dropRaw();
    const parsed = parseJson(text);
    if (isGeminiErrorBody(parsed)) this.#events.push({ type: 'error', error: parsed });
  }

  #dropRaw(): void {
    this.#raw = [];
    this.#rawChars = 0;
    this.#depth = 0;
    this.#inString = false;
    this.#escaped = false;
  }
}

/** The value of a `data` field line (one leading space stripped), or undefined for any other line. */
function dataFieldValue(line: string): string | undefined {
  if (!line.startsWith('data')) return undefined;
  if (line.length === 4) return ''; // a field name without colon has an empty value (SSE spec)
  if (line.charCodeAt(4) !== COLON) return undefined;
  return line.slice(line.charCodeAt(5) === SPACE ? 6 : 5);
}

/** `event:`, `id:` and `retry:` carry nothing Gemini uses. */
function isIgnoredField(line: string): boolean {
  return hasFieldName(line, 'event') || hasFieldName(line, 'id') || hasFieldName(line, 'retry');
}

function hasFieldName(line: string, name: string): boolean {
  return line.startsWith(name) && (line.length === name.length || line.charCodeAt(name.length) === COLON);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isGeminiErrorBody(value: unknown): value is GeminiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && !Array.isArray(error);
}
