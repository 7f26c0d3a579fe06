/**
 * Remembers, per tool-call id we handed out, the Gemini thought signature and Gemini's own call id
 * (wire-format §4.6.4 option 2). Most chat clients drop `extra_content` when they send the history
 * back; without the signature Gemini 3 rejects the next turn. Bounded (LRU by insertion, with a TTL)
 * so a long-running gateway does not grow without limit.
 */
import type { ToolCallRecord } from './convert-request';

interface Entry extends ToolCallRecord {
  expiresAt: number;
}

export class ToolCallMemory {
  readonly #entries = new Map<string, Entry>();
  readonly #capacity: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { capacity?: number; ttlMs?: number; now?: () => number } = {}) {
    this.#capacity = options.capacity ?? 20_000;
    this.#ttlMs = options.ttlMs ?? 24 * 3600_000;
    this.#now = options.now ?? Date.now;
  }

  remember(toolCallId: string, record: ToolCallRecord): void {
    if (!record.signature && !record.geminiId) return;
    this.#entries.delete(toolCallId);
    this.#entries.set(toolCallId, { ...record, expiresAt: this.#now() + this.#ttlMs });
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  lookup(toolCallId: string): ToolCallRecord | undefined {
    const entry = this.#entries.get(toolCallId);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(toolCallId);
      return undefined;
    }
    const record: ToolCallRecord = {};
    if (entry.signature) record.signature = entry.signature;
    if (entry.geminiId) record.geminiId = entry.geminiId;
    return record;
  }

  get size(): number {
    return this.#entries.size;
  }
}
