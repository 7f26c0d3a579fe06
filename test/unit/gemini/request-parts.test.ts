/** Focused checks of the request conversion that golden fixtures express poorly. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/server/errors';
import { chatCompletionRequest } from '../../../main/server/openai/chat-request';
import {
  collectRemoteMediaUrls,
  DEFAULT_SAFETY_SETTINGS,
  toGeminiRequest,
} from '../../../main/server/providers/gemini/convert-request';
import { convertTools } from '../../../main/server/providers/gemini/convert-tools';
import { resolveModel } from '../../../main/server/providers/gemini/resolve-model';

const parse = (body: Record<string, unknown>) =>
  chatCompletionRequest.parse({ model: 'gemini-2.5-flash', ...body });
const context = { includeThoughts: false, remoteMedia: new Map(), lookupToolCall: () => undefined };
const convert = (body: Record<string, unknown>) =>
  toGeminiRequest(parse(body), resolveModel('gemini-2.5-flash'), context);

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('collectRemoteMediaUrls', () => {
  it('returns distinct http(s) image URLs of user messages, in order', () => {
    const req = parse({
      messages: [
        { role: 'system', content: 'https://example.com/not-an-image-part.png' },
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'https://a.example/1.png' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,aGk=' } },
            { type: 'text', text: 'https://example.com/in-text.png' },
            { type: 'image_url', image_url: 'HTTP://b.example/2.jpg' },
          ],
        },
        { role: 'user', content: 'plain' },
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'https://a.example/1.png' } },
            { type: 'image_url', image_url: { url: 'ftp://c.example/3.png' } },
          ],
        },
      ],
    });
    expect(collectRemoteMediaUrls(req)).toEqual(['https://a.example/1.png', 'HTTP://b.example/2.jpg']);
  });

  it('returns nothing when there are no remote images', () => {
    expect(collectRemoteMediaUrls(parse({ messages: [{ role: 'user', content: 'hi' }] }))).toEqual([]);
  });
});

describe('toGeminiRequest details', () => {
  it('refuses image URLs that are neither http(s) nor data:', () => {
    const err = errorOf(() =>
      convert({
        messages: [
          { role: 'user', content: [{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }] },
        ],
      }),
    );
    expect(err).toMatchObject({ code: 'invalid_image_url', param: 'messages[0].content[0]' });
  });

  it('refuses input_audio whose data is not base64', () => {
    const err = errorOf(() =>
      convert({
        messages: [
          {
            role: 'user',
            content: [{ type: 'input_audio', input_audio: { data: 'not base64!', format: 'wav' } }],
          },
        ],
      }),
    );
    expect(err).toMatchObject({ code: 'invalid_request', param: 'messages[0].content[0].input_audio.data' });
  });

  it('refuses a file part whose file_data is not a data URL', () => {
    const err = errorOf(() =>
      convert({
        messages: [
          { role: 'user', content: [{ type: 'file', file: { file_data: 'JVBERi0=', filename: 'a.pdf' } }] },
        ],
      }),
    );
    expect(err).toMatchObject({ code: 'invalid_request', param: 'messages[0].content[0].file.file_data' });
  });

  it('gives every request its own copy of the default safety settings', () => {
    const body = convert({ messages: [{ role: 'user', content: 'hi' }] });
    expect(body.safetySettings).toEqual(DEFAULT_SAFETY_SETTINGS);
    expect(body.safetySettings).not.toBe(DEFAULT_SAFETY_SETTINGS);
  });

  it('reads top_k 0 and -1 as "no top-k limit" (SillyTavern, vLLM) and sends other values as topK', () => {
    const topKOf = (top_k: unknown) =>
      convert({ messages: [{ role: 'user', content: 'hi' }], top_k }).generationConfig?.topK;
    expect(topKOf(0)).toBeUndefined();
    expect(topKOf(-1)).toBeUndefined();
    expect(topKOf(40)).toBe(40);
  });

  it('serialises without undefined keys', () => {
    const body = convert({ messages: [{ role: 'user', content: 'hi' }], temperature: 0.3 });
    expect(JSON.parse(JSON.stringify(body))).toStrictEqual(body);
  });
});

describe('convertTools edge cases', () => {
  const toolsOf = (tools: unknown[]) => parse({ messages: [{ role: 'user', content: 'x' }], tools }).tools;

  it('sends nothing when there are no tools, whatever the harmless tool_choice', () => {
    expect(convertTools(undefined, undefined)).toStrictEqual({});
    expect(convertTools([], 'none')).toStrictEqual({});
    expect(convertTools(undefined, 'auto')).toStrictEqual({});
  });

  it('refuses "required" without tools and an empty allowed_tools list', () => {
    expect(errorOf(() => convertTools(undefined, 'required'))).toMatchObject({ param: 'tool_choice' });
    expect(
      errorOf(() =>
        convertTools(toolsOf([{ type: 'function', function: { name: 'a' } }]), {
          type: 'allowed_tools',
          allowed_tools: { mode: 'auto', tools: [] },
        }),
      ),
    ).toMatchObject({ code: 'invalid_request', param: 'tool_choice' });
  });

  it('keeps parameters that are not an empty object', () => {
    const withRef = toolsOf([
      {
        type: 'function',
        function: { name: 'r', parameters: { $ref: '#/$defs/x', $defs: { x: { type: 'object' } } } },
      },
    ]);
    expect(convertTools(withRef, undefined).tools).toStrictEqual([
      {
        functionDeclarations: [
          { name: 'r', parametersJsonSchema: { $ref: '#/$defs/x', $defs: { x: { type: 'object' } } } },
        ],
      },
    ]);
  });
});
