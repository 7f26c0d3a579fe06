/** Large inlineData payloads travel beside the JSON, never copied into it; the bytes are identical. */
import { describe, expect, it } from 'vitest';
import { bodyLength, serializeGeminiRequest } from '../../../main/server/providers/gemini/serialize-request';
import type { GeminiGenerateContentRequest } from '../../../main/server/providers/gemini/gemini-types';

const big = (n: number, fill: number) => Buffer.alloc(n, fill).toString('base64');

describe('serializeGeminiRequest', () => {
  it('is plain JSON.stringify without large payloads', () => {
    const request: GeminiGenerateContentRequest = {
      contents: [
        {
          role: 'user',
          parts: [{ text: 'hi' }, { inlineData: { mimeType: 'image/png', data: big(100, 1) } }],
        },
      ],
    };
    expect(serializeGeminiRequest(request)).toBe(JSON.stringify(request));
  });

  it('splits around large payloads; the pieces join to the exact JSON and the request is left unchanged', () => {
    const a = big(400 * 1024, 2);
    const b = big(300 * 1024, 3);
    const request: GeminiGenerateContentRequest = {
      systemInstruction: { parts: [{ text: 'be "brief"' }] },
      contents: [
        { role: 'user', parts: [{ text: 'compare' }, { inlineData: { mimeType: 'image/png', data: a } }] },
        { role: 'model', parts: [{ inlineData: { mimeType: 'image/jpeg', data: b } }, { text: 'ok' }] },
      ],
      generationConfig: { temperature: 0.5 },
    };
    const expected = JSON.stringify(request);
    const body = serializeGeminiRequest(request);
    expect(Array.isArray(body)).toBe(true);
    const pieces = body as readonly string[];
    expect(pieces).toHaveLength(5);
    expect(pieces[1]).toBe(a); // the very same string, not a copy with quotes around it
    expect(pieces[3]).toBe(b);
    expect(pieces.join('')).toBe(expected);
    expect(bodyLength(body)).toBe(Buffer.byteLength(expected));
    expect(JSON.stringify(request)).toBe(expected);
  });

  it('cannot be fooled by text that looks like its marker', () => {
    const request: GeminiGenerateContentRequest = {
      contents: [
        {
          role: 'user',
          parts: [
            { text: '"gemgate-payload-00000000-0000-0000-0000-000000000000-0"' },
            { inlineData: { mimeType: 'image/png', data: big(300 * 1024, 4) } },
          ],
        },
      ],
    };
    expect((serializeGeminiRequest(request) as string[]).join('')).toBe(JSON.stringify(request));
  });

  it('writes the bytes a cut-out token stands for, in their pieces, whatever the size of the token', () => {
    const bytes = Buffer.from(big(1000, 5), 'latin1');
    const token = 'GemgatePayloadToken0000000000000000000000000000000000'.slice(0, 52);
    const request: GeminiGenerateContentRequest = {
      contents: [
        {
          role: 'user',
          parts: [{ text: 'what is it?' }, { inlineData: { mimeType: 'image/png', data: token } }],
        },
      ],
    };
    const body = serializeGeminiRequest(
      request,
      new Map([[token, [bytes.subarray(0, 10), bytes.subarray(10)]]]),
    );
    expect(Array.isArray(body)).toBe(true);
    const pieces = body as readonly (string | Buffer)[];
    // The very bytes, in the pieces they came in, written as they are.
    expect((pieces[1] as Buffer).buffer).toBe(bytes.buffer);
    expect((pieces[2] as Buffer).buffer).toBe(bytes.buffer);
    const joined = Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
    const sent = JSON.parse(joined.toString()) as GeminiGenerateContentRequest;
    expect(sent.contents[0]?.parts?.[1]?.inlineData?.data).toBe(bytes.toString('latin1'));
    expect(bodyLength(body)).toBe(joined.length);
    expect(request.contents[0]?.parts?.[1]?.inlineData?.data).toBe(token);
  });
});
