import { describe, expect, it } from 'vitest';
import { SSE_DONE, sseComment, sseData } from '../../../main/server/sse/encode-sse';
import { SseDecoder } from '../../../main/server/sse/decode-sse';

describe('encode-sse', () => {
  it('frames a payload as one compact data line and a blank line', () => {
    expect(sseData({ a: 1, b: 'x' })).toBe('data: {"a":1,"b":"x"}\n\n');
  });

  it('keeps line breaks inside the payload escaped, so one payload is one event', () => {
    const payload = { content: 'line 1\nline 2\r\n\r\nend', emoji: '🌍' };
    const framed = sseData(payload);
    expect(framed.indexOf('\n')).toBe(framed.length - 2);
    const decoder = new SseDecoder();
    const events = [...decoder.push(framed), ...decoder.end()];
    expect(events).toHaveLength(1);
    expect(JSON.parse((events[0] as { data: string }).data)).toEqual(payload);
  });

  it('ends the stream with data: [DONE]', () => {
    expect(SSE_DONE).toBe('data: [DONE]\n\n');
  });

  it('frames keep-alive comments, flattening line breaks so nothing can be injected', () => {
    expect(sseComment('ping')).toBe(': ping\n\n');
    const hostile = sseComment('a\r\ndata: {"evil":true}\n\nb');
    expect(hostile).toBe(': a data: {"evil":true} b\n\n');
    const decoder = new SseDecoder();
    expect([...decoder.push(hostile), ...decoder.end()]).toEqual([]);
  });
});
