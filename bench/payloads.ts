/**
 * The requests each target receives. The gateway gets OpenAI chat requests; the floor (the fake
 * upstream itself) and the forwarder get the Gemini body the gateway sends upstream for the same chat
 * (captured from a real run), so all three move the same content and only the proxying differs.
 */
import { randomBytes } from 'node:crypto';

export const MODEL = 'gemini-2.5-flash';
export const PASSWORD = 'bench-password-0123';
/** Google-shaped (39 chars), so the gateway's redaction and masking do their usual work. */
export const API_KEYS = [
  'AIzaBenchKey000000000000000000000000001',
  'AIzaBenchKey000000000000000000000000002',
];

export interface RequestSpec {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Text the last bytes of a complete streamed answer contain. */
  streamEnd?: string;
}

/** One dialect's three requests: chat, streamed chat, chat with a big inline image. */
export interface Dialect {
  chat: RequestSpec;
  stream: RequestSpec;
  image: RequestSpec;
}

const SYSTEM = 'You are a concise technical assistant. Answer in plain prose, no lists.';
const QUESTION =
  'Explain in two sentences what a reverse proxy does and why one would put it in front of an API ' +
  'that is called by many different clients, some of which speak a different protocol.';

const openAiHeaders = { 'content-type': 'application/json', authorization: `Bearer ${PASSWORD}` };
const geminiHeaders = (key: string) => ({ 'content-type': 'application/json', 'x-goog-api-key': key });

const openAiChat = (extra: object, userContent: unknown = QUESTION) =>
  Buffer.from(
    JSON.stringify({
      model: MODEL,
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: userContent },
      ],
      temperature: 0.7,
      max_tokens: 256,
      ...extra,
    }),
  );

/** What the gateway sends upstream for `openAiChat` (safety off, thought summaries requested). */
const geminiChat = (userParts: unknown[] = [{ text: QUESTION }]) =>
  Buffer.from(
    JSON.stringify({
      contents: [{ role: 'user', parts: userParts }],
      systemInstruction: { parts: [{ text: SYSTEM }] },
      safetySettings: [
        { category: 'HARM_CATEGORY_HARASSMENT', threshold: 'OFF' },
        { category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'OFF' },
        { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', threshold: 'OFF' },
        { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'OFF' },
        { category: 'HARM_CATEGORY_CIVIC_INTEGRITY', threshold: 'BLOCK_NONE' },
      ],
      generationConfig: { temperature: 0.7, maxOutputTokens: 256, thinkingConfig: { includeThoughts: true } },
    }),
  );

export function buildDialects(imageBytes: number): { gemini: Dialect; openai: Dialect } {
  // Random bytes: incompressible and free of any pattern a parser could shortcut.
  const b64 = randomBytes(imageBytes).toString('base64');
  const imageText = 'What is in this picture?';
  const base = `/v1beta/models/${MODEL}`;
  const gemini: Dialect = {
    chat: { path: `${base}:generateContent`, headers: geminiHeaders(API_KEYS[0]!), body: geminiChat() },
    stream: {
      path: `${base}:streamGenerateContent?alt=sse`,
      headers: geminiHeaders(API_KEYS[0]!),
      body: geminiChat(),
      streamEnd: '"finishReason"',
    },
    image: {
      path: `${base}:generateContent`,
      headers: geminiHeaders(API_KEYS[0]!),
      body: geminiChat([{ text: imageText }, { inlineData: { mimeType: 'image/png', data: b64 } }]),
    },
  };
  const openai: Dialect = {
    chat: { path: '/v1/chat/completions', headers: openAiHeaders, body: openAiChat({}) },
    stream: {
      path: '/v1/chat/completions',
      headers: openAiHeaders,
      body: openAiChat({ stream: true }),
      streamEnd: 'data: [DONE]',
    },
    image: {
      path: '/v1/chat/completions',
      headers: openAiHeaders,
      body: openAiChat({}, [
        { type: 'text', text: imageText },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${b64}` } },
      ]),
    },
  };
  return { gemini, openai };
}
