/**
 * Serialises a Gemini request body. A 20 MB image is ~28 MB of base64: JSON.stringify would copy it
 * into a new string (and undici would copy that into a Buffer), so large inlineData payloads are kept
 * out of the JSON and sent as pieces beside it instead — the request is written to the socket as
 * [json before, payload, json between, payload, …, json after]. Base64 needs no JSON escaping, so the
 * payload string goes out exactly as it is.
 */
import { randomUUID } from 'node:crypto';
import type { GeminiContent, GeminiGenerateContentRequest, GeminiInlineData } from './gemini-types';

/** Below this, splicing costs more than the copy it saves. */
const LARGE_PAYLOAD = 256 * 1024;

/** The body: one JSON string, or pieces to be written one after the other. */
export type RequestBody = string | readonly string[];

export const bodyLength = (body: RequestBody): number =>
  typeof body === 'string'
    ? Buffer.byteLength(body)
    : body.reduce((n, piece) => n + Buffer.byteLength(piece), 0);

const largeInlineData = (contents: readonly (GeminiContent | undefined)[]): GeminiInlineData[] => {
  const found: GeminiInlineData[] = [];
  for (const content of contents) {
    for (const part of content?.parts ?? []) {
      if (part.inlineData && part.inlineData.data.length >= LARGE_PAYLOAD) found.push(part.inlineData);
    }
  }
  return found;
};

export function serializeGeminiRequest(request: GeminiGenerateContentRequest): RequestBody {
  const large = largeInlineData([...request.contents, request.systemInstruction]);
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
  const pieces: string[] = [];
  let from = 0;
  payloads.forEach((payload, i) => {
    const placeholder = `"${marker}-${i}"`;
    const at = json.indexOf(placeholder, from);
    pieces.push(`${json.slice(from, at)}"`, payload);
    from = at + placeholder.length - 1;
  });
  pieces.push(json.slice(from));
  return pieces;
}
