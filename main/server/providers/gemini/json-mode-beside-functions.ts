/**
 * JSON mode next to function declarations. Models before Gemini 3 refuse the pair with 400 "Function
 * calling with a response mime type: 'application/json' is unsupported", and agent frameworks send
 * exactly that (the OpenAI Agents SDK's `output_type` with tools, pydantic-ai, LangChain). Rather than
 * fail every such request, the JSON mode becomes an instruction: the model is told to answer in JSON
 * (with the schema, when one was given) whenever it does not call a function. With `tool_choice:
 * "none"` Gemini accepts the pair, so nothing changes then. Pure.
 */
import type { GeminiContent, GeminiGenerateContentRequest } from './gemini-types';

const declaresFunctions = (body: GeminiGenerateContentRequest): boolean =>
  (body.tools ?? []).some((tool) => (tool.functionDeclarations?.length ?? 0) > 0) &&
  body.toolConfig?.functionCallingConfig?.mode !== 'NONE';

const instructionFor = (schema: unknown): string =>
  schema === undefined
    ? 'When you answer without calling a function, answer with one JSON value only: no prose, no code fences.'
    : `When you answer without calling a function, answer with one JSON value only (no prose, no code fences) that matches this JSON Schema: ${JSON.stringify(schema)}`;

/**
 * The body with JSON mode turned into a system instruction when the model cannot have both; `body`
 * itself when it can, or when nothing asks for both.
 */
export function withJsonModeBesideFunctions(
  body: GeminiGenerateContentRequest,
  modelTakesBoth: boolean,
): GeminiGenerateContentRequest {
  const config = body.generationConfig;
  if (modelTakesBoth || config?.responseMimeType !== 'application/json' || !declaresFunctions(body)) {
    return body;
  }
  const { responseMimeType: _mime, responseJsonSchema, responseSchema, ...rest } = config;
  const instruction = { text: instructionFor(responseJsonSchema ?? responseSchema) };
  const systemInstruction: GeminiContent = {
    ...body.systemInstruction,
    parts: [...(body.systemInstruction?.parts ?? []), instruction],
  };
  const next: GeminiGenerateContentRequest = { ...body, systemInstruction };
  if (Object.keys(rest).length > 0) next.generationConfig = rest;
  else delete next.generationConfig;
  return next;
}
