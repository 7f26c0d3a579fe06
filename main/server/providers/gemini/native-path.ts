/**
 * Reading a Gemini-native request line (wire-format §1.1, §1.2): which model and action the path
 * names, what of the query may travel upstream, and which stream framing the client asked for.
 * Pure; the routes in routes/gemini do the I/O.
 */
import { ApiError } from '../../errors';
import { stripModelsPrefix } from './model-catalog';
import { resolveModel } from './resolve-model';

/** The `:action`s relayed; the rest of Google's surface (files, caches, batches, Live) is not. */
export const NATIVE_ACTIONS = [
  'generateContent',
  'streamGenerateContent',
  'countTokens',
  'embedContent',
  'batchEmbedContents',
  // Imagen (wire-format §1.9): Open WebUI's Gemini image engine, SillyTavern, the SDKs' generateImages.
  'predict',
] as const;

export type NativeAction = (typeof NATIVE_ACTIONS)[number];

const isNativeAction = (action: string): action is NativeAction =>
  (NATIVE_ACTIONS as readonly string[]).includes(action);

/**
 * A model id from the path, checked like chat checks `model` (safe charset, no `..`), because it goes
 * into the upstream URL. Thinking suffixes are not read: a native client sets thinkingConfig itself,
 * so the id is relayed exactly as given.
 */
export function nativeModelId(raw: string): string {
  const id = stripModelsPrefix(raw);
  resolveModel(id);
  return id;
}

/** `{model}:{action}`, split on the LAST colon (ids have dots and dashes, never colons). */
export function parseModelAction(segment: string): { model: string; action: NativeAction } {
  const colon = segment.lastIndexOf(':');
  const action = colon < 0 ? '' : segment.slice(colon + 1);
  if (!isNativeAction(action)) {
    throw new ApiError(
      'not_found',
      `Unknown method: models/{model}:${action || '<none>'}. Supported: ${NATIVE_ACTIONS.join(', ')}.`,
    );
  }
  return { model: nativeModelId(segment.slice(0, colon)), action };
}

/**
 * Query parameters that carry a credential: the client's (our password or access key in `key`) must
 * never reach Google, and OAuth tokens would fight with the pooled key.
 */
const CREDENTIAL_PARAMS = new Set(['key', 'access_token', 'oauth_token']);

/** The raw query of a request URL, minus credentials, in the client's order and spelling. */
export function forwardedQuery(url: string): URLSearchParams {
  const q = url.indexOf('?');
  const hash = url.indexOf('#');
  const raw = q < 0 ? '' : url.slice(q + 1, hash > q ? hash : undefined);
  const out = new URLSearchParams();
  for (const [name, value] of new URLSearchParams(raw)) {
    if (!CREDENTIAL_PARAMS.has(name.toLowerCase())) out.append(name, value);
  }
  return out;
}

export type NativeFraming = 'sse' | 'array';

/** `alt=sse` (or its `$alt` synonym, maybe with `;enum-encoding=…`) is SSE; anything else a JSON array. */
export function streamFramingOf(query: URLSearchParams): NativeFraming {
  const alt = query.get('alt') ?? query.get('$alt') ?? '';
  return alt.split(';')[0]?.trim().toLowerCase() === 'sse' ? 'sse' : 'array';
}
