/**
 * Incremental reader of Gemini's default stream framing (wire-format §1.6.2): one JSON array whose
 * elements are written as they are produced, with whitespace nobody should depend on. It returns
 * the text of each top-level object as soon as its closing brace arrives, tracking braces outside
 * strings only; everything between elements (`[`, `,`, `]`, line breaks) is skipped. A bare object
 * (an error body sent without the array) comes out the same way.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

export class JsonArrayReader {
  readonly #utf8 = new TextDecoder('utf-8');
  /** Nesting of `{`/`[` outside strings, the outer array included. */
  #depth = 0;
  /** Depth at which the current element opened, or -1 between elements. */
  #elementDepth = -1;
  #pieces: string[] = [];
  #inString = false;
  #escaped = false;

  /** Bytes are decoded as UTF-8 with streaming state: a character split across pushes is fine. */
  push(chunk: Uint8Array | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.#utf8.decode(chunk, { stream: true });
    return this.#scan(text);
  }

  /** The body ended; an unfinished element is dropped (it cannot be parsed). */
  end(): string[] {
    const out = this.#scan(this.#utf8.decode());
    this.#pieces = [];
    this.#elementDepth = -1;
    return out;
  }

  #scan(text: string): string[] {
    const out: string[] = [];
    let start = this.#elementDepth >= 0 ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (c === BACKSLASH) this.#escaped = true;
        else if (c === QUOTE) this.#inString = false;
        continue;
      }
      if (c === QUOTE) {
        this.#inString = true;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        // An element is an object opened at the top level or directly inside the outer array.
        if (c === OPEN_BRACE && this.#elementDepth < 0 && this.#depth <= 1) {
          this.#elementDepth = this.#depth;
          start = i;
        }
        this.#depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.#depth = Math.max(0, this.#depth - 1);
        if (this.#elementDepth >= 0 && this.#depth === this.#elementDepth) {
          this.#pieces.push(text.slice(start, i + 1));
          out.push(this.#pieces.join(''));
          this.#pieces = [];
          this.#elementDepth = -1;
          start = -1;
        }
      }
    }
    if (this.#elementDepth >= 0 && start >= 0) this.#pieces.push(text.slice(start));
    return out;
  }
}
