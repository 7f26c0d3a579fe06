/**
 * Raw HTTP access to the gateway for assertions the SDK hides: status codes, headers and the exact
 * bytes of an OpenAI-style SSE stream (wire-format §3.4).
 */
import type { ChatCompletionChunk } from '../../main/server/openai/chat-response';
import type { TestGateway } from './gateway';

export interface RawReply {
  status: number;
  headers: Headers;
  text: string;
}

/** POST /v1/chat/completions with plain fetch; `password: null` sends no Authorization header. */
export async function postChat(
  gw: TestGateway,
  body: unknown,
  init: { password?: string | null; signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<RawReply> {
  const password = init.password === undefined ? gw.settings.get().password : init.password;
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      ...init.headers,
      'content-type': 'application/json',
      ...(password === null ? {} : { authorization: `Bearer ${password}` }),
    },
    body: JSON.stringify(body),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export async function getPath(gw: TestGateway, path: string, password?: string | null): Promise<RawReply> {
  const pw = password === undefined ? gw.settings.get().password : password;
  const res = await fetch(`${gw.url}${path}`, {
    headers: pw === null ? {} : { authorization: `Bearer ${pw}` },
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export interface SseBlock {
  /** The `data:` payload (lines joined), or undefined for a comment-only block. */
  data: string | undefined;
  comments: string[];
  raw: string;
}

/**
 * Splits an OpenAI SSE body into its blocks, insisting on our framing: `\n\n` between events and no
 * other line ending, so a gateway that leaked Gemini's CRLF would fail here.
 */
export function parseOpenAISse(text: string): SseBlock[] {
  if (!text.endsWith('\n\n'))
    throw new Error(`SSE body does not end with a blank line: ${JSON.stringify(text.slice(-40))}`);
  if (text.includes('\r')) throw new Error('SSE body contains a carriage return');
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((raw) => {
      const lines = raw.split('\n');
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice('data: '.length));
      const comments = lines.filter((l) => l.startsWith(':')).map((l) => l.slice(1).trim());
      const other = lines.filter((l) => !l.startsWith('data: ') && !l.startsWith(':'));
      if (other.length > 0) throw new Error(`unexpected SSE lines: ${JSON.stringify(other)}`);
      return { data: data.length > 0 ? data.join('\n') : undefined, comments, raw };
    });
}

/** The JSON chunks of a finished stream, after checking that `data: [DONE]` is the very last event. */
export function chunksOf(text: string): ChatCompletionChunk[] {
  const events = parseOpenAISse(text).filter((b) => b.data !== undefined);
  const last = events.at(-1);
  if (last?.data !== '[DONE]') throw new Error(`stream does not end with [DONE]: ${text.slice(-200)}`);
  return events.slice(0, -1).map((b) => JSON.parse(b.data ?? '') as ChatCompletionChunk);
}

/** Concatenated `delta.content` of choice 0. */
export const contentOf = (chunks: readonly ChatCompletionChunk[]): string =>
  chunks.map((c) => c.choices.find((ch) => ch.index === 0)?.delta.content ?? '').join('');

/** Concatenated `delta.reasoning_content` of choice 0. */
export const reasoningOf = (chunks: readonly ChatCompletionChunk[]): string =>
  chunks.map((c) => c.choices.find((ch) => ch.index === 0)?.delta.reasoning_content ?? '').join('');

/** Resolves with the first request-log entry matching the predicate (already logged or yet to come). */
export function waitForRequestLog(
  gw: TestGateway,
  predicate: (fields: { path: string; status: number }) => boolean,
  timeoutMs = 2000,
): Promise<{ path: string; status: number; errorCode?: string }> {
  const existing = gw.core.log.recent().find((e) => e.request && predicate(e.request));
  if (existing?.request) return Promise.resolve(existing.request);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no matching request log entry within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = gw.core.log.subscribe((entry) => {
      if (!entry.request || !predicate(entry.request)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(entry.request);
    });
  });
}
