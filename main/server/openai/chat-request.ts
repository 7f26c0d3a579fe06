/**
 * The inbound OpenAI chat-completions request (wire-format §3.2), validated with zod.
 * Strict about types and about what we cannot honour, tolerant of everything else: unknown fields are
 * dropped, `null` counts as absent (many clients send `"stop": null`, `"tools": null`).
 */
import { z } from 'zod';
import { opt } from './optional-field';

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const imageUrlPart = z.object({
  type: z.literal('image_url'),
  image_url: z.union([
    z.object({ url: z.string().min(1), detail: opt(z.enum(['auto', 'low', 'high'])) }),
    // Some clients (older LangChain) send the URL as a bare string.
    z
      .string()
      .min(1)
      .transform((url) => ({ url, detail: undefined })),
  ]),
});
const inputAudioPart = z.object({
  type: z.literal('input_audio'),
  input_audio: z.object({ data: z.string().min(1), format: z.string().min(1) }),
});
const filePart = z.object({
  type: z.literal('file'),
  file: z.object({
    file_data: opt(z.string()),
    file_id: opt(z.string()),
    filename: opt(z.string()),
  }),
});
const refusalPart = z.object({ type: z.literal('refusal'), refusal: z.string() });

export const userContentPart = z.discriminatedUnion('type', [
  textPart,
  imageUrlPart,
  inputAudioPart,
  filePart,
]);
export type UserContentPart = z.infer<typeof userContentPart>;

const textOnlyContent = z.union([z.string(), z.array(textPart)]);

export const toolCallSchema = z.object({
  id: z.string().min(1),
  type: opt(z.literal('function')),
  function: z.object({ name: z.string().min(1), arguments: opt(z.string()) }),
  // Google's convention for carrying Gemini thought signatures through OpenAI history (wire-format §3.5).
  extra_content: opt(z.object({ google: opt(z.object({ thought_signature: opt(z.string()) })) }).loose()),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

const systemMessage = z.object({
  role: z.enum(['system', 'developer']),
  content: textOnlyContent,
  name: opt(z.string()),
});
const userMessage = z.object({
  role: z.literal('user'),
  content: z.union([z.string(), z.array(userContentPart)]),
  name: opt(z.string()),
});
const assistantMessage = z.object({
  role: z.literal('assistant'),
  content: opt(z.union([z.string(), z.array(z.discriminatedUnion('type', [textPart, refusalPart]))])),
  tool_calls: opt(z.array(toolCallSchema)),
  reasoning_content: opt(z.string()),
  name: opt(z.string()),
});
const toolMessage = z.object({
  role: z.literal('tool'),
  tool_call_id: z.string().min(1),
  content: textOnlyContent,
});
const functionMessage = z.object({
  role: z.literal('function'),
  name: z.string().min(1),
  content: opt(z.string()),
});

export const chatMessage = z.discriminatedUnion('role', [
  systemMessage,
  userMessage,
  assistantMessage,
  toolMessage,
  functionMessage,
]);
export type ChatMessage = z.infer<typeof chatMessage>;

const functionTool = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z
      .string()
      .regex(
        /^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$/,
        'must start with a letter or underscore and use only letters, digits, _ . : - (max 128)',
      ),
    description: opt(z.string()),
    parameters: opt(z.record(z.string(), z.unknown())),
    strict: opt(z.boolean()),
  }),
});

const namedToolChoice = z.object({
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1) }),
});
const allowedToolsChoice = z.object({
  type: z.literal('allowed_tools'),
  allowed_tools: z.object({
    mode: z.enum(['auto', 'required']),
    tools: z.array(
      z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1) }) }),
    ),
  }),
});
export const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  namedToolChoice,
  allowedToolsChoice,
]);
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

const jsonSchemaFormat = z.object({
  type: z.literal('json_schema'),
  json_schema: z.object({
    name: opt(z.string()),
    description: opt(z.string()),
    schema: opt(z.record(z.string(), z.unknown())),
    strict: opt(z.boolean()),
  }),
});
export const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  jsonSchemaFormat,
]);

/**
 * Aspect ratio and size of generated images (OpenRouter's `image_config`); Gemini validates the
 * values, so new ratios and sizes work without a gateway release.
 */
const imageConfig = z.object({
  aspect_ratio: opt(z.string().trim().min(1)),
  image_size: opt(z.string().trim().min(1)),
});

/** `extra_body.google` of Google's own OpenAI-compat layer; keys arrive in snake_case or camelCase. */
const googleExtras = z
  .object({
    thinking_config: opt(z.record(z.string(), z.unknown())),
    thinkingConfig: opt(z.record(z.string(), z.unknown())),
    safety_settings: opt(z.array(z.object({ category: z.string(), threshold: z.string() }))),
    safetySettings: opt(z.array(z.object({ category: z.string(), threshold: z.string() }))),
    cached_content: opt(z.string()),
    cachedContent: opt(z.string()),
    image_config: opt(imageConfig),
  })
  .loose();
export type GoogleExtras = z.infer<typeof googleExtras>;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const positiveInt = z.number().int().min(1);
/**
 * `top_k` is not OpenAI's; the clients that send it use 0 (SillyTavern, the default of its presets)
 * or -1 (vLLM) for "no top-k limit". Gemini refuses a topK below 1, so those mean "not set".
 */
const topK = z
  .number()
  .min(-1)
  // zod's int() stops at 2^53; any whole number counts here, however large.
  .refine(Number.isInteger, 'Invalid input: expected int, received number')
  // Gemini's integers are int32: a larger top_k is no limit at all, as 0 and -1 are.
  .transform((k) => (k > 0 && k < 2 ** 31 ? k : undefined));

export const chatCompletionRequest = z.object({
  model: z.string().min(1, 'model is required'),
  messages: z.array(chatMessage).min(1, 'messages must contain at least one message'),
  stream: opt(z.boolean()),
  stream_options: opt(z.object({ include_usage: opt(z.boolean()) })),
  temperature: opt(finite.min(0).max(2)),
  top_p: opt(finite.min(0).max(1)),
  top_k: opt(topK),
  n: opt(positiveInt.max(8)),
  stop: opt(z.union([z.string(), z.array(z.string()).max(16)])),
  max_tokens: opt(positiveInt),
  max_completion_tokens: opt(positiveInt),
  presence_penalty: opt(finite.min(-2).max(2)),
  frequency_penalty: opt(finite.min(-2).max(2)),
  seed: opt(z.number().int()),
  response_format: opt(responseFormatSchema),
  tools: opt(z.array(functionTool)),
  tool_choice: opt(toolChoiceSchema),
  parallel_tool_calls: opt(z.boolean()),
  reasoning_effort: opt(z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'])),
  modalities: opt(z.array(z.string())),
  image_config: opt(imageConfig),
  logprobs: opt(z.boolean()),
  top_logprobs: opt(z.number().int().min(0).max(20)),
  user: opt(z.string()),
  google: opt(googleExtras),
  extra_body: opt(z.object({ google: opt(googleExtras) }).loose()),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;
