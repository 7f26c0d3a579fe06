/**
 * Turns a generation scenario into the stream of GenerateContentResponse objects Gemini would send
 * (wire-format §1.5, §1.6): parts as deltas, cumulative usageMetadata on every chunk, one responseId,
 * finishReason only on the last chunk. A non-stream answer is the same drafts merged into one object,
 * so both modes always agree.
 */
import type {
  GeminiGenerateContentRequest,
  GeminiPart,
} from '../../../main/server/providers/gemini/gemini-types';
import type { CatalogueModel } from './catalogue';
import { canonicalError, modelOverloaded } from './gemini-errors';
import { makeJpeg } from './jpeg';
import { errorPlan, type ResponsePlan, type StreamEnding } from './plan';
import { makePng } from './png';
import { mergeDrafts, toResponses, type Draft, type DraftCandidate } from './drafts';
import { textTokens } from './tokens';
import type { FunctionCallSpec, Scenario } from './types';
import { modelThinks } from './validate-thinking';

export interface AnswerContext {
  model: CatalogueModel;
  request: GeminiGenerateContentRequest;
  action: string;
  stream: boolean;
  responseId: string;
  newSignature: (model: string) => string;
  chunkDelayMs: number;
}

const SAFETY_RATINGS = [
  { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
];

export function lastUserText(request: GeminiGenerateContentRequest): string {
  for (let i = request.contents.length - 1; i >= 0; i--) {
    const content = request.contents[i];
    if (content === undefined || (content.role ?? 'user') !== 'user') continue;
    const texts = (content.parts ?? []).filter((p) => typeof p.text === 'string' && p.text !== '');
    const last = texts.at(-1);
    if (last?.text !== undefined) return last.text;
  }
  return '';
}

/** Splits by code point, so no piece ends inside a surrogate pair. */
function splitText(text: string, pieces: number): string[] {
  const chars = [...text];
  const count = Math.max(1, Math.min(pieces, chars.length));
  const size = Math.ceil(chars.length / count);
  return Array.from({ length: count }, (_, i) => chars.slice(i * size, (i + 1) * size).join('')).filter(
    (piece, i) => piece !== '' || i === 0,
  );
}

class AnswerBuilder {
  readonly thinks: boolean;
  readonly showThoughts: boolean;
  readonly echo: string;

  constructor(private readonly ctx: AnswerContext) {
    const thinking = ctx.request.generationConfig?.thinkingConfig;
    this.thinks = modelThinks(thinking, ctx.model);
    this.showThoughts = thinking?.includeThoughts === true;
    this.echo = lastUserText(ctx.request);
  }

  private get candidateCount(): number {
    return Math.max(1, this.ctx.request.generationConfig?.candidateCount ?? 1);
  }

  /** The thought summary (visible) or its token cost (hidden) that starts an answer. */
  private thinkingDraft(thoughts: string | undefined, candidates: number): Draft | undefined {
    const summary = thoughts ?? `**Considering the request**\n\nThe user wrote: ${this.echo}`;
    if (this.showThoughts && (this.thinks || thoughts !== undefined)) {
      return {
        candidates: Array.from({ length: candidates }, () => ({ parts: [{ text: summary, thought: true }] })),
      };
    }
    return this.thinks ? { candidates: [], hiddenThoughtTokens: textTokens(summary) } : undefined;
  }

  private wantsImages(): boolean {
    const modalities = this.ctx.request.generationConfig?.responseModalities;
    return this.ctx.model.caps.imageOutput && (modalities === undefined || modalities.includes('IMAGE'));
  }

  private textOnlyAllowed(): boolean {
    const modalities = this.ctx.request.generationConfig?.responseModalities;
    return modalities === undefined || modalities.length === 0 || modalities.includes('TEXT');
  }

  text(options: { text?: string; thoughts?: string; finishReason?: string; chunks?: number }): Draft[] {
    const n = this.candidateCount;
    const base = options.text ?? `Echo: ${this.echo}`;
    const texts = Array.from({ length: n }, (_, i) => (i === 0 ? base : `${base} (candidate ${i + 1})`));
    const drafts: Draft[] = [];
    const thinking = this.thinkingDraft(options.thoughts, n);
    if (thinking) drafts.push(thinking);
    const withImages = options.text === undefined && this.wantsImages();
    if (!withImages || this.textOnlyAllowed()) {
      const pieces = texts.map((t) => splitText(t, options.chunks ?? 3));
      const rounds = Math.max(...pieces.map((p) => p.length));
      for (let r = 0; r < rounds; r++) {
        drafts.push({
          candidates: pieces.map((p) => ({ parts: p[r] === undefined ? [] : [{ text: p[r] }] })),
        });
      }
    }
    if (withImages) drafts.push(...this.imageDrafts(1, this.ctx.model.caps.imageMimeType));
    this.finish(drafts, options.finishReason ?? 'STOP');
    if (this.ctx.model.caps.signsTextParts) this.signText(drafts);
    return drafts;
  }

  functionCalls(
    calls: readonly FunctionCallSpec[],
    text: string | undefined,
    signature: string | null | undefined,
  ): Draft[] {
    const drafts: Draft[] = [];
    const thinking = this.thinkingDraft(undefined, 1);
    if (thinking) drafts.push(thinking);
    if (text !== undefined && text !== '') drafts.push({ candidates: [{ parts: [{ text }] }] });
    const sig = signature === undefined ? this.ctx.newSignature(this.ctx.model.id) : signature;
    const parts: GeminiPart[] = calls.map((call, i) => ({
      functionCall: { ...(call.id === undefined ? {} : { id: call.id }), name: call.name, args: call.args },
      // Parallel calls: only the first carries the signature (§1.5.4).
      ...(i === 0 && sig !== null ? { thoughtSignature: sig } : {}),
    }));
    drafts.push({
      candidates: [{ parts, finishReason: 'STOP', finishMessage: 'Model generated function call(s).' }],
    });
    return drafts;
  }

  private imageDrafts(count: number, mimeType: 'image/png' | 'image/jpeg'): Draft[] {
    return Array.from({ length: count }, (_, i) => {
      const bytes = mimeType === 'image/png' ? makePng(i) : makeJpeg(i);
      return { candidates: [{ parts: [{ inlineData: { mimeType, data: bytes.toString('base64') } }] }] };
    });
  }

  image(options: { text?: string; images?: number; mimeType?: 'image/png' | 'image/jpeg' }): Draft[] {
    const text = options.text ?? `Here is an image of: ${this.echo}`;
    const drafts: Draft[] = text === '' ? [] : [{ candidates: [{ parts: [{ text }] }] }];
    drafts.push(
      ...this.imageDrafts(options.images ?? 1, options.mimeType ?? this.ctx.model.caps.imageMimeType),
    );
    this.finish(drafts, 'STOP');
    return drafts;
  }

  blocked(blockReason: string): Draft[] {
    const promptFeedback = {
      blockReason,
      ...(blockReason === 'SAFETY' ? { safetyRatings: SAFETY_RATINGS } : {}),
    };
    return [{ candidates: [], promptFeedback }];
  }

  safetyMidStream(): Draft[] {
    const stop: DraftCandidate = { parts: [], finishReason: 'SAFETY', safetyRatings: SAFETY_RATINGS };
    if (!this.ctx.stream) return [{ candidates: [stop] }];
    const pieces = splitText(`Echo: ${this.echo}`, 2);
    return [...pieces.map((p) => ({ candidates: [{ parts: [{ text: p }] }] })), { candidates: [stop] }];
  }

  maxTokensEmpty(): Draft[] {
    const spent = this.ctx.request.generationConfig?.maxOutputTokens ?? 256;
    return [
      {
        candidates: [{ parts: [], bareContent: true, finishReason: 'MAX_TOKENS' }],
        hiddenThoughtTokens: spent,
      },
    ];
  }

  empty(): Draft[] {
    return [{ candidates: [{ parts: [], bareContent: true, finishReason: 'STOP' }] }];
  }

  private finish(drafts: Draft[], finishReason: string): void {
    const last = drafts.at(-1);
    if (last === undefined) return;
    if (last.candidates.length === 0) last.candidates = [{ parts: [] }];
    for (const candidate of last.candidates) candidate.finishReason = finishReason;
  }

  /** Gemini 3 signs text answers: a trailing empty signed part when streaming, the first part otherwise. */
  private signText(drafts: Draft[]): void {
    const signature = this.ctx.newSignature(this.ctx.model.id);
    if (this.ctx.stream) {
      drafts.at(-1)?.candidates[0]?.parts.push({ text: '', thoughtSignature: signature });
      return;
    }
    const first = drafts
      .flatMap((d) => d.candidates[0]?.parts ?? [])
      .find((p) => p.text !== undefined && !p.thought);
    if (first) first.thoughtSignature = signature;
  }
}

function answer(
  drafts: Draft[],
  ctx: AnswerContext,
  ending: StreamEnding = { kind: 'end' },
  gapMs?: number,
): ResponsePlan {
  // Hidden-thinking drafts carry no parts; in a stream their cost rides on the next chunk.
  const visible: Draft[] = [];
  let carried = 0;
  for (const draft of drafts) {
    if (draft.candidates.length === 0 && !draft.promptFeedback) {
      carried += draft.hiddenThoughtTokens ?? 0;
      continue;
    }
    visible.push({ ...draft, hiddenThoughtTokens: (draft.hiddenThoughtTokens ?? 0) + carried });
    carried = 0;
  }
  if (!ctx.stream) {
    return {
      kind: 'json',
      status: 200,
      body: toResponses([mergeDrafts(visible)], ctx)[0],
      delayMs: gapMs ?? 0,
    };
  }
  return { kind: 'stream', events: toResponses(visible, ctx), gapMs: gapMs ?? ctx.chunkDelayMs, ending };
}

/** Plans the answer of generateContent / streamGenerateContent; `undefined` is the default echo. */
export function planGeneration(scenario: Scenario | undefined, ctx: AnswerContext): ResponsePlan {
  const builder = new AnswerBuilder(ctx);
  const s = scenario ?? { kind: 'text' };
  switch (s.kind) {
    case 'text':
      return answer(builder.text(s), ctx);
    case 'slow':
      return answer(builder.text(s), ctx, { kind: 'end' }, s.delayMs);
    case 'functionCalls':
      return answer(builder.functionCalls(s.calls, s.text, s.signature), ctx);
    case 'image':
      return answer(builder.image(s), ctx);
    case 'blocked':
      return answer(builder.blocked(s.blockReason ?? 'PROHIBITED_CONTENT'), ctx);
    case 'safetyMidStream':
      return answer(builder.safetyMidStream(), ctx);
    case 'maxTokensEmpty':
      return answer(builder.maxTokensEmpty(), ctx);
    case 'empty':
      return answer(builder.empty(), ctx);
    case 'midStreamError':
    case 'cut': {
      if (!ctx.stream) {
        // A plain JSON answer cannot fail half-way with an error object; it can be cut.
        if (s.kind === 'midStreamError') return errorPlan(modelOverloaded());
        const plan = answer(builder.text({}), ctx);
        return plan.kind === 'json' ? { ...plan, cutMidBody: true } : plan;
      }
      const drafts = builder.text({}).filter((d) => d.candidates.length > 0);
      const kept = drafts.slice(0, s.afterChunks ?? 1).map((d) => ({
        ...d,
        candidates: d.candidates.map((c) => ({ ...c, finishReason: undefined })),
      }));
      const ending: StreamEnding =
        s.kind === 'cut' ? { kind: 'cut' } : { kind: 'error', body: modelOverloaded().body };
      return answer(kept, ctx, ending);
    }
    case 'error':
      return {
        kind: 'json',
        status: s.status,
        body: s.body ?? canonicalError(s.status, ctx.model.id, ctx.action).body,
      };
    case 'raw':
      return { kind: 'raw', status: s.status, headers: s.headers ?? {}, body: s.body };
    case 'hang':
      return { kind: 'hang' };
  }
}
