/**
 * Bytes that arrived in chunks, read as one sequence without joining them. A 20 MB image request is
 * ~430 socket chunks; joining them costs a 28 MB copy and 28 MB more for the garbage collector to
 * account for, only to cut most of it out again (large-data-urls.ts). Node's HTTP parser hands each
 * body chunk over as its own copy, so holding views of them is safe.
 */
export class ByteRope {
  readonly length: number;
  readonly #chunks: Buffer[];
  /** Offset of each chunk's first byte in the whole. */
  readonly #starts: number[];
  /** The chunk of the last lookup: reads are mostly close to the previous one. */
  #last = 0;

  constructor(chunks: readonly Buffer[]) {
    this.#chunks = chunks.filter((c) => c.length > 0);
    this.#starts = [];
    let offset = 0;
    for (const chunk of this.#chunks) {
      this.#starts.push(offset);
      offset += chunk.length;
    }
    this.length = offset;
  }

  /** Index of the chunk holding byte `pos` (0 ≤ pos < length). */
  #chunkAt(pos: number): number {
    const starts = this.#starts;
    const last = this.#last;
    if (pos >= starts[last]! && pos < starts[last]! + this.#chunks[last]!.length) return last;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    this.#last = lo;
    return lo;
  }

  at(pos: number): number | undefined {
    if (pos < 0 || pos >= this.length) return undefined;
    const i = this.#chunkAt(pos);
    return this.#chunks[i]![pos - this.#starts[i]!];
  }

  /** First position ≥ `from` where `needle` starts, or -1; found across chunk boundaries too. */
  indexOf(needle: Buffer | number, from = 0): number {
    if (from >= this.length) return -1;
    const width = typeof needle === 'number' ? 1 : needle.length;
    for (let i = this.#chunkAt(Math.max(0, from)); i < this.#chunks.length; i++) {
      const chunk = this.#chunks[i]!;
      const base = this.#starts[i]!;
      const local = Math.max(0, from - base);
      const hit = chunk.indexOf(needle, local);
      if (hit !== -1) return base + hit;
      if (width > 1 && i + 1 < this.#chunks.length) {
        // A match that starts in this chunk's last bytes and ends in the next one(s).
        const tail = base + Math.max(local, chunk.length - (width - 1));
        const window = this.copy(tail, Math.min(this.length, base + chunk.length + width - 1));
        const across = window.indexOf(needle);
        if (across !== -1) return tail + across;
      }
    }
    return -1;
  }

  /** Last position in [notBefore, from] holding `byte`, or -1. */
  lastIndexOf(byte: number, from: number, notBefore = 0): number {
    for (let pos = Math.min(from, this.length - 1); pos >= Math.max(0, notBefore); pos--) {
      if (this.at(pos) === byte) return pos;
    }
    return -1;
  }

  /** The bytes [start, end) as views of the chunks (no copy). */
  pieces(start: number, end: number): Buffer[] {
    const out: Buffer[] = [];
    if (start >= end) return out;
    for (let i = this.#chunkAt(start); i < this.#chunks.length && this.#starts[i]! < end; i++) {
      const base = this.#starts[i]!;
      out.push(
        this.#chunks[i]!.subarray(Math.max(0, start - base), Math.min(end - base, this.#chunks[i]!.length)),
      );
    }
    return out;
  }

  /** The bytes [start, end) joined into one Buffer (a view when they lie in one chunk). */
  copy(start: number, end: number): Buffer {
    const parts = this.pieces(start, end);
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}
