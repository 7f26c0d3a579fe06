/**
 * What the two reference gateways of `npm run bench:framework` (fastify-minimal.ts, http-minimal.ts)
 * do per chat request besides their framework: the two messages mapped by hand to a Gemini body, and
 * Gemini's answer mapped back. No validation, no thinking, no tools — the least any OpenAI→Gemini
 * converter must do, so the two differ only in the HTTP layer.
 */
export interface MinimalChat {
  model: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  max_tokens?: number;
}

interface GeminiAnswer {
  candidates: { content: { parts: { text?: string }[] }; finishReason?: string }[];
  usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number; totalTokenCount?: number };
}

/** The Gemini request body (serialised) for a chat. */
export function toGeminiBody(chat: MinimalChat): string {
  const system = chat.messages.filter((m) => m.role === 'system').map((m) => ({ text: m.content }));
  return JSON.stringify({
    contents: chat.messages
      .filter((m) => m.role !== 'system')
      .map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] })),
    ...(system.length ? { systemInstruction: { parts: system } } : {}),
    generationConfig: { temperature: chat.temperature, maxOutputTokens: chat.max_tokens },
  });
}

/** The OpenAI chat completion for Gemini's answer (its JSON text). */
export function toCompletion(chat: MinimalChat, answerText: string, id: number): object {
  const answer = JSON.parse(answerText) as GeminiAnswer;
  const candidate = answer.candidates[0];
  const usage = answer.usageMetadata ?? {};
  return {
    id: `chatcmpl-${id}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: chat.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: (candidate?.content.parts ?? []).map((p) => p.text ?? '').join(''),
        },
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: usage.promptTokenCount ?? 0,
      completion_tokens: usage.candidatesTokenCount ?? 0,
      total_tokens: usage.totalTokenCount ?? 0,
    },
  };
}

/** The reference children's settings, from the environment the bench gives them. */
export function minimalConfig(): { upstream: string; keys: string[]; password: string } {
  const upstream = process.env.UPSTREAM_URL;
  const keys = (process.env.GEMINI_API_KEYS ?? '').split(',').filter(Boolean);
  const password = process.env.PASSWORD;
  if (!upstream || !password || keys.length === 0)
    throw new Error('UPSTREAM_URL, GEMINI_API_KEYS and PASSWORD are required');
  return { upstream, keys, password };
}
