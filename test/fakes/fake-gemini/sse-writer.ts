/**
 * Byte-level framing of streamed answers (wire-format §1.6.1, §1.6.2, §1.6.3):
 * - `alt=sse`: `data: ` + one-line JSON + blank line, CRLF or LF, in the style of Google's writer
 *   (a space after each `:`, none after `,`, `<` and `>` escaped as `\u003c` / `\u003e`);
 * - default framing: one JSON array written element by element, pretty-printed;
 * - optional splitting of every write into small pieces at awkward offsets (inside a UTF-8
 *   sequence, between `\r` and `\n`) so the gateway's reassembly is exercised for real.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

const escapeAngles = (json: string): string => json.replace(/</g, '\\u003c').replace(/>/g, '\\u003e');

/** Compact JSON the way Google's SSE writer prints it. */
export function googleCompactJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(googleCompactJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${googleCompactJson(v)}`).join(',')}}`;
  }
  return escapeAngles(JSON.stringify(value) ?? 'null');
}

export const prettyJson = (value: unknown): string => JSON.stringify(value, null, 2);

export function sseEvent(value: unknown, lineEnding: '\r\n' | '\n'): string {
  return `data: ${googleCompactJson(value)}${lineEnding}${lineEnding}`;
}

/** One element of the streamed JSON array; the first one opens the array. */
export function arrayElement(value: unknown, first: boolean): string {
  return `${first ? '[' : '\n,\r\n'}${prettyJson(value)}`;
}

export const ARRAY_CLOSE = '\n]';

/** Deterministic pseudo-random offsets, so a failing reassembly test fails the same way twice. */
function splitOffsets(bytes: Buffer, seed: number): number[] {
  const offsets = new Set<number>();
  const firstMultiByte = bytes.findIndex((b) => b >= 0xc0);
  if (firstMultiByte >= 0) offsets.add(firstMultiByte + 1);
  for (let i = 1; i < bytes.length; i++) {
    if (bytes[i - 1] === 0x0d && bytes[i] === 0x0a) offsets.add(i);
  }
  let state = seed >>> 0 || 1;
  for (let i = 0; i < 4; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    offsets.add(1 + (state % Math.max(1, bytes.length - 1)));
  }
  return [...offsets].filter((o) => o > 0 && o < bytes.length).sort((a, b) => a - b);
}

export class ChunkWriter {
  private writes = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly splitWrites: boolean,
  ) {}

  /** Writes `text`, possibly in pieces; resolves false once the client is gone. */
  async write(text: string): Promise<boolean> {
    const bytes = Buffer.from(text, 'utf8');
    if (!this.splitWrites) return this.writeBytes(bytes);
    let start = 0;
    for (const offset of [...splitOffsets(bytes, ++this.writes), bytes.length]) {
      if (!(await this.writeBytes(bytes.subarray(start, offset)))) return false;
      start = offset;
      // A pause lets each piece leave as its own TCP segment instead of being coalesced.
      await delay(1);
    }
    return true;
  }

  private async writeBytes(bytes: Buffer): Promise<boolean> {
    if (this.res.destroyed) return false;
    if (!this.res.write(bytes)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.res.off('drain', done);
          this.res.off('close', done);
          resolve();
        };
        this.res.once('drain', done);
        this.res.once('close', done);
      });
    }
    return !this.res.destroyed;
  }
}
