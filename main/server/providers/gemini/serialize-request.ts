/**
 * Serialises a Gemini request body. A 20 MB image is ~28 MB of base64: JSON.stringify would copy it
 * into a new string (and undici would copy that into a Buffer), so large inlineData payloads are kept
 * out of the JSON and sent as pieces beside it instead — the request is written to the socket as
 * [json before, payload, json between, payload, …, json after]. Base64 needs no JSON escaping, so the
 * payload string goes out exactly as it is. A payload that was cut out of the client's request body
 * (large-data-urls.ts) arrives here as a token in `data`; the bytes it stands for are written instead.
 */
import { randomUUID } from 'node:crypto';
import type { GeminiContent, GeminiGenerateContentRequest, GeminiInlineData } from './gemini-types';

/** Below this, splicing costs more than the copy it saves. */
const LARGE_PAYLOAD = 256 * 1024;

/** The body: one JSON string, or pieces to be written one after the other. */
export type RequestBody = string | readonly (string | Buffer)[];

export const bodyLength = (body: RequestBody): number =>
  typeof body === 'string'
    ? Buffer.byteLength(body)
    : body.reduce((n, piece) => n + (typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length), 0);

/** Token → base64 bytes (in the pieces they arrived in), for payloads that never became strings. */
export type CutPayloads = ReadonlyMap<string, readonly Buffer[]>;
const NONE: CutPayloads = new Map();

const largeInlineData = (
  contents: readonly (GeminiContent | undefined)[],
  cut: CutPayloads,
): GeminiInlineData[] => {
  const found: GeminiInlineData[] = [];
  for (const content of contents) {
    for (const part of content?.parts ?? []) {
      const data = part.inlineData?.data;
      if (data !== undefined && (data.length >= LARGE_PAYLOAD || cut.has(data))) found.push(part.inlineData!);
    }
  }
  return found;
};

export function serializeGeminiRequest(
  request: GeminiGenerateContentRequest,
  cut: CutPayloads = NONE,
): RequestBody {
  const large = largeInlineData([...request.contents, request.systemInstruction], cut);
  if (large.length === 0) return JSON.stringify(request);

  // A random marker per call: no client text can contain it, so the split below cannot be fooled.
  const marker = `gemgate-payload-${randomUUID()}`;
  const payloads = large.map((image, i) => {
    const data = image.data;
    image.data = `${marker}-${i}`;
    return data;
  });
  let json: string;
  try {
    json = JSON.stringify(request);
  } finally {
    large.forEach((image, i) => (image.data = payloads[i]!));
  }
  const pieces: (string | Buffer)[] = [];
  let from = 0;
  payloads.forEach((payload, i) => {
    const placeholder = `"${marker}-${i}"`;
    const at = json.indexOf(placeholder, from);
    pieces.push(`${json.slice(from, at)}"`, ...(cut.get(payload) ?? [payload]));
    from = at + placeholder.length - 1;
  });
  pieces.push(json.slice(from));
  return pieces;
}
