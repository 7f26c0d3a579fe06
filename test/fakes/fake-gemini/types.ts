/**
 * Public types of the fake Gemini upstream (wire-format §1, §6 "Gemini fake").
 * Kept apart from the implementation so tests can import them without pulling in node:http.
 */
import type { GeminiModel } from '../../../main/server/providers/gemini/gemini-types';

/**
 * Facts about a model that the real API knows but never lists (§2). They live in the fixture next to
 * the wire fields and are stripped from what `GET /models` returns.
 */
export interface FakeModelCapabilities {
  /** `budget` (2.5 family), `level` (Gemini 3) or `none` (2.0, image and embedding models). */
  thinkingKind?: 'budget' | 'level' | 'none';
  /** Smallest accepted non-zero budget; `-1` (dynamic) is always accepted. */
  budgetMin?: number;
  budgetMax?: number;
  /** Whether `thinkingBudget: 0` switches thinking off (2.5 Pro: no). */
  budgetCanDisable?: boolean;
  /** Budget used when the request sets none: `-1` dynamic (thinks), `0` off (flash-lite). */
  budgetDefault?: number;
  levels?: string[];
  /** Largest accepted `candidateCount`; 1 makes any larger value a 400. */
  maxCandidates?: number;
  imageOutput?: boolean;
  imageMimeType?: 'image/png' | 'image/jpeg';
  /** False for models that answer 400 to a `systemInstruction` (§1.4.2). */
  systemInstruction?: boolean;
  /** `presencePenalty` / `frequencyPenalty` other than 0 accepted (1.5 and 2.0 text models only). */
  penalties?: boolean;
  /** `responseLogprobs` accepted (2.0 text models; 2.5 and later: "Logprobs is not enabled"). */
  logprobs?: boolean;
  /** Legacy image models reject `responseModalities: ["IMAGE"]` without TEXT (§2.3). */
  requiresTextModality?: boolean;
  /** Gemini 3: function calls of the current turn must carry their thought signature (§1.5.5). */
  enforcesThoughtSignatures?: boolean;
  /** Gemini 3: text answers carry a thought signature too (§1.5.4). */
  signsTextParts?: boolean;
  /**
   * Gemini 3: `responseMimeType: application/json` accepted beside function declarations. Earlier
   * models answer 400 "Function calling with a response mime type: 'application/json' is unsupported".
   */
  jsonModeBesideFunctions?: boolean;
  /** Default (and maximum) embedding length. */
  embeddingDimensions?: number;
}

/** A catalogue entry: the wire-visible model plus the fake-only capabilities. */
export interface FakeModelEntry extends GeminiModel {
  capabilities?: FakeModelCapabilities;
}

export type KeyBehaviour =
  | 'valid'
  | 'invalid'
  | 'leaked'
  | { quota: { retryDelay?: string } }
  | { unavailable: number }
  | { internalError: number }
  | { delayMs: number };

export interface FakeGeminiOptions {
  /** Default `{ 'AIzaFAKE-valid-key-0001': 'valid' }`; keys not listed are invalid. */
  keys?: Record<string, KeyBehaviour>;
  /** Default: `test/fixtures/gemini-models.json`. */
  models?: FakeModelEntry[];
  /** Default `'\r\n'` (events end with `\r\n\r\n`). */
  sseLineEnding?: '\r\n' | '\n';
  /** Write each stream event in several small pieces (mid-UTF-8, between `\r` and `\n`, …). */
  splitWrites?: boolean;
  /** Default true: unknown field names → 400 "Invalid JSON payload received. Unknown name …". */
  rejectUnknownFields?: boolean;
  /** Default true: Gemini 3 function calls of the current turn need their thought signature. */
  enforceThoughtSignatures?: boolean;
  /** Default 0: delay between stream events. */
  chunkDelayMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** From `x-goog-api-key`, else `?key=`. `Authorization: Bearer` is not an API key. */
  key: string | undefined;
  /** Parsed from `/v1beta/models/{model}:{action}` (split on the last colon). */
  model?: string;
  action?: string;
  /** Parsed JSON; undefined for GET or an unparseable body. */
  body: unknown;
  rawBody: string;
  /** True when the client closed the connection before the response ended. */
  aborted: boolean;
  abortedAt?: number;
  receivedAt: number;
}

export interface FunctionCallSpec {
  name: string;
  args: Record<string, unknown>;
  id?: string;
}

/**
 * What to answer instead of the default. All kinds apply to generateContent/streamGenerateContent
 * (stream-only kinds degrade sensibly in unary calls: `midStreamError` → 503, `cut` → half a body).
 * Other endpoints honour only transport kinds (`error`, `raw`, `hang`, `cut`, `slow`,
 * `midStreamError`); content kinds leave their default answer in place.
 */
export type Scenario =
  | { kind: 'text'; text?: string; thoughts?: string; finishReason?: string; chunks?: number }
  | { kind: 'functionCalls'; calls: FunctionCallSpec[]; text?: string; signature?: string | null }
  | { kind: 'image'; text?: string; images?: number; mimeType?: 'image/png' | 'image/jpeg' }
  | { kind: 'blocked'; blockReason?: string }
  | { kind: 'safetyMidStream' }
  | { kind: 'maxTokensEmpty' }
  | { kind: 'empty' }
  | { kind: 'error'; status: number; body?: unknown }
  | { kind: 'midStreamError'; afterChunks?: number }
  | { kind: 'cut'; afterChunks?: number }
  | { kind: 'hang' }
  | { kind: 'slow'; delayMs: number; text?: string; chunks?: number }
  | { kind: 'raw'; status: number; headers?: Record<string, string>; body: string };

export type ScriptHandler = (req: RecordedRequest) => Scenario | undefined;

export interface FakeGemini {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every request, in arrival order (the same array instance for the fake's lifetime). */
  requests: RecordedRequest[];
  setKey(key: string, behaviour: KeyBehaviour): void;
  /**
   * Per-request override, consulted after the key, model and request checks passed (the fake stays a
   * referee in scripted tests); undefined keeps the default behaviour. Replaces the previous handler.
   */
  script(handler: ScriptHandler): void;
  /** Clears the recorded requests and the script. */
  reset(): void;
  /** Resolves with the first matching request, already recorded or yet to come. */
  waitFor(predicate: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Stops listening and destroys open sockets. */
  close(): Promise<void>;
}
