import type {
  ChatCompletionChunk,
  ChatCompletionUsage,
  ChunkDelta,
  ChunkToolCall,
  FinishReason,
  OutImage,
  OutToolCall,
} from '../../openai/chat-response';
import { emitParts, type PartSink } from './convert-parts';
import { SYSTEM_FINGERPRINT } from './convert-response';
import type { GeminiGenerateContentResponse, GeminiUsageMetadata } from './gemini-types';
import { mapFinishReason } from './map-finish-reason';
import { mapUsage } from './map-usage';
import type { ResponseContext } from './response-context';

/** What the transformer remembers about one candidate (= one OpenAI choice). */
interface CandidateState {
  readonly index: number;
  /** Tool calls emitted so far: the next call's `index` within this choice's `tool_calls`. */
  toolCalls: number;
  finishReason: string | undefined;
}

/**
 * Gemini stream chunks → OpenAI `chat.completion.chunk`s (wire-format §4.7).
 *
 * Every Gemini chunk is translated as soon as it arrives, one OpenAI chunk per visible part, so the
 * client sees text at the pace Gemini produces it. Finish chunks wait for `end()`: Gemini may put
 * `finishReason` on a chunk that still carries text, and only the end of the upstream body proves the
 * stream was not cut.
 */
export class GeminiStreamTransformer {
  readonly #ctx: ResponseContext;
  readonly #includeUsage: boolean;
  /** In order of first appearance, which is the order the finish chunks go out in. */
  readonly #candidates = new Map<number, CandidateState>();
  /** Where the sink writes: the candidate and the output list of the latest `push`. */
  #current: CandidateState = { index: 0, toolCalls: 0, finishReason: undefined };
  #out: ChatCompletionChunk[] = [];
  readonly #sink: PartSink;
  #lastUsage: GeminiUsageMetadata | undefined;
  #sawFinish = false;
  #blocked = false;
  #visible = false;

  constructor(ctx: ResponseContext & { includeUsage: boolean }) {
    this.#ctx = ctx;
    this.#includeUsage = ctx.includeUsage;
    // One long-lived sink for the whole stream: converting a part allocates nothing but its delta.
    this.#sink = {
      content: (text) => this.#emitDelta({ content: text }),
      reasoning: (text) => this.#emitDelta({ reasoning_content: text }),
      toolCall: (call) => this.#emitToolCall(call),
      image: (image, markdown) => this.#emitImage(image, markdown),
    };
  }

  /** Any content, reasoning, tool call or image emitted so far (role-only chunks do not count). */
  get hasVisibleOutput(): boolean {
    return this.#visible;
  }

  /** From the last `usageMetadata` seen: Gemini's counts are cumulative. */
  get usage(): ChatCompletionUsage {
    return mapUsage(this.#lastUsage);
  }

  push(chunk: GeminiGenerateContentResponse): ChatCompletionChunk[] {
    const out: ChatCompletionChunk[] = [];
    if (chunk.usageMetadata) this.#lastUsage = chunk.usageMetadata;
    const candidates = chunk.candidates;
    if (!candidates || candidates.length === 0) {
      // A blocked prompt shows up once, in the first chunk, instead of any candidate (§1.5.2).
      if (chunk.promptFeedback?.blockReason !== undefined && !this.#blocked && this.#candidates.size === 0) {
        this.#blocked = true;
        out.push(this.#chunk(0, { role: 'assistant', content: '' }, 'content_filter'));
      }
      return out;
    }
    this.#out = out;
    for (let position = 0; position < candidates.length; position++) {
      const candidate = candidates[position]!;
      const index = candidate.index ?? position;
      let state = this.#candidates.get(index);
      if (!state) {
        state = { index, toolCalls: 0, finishReason: undefined };
        this.#candidates.set(index, state);
        out.push(this.#chunk(index, { role: 'assistant', content: '' }, null));
      }
      this.#current = state;
      emitParts(candidate.content?.parts, this.#ctx, this.#sink);
      if (candidate.finishReason !== undefined) {
        state.finishReason = candidate.finishReason;
        this.#sawFinish = true;
      }
    }
    return out;
  }

  end(): { chunks: ChatCompletionChunk[]; truncated: boolean } {
    // Gemini has no terminator event: without a finishReason (or a prompt block) the body was cut.
    if (!this.#sawFinish && !this.#blocked) return { chunks: [], truncated: true };
    const chunks: ChatCompletionChunk[] = [];
    for (const state of this.#candidates.values()) {
      chunks.push(this.#chunk(state.index, {}, mapFinishReason(state.finishReason, state.toolCalls > 0)));
    }
    if (this.#includeUsage) {
      const usageChunk = this.#base();
      usageChunk.usage = this.usage;
      chunks.push(usageChunk);
    }
    return { chunks, truncated: false };
  }

  #emitDelta(delta: ChunkDelta): void {
    this.#visible = true;
    this.#out.push(this.#chunk(this.#current.index, delta, null));
  }

  #emitToolCall(call: OutToolCall): void {
    const toolCall: ChunkToolCall = {
      index: this.#current.toolCalls++,
      id: call.id,
      type: 'function',
      // Gemini sends arguments whole, so the first (and only) fragment carries all of them.
      function: call.function,
    };
    if (call.extra_content) toolCall.extra_content = call.extra_content;
    this.#emitDelta({ tool_calls: [toolCall] });
  }

  #emitImage(image: OutImage, markdown: string): void {
    this.#emitDelta({ content: markdown, images: [image] });
  }

  #chunk(index: number, delta: ChunkDelta, finishReason: FinishReason | null): ChatCompletionChunk {
    const chunk = this.#base();
    chunk.choices.push({ index, delta, logprobs: null, finish_reason: finishReason });
    return chunk;
  }

  /** `usage: null` on every chunk is how OpenAI announces the usage chunk to come (§3.4). */
  #base(): ChatCompletionChunk {
    const ctx = this.#ctx;
    const chunk: ChatCompletionChunk = {
      id: ctx.id,
      object: 'chat.completion.chunk',
      created: ctx.created,
      model: ctx.model,
      choices: [],
      system_fingerprint: SYSTEM_FINGERPRINT,
    };
    if (this.#includeUsage) chunk.usage = null;
    return chunk;
  }
}
