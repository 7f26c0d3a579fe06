/**
 * Semantic checks of a generateContent body after `parse-proto-json` accepted its shape
 * (wire-format §1.4, §1.5.5, §2). Messages follow Google's "* Request.field: reason\n" style where
 * the real wording is known, and the quoted real messages elsewhere (§1.10).
 */
import type {
  GeminiContent,
  GeminiGenerateContentRequest,
  GeminiGenerationConfig,
  GeminiPart,
  GeminiTool,
} from '../../../main/server/providers/gemini/gemini-types';
import type { CatalogueModel } from './catalogue';
import { thinkingConfigProblem } from './validate-thinking';
import { foreignSignatureProblem, missingSignatureProblem } from './validate-thought-signatures';

const DATA_FIELDS = [
  'text',
  'inlineData',
  'fileData',
  'functionCall',
  'functionResponse',
  'executableCode',
  'codeExecutionResult',
] as const satisfies readonly (keyof GeminiPart)[];

// `function` and `tool` are undocumented but accepted by the real API (§1.4.1).
const ACCEPTED_ROLES = new Set(['user', 'model', 'function', 'tool']);
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$/;
const SCHEMA_MIME_TYPES = new Set(['application/json', 'text/x.enum']);

export interface GenerateValidationOptions {
  enforceThoughtSignatures: boolean;
  /** Message name the field paths start with; countTokens nests the request. */
  prefix?: string;
}

/** Returns the 400 message of the first problem, or undefined. */
export function generateRequestProblem(
  request: GeminiGenerateContentRequest,
  model: CatalogueModel,
  options: GenerateValidationOptions,
): string | undefined {
  const field = (path: string, reason: string): string =>
    `* ${options.prefix ?? 'GenerateContentRequest'}.${path}: ${reason}\n`;
  const contents = request.contents ?? [];
  if (contents.length === 0) return field('contents', 'contents is not specified');
  for (const [i, content] of contents.entries()) {
    if (!ACCEPTED_ROLES.has(content.role ?? 'user')) return 'Please use a valid role: user, model.';
    const problem = contentProblem(content, `contents[${i}]`, field);
    if (problem !== undefined) return problem;
    if (callTurnOutOfPlace(content, contents[i - 1])) return FUNCTION_CALL_TURN;
  }
  if (request.systemInstruction !== undefined) {
    if (!model.caps.systemInstruction) return `Developer instruction is not enabled for models/${model.id}`;
    const problem = contentProblem(request.systemInstruction, 'system_instruction', field);
    if (problem !== undefined) return problem;
  }
  const toolProblem = toolsProblem(request.tools ?? [], field);
  if (toolProblem !== undefined) return toolProblem;
  const configProblem = generationConfigProblem(request.generationConfig, model, field);
  if (configProblem !== undefined) return configProblem;
  if (jsonModeBesideFunctions(request) && !model.caps.jsonModeBesideFunctions) {
    return "Function calling with a response mime type: 'application/json' is unsupported";
  }
  if (options.enforceThoughtSignatures && model.caps.enforcesThoughtSignatures) {
    return foreignSignatureProblem(contents, model.id) ?? missingSignatureProblem(contents);
  }
  return undefined;
}

type FieldMessage = (path: string, reason: string) => string;

const FUNCTION_CALL_TURN =
  'Please ensure that function call turn comes immediately after a user turn or after a function response turn.';

/** A model turn with a function call must follow a user (or function-response) turn. */
function callTurnOutOfPlace(content: GeminiContent, previous: GeminiContent | undefined): boolean {
  if (content.role !== 'model' || !(content.parts ?? []).some((p) => p.functionCall !== undefined))
    return false;
  return previous === undefined || previous.role === 'model';
}

/** JSON mode and callable functions together (`tool_choice: none` makes them uncallable: accepted). */
const jsonModeBesideFunctions = (request: GeminiGenerateContentRequest): boolean =>
  request.generationConfig?.responseMimeType === 'application/json' &&
  (request.tools ?? []).some((tool) => (tool.functionDeclarations?.length ?? 0) > 0) &&
  request.toolConfig?.functionCallingConfig?.mode !== 'NONE';

/** Gemini's limit (§1.4.6); the wording is the one clients report (continuedev/continue#2702). */
const MAX_STOP_SEQUENCES = 5;

/** proto3 cannot tell 0 from unset, so only a non-zero penalty is refused. */
const setsPenalty = (config: GeminiGenerationConfig): boolean =>
  (config.presencePenalty ?? 0) !== 0 || (config.frequencyPenalty ?? 0) !== 0;

function contentProblem(content: GeminiContent, path: string, field: FieldMessage): string | undefined {
  const parts = content.parts ?? [];
  if (parts.length === 0) return field(`${path}.parts`, 'contents.parts must not be empty.');
  for (const [j, part] of parts.entries()) {
    const partPath = `${path}.parts[${j}]`;
    // An empty string leaves the oneof unset; a Gemini 3 signature-only part replayed unchanged is fine.
    const isSet = (name: (typeof DATA_FIELDS)[number]): boolean =>
      part[name] !== undefined &&
      (name !== 'text' || part.text !== '' || part.thoughtSignature !== undefined);
    if (!DATA_FIELDS.some(isSet)) {
      return field(`${partPath}.data`, "required oneof field 'data' must have one initialized field");
    }
    if (part.inlineData !== undefined) {
      if (!part.inlineData.mimeType)
        return field(`${partPath}.inline_data.mime_type`, 'mime_type is not specified');
      if (!part.inlineData.data) return field(`${partPath}.inline_data.data`, 'data is not specified');
    }
    if (part.fileData !== undefined && !part.fileData.fileUri) {
      return field(`${partPath}.file_data.file_uri`, 'file_uri is not specified');
    }
    if (part.functionCall !== undefined && !part.functionCall.name) {
      return field(`${partPath}.function_call.name`, 'name is not specified');
    }
    if (part.functionResponse !== undefined && !part.functionResponse.name) {
      return field(`${partPath}.function_response.name`, 'name is not specified');
    }
  }
  return undefined;
}

function toolsProblem(tools: readonly GeminiTool[], field: FieldMessage): string | undefined {
  for (const [i, tool] of tools.entries()) {
    for (const [j, declaration] of (tool.functionDeclarations ?? []).entries()) {
      const path = `tools[${i}].function_declarations[${j}]`;
      if (!FUNCTION_NAME.test(declaration.name ?? '')) {
        return field(
          `${path}.name`,
          'Invalid function name. Must start with a letter or an underscore. Must be alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:), or dashes (-), with a maximum length of 128.',
        );
      }
      if (declaration.parameters !== undefined && declaration.parametersJsonSchema !== undefined) {
        return field(`${path}.parameters`, 'parameters and parameters_json_schema cannot both be set.');
      }
    }
  }
  return undefined;
}

function generationConfigProblem(
  config: GeminiGenerationConfig | undefined,
  model: CatalogueModel,
  field: FieldMessage,
): string | undefined {
  if (config === undefined) return undefined;
  const candidates = config.candidateCount ?? 1;
  if (candidates < 0) return field('generation_config.candidate_count', 'candidate_count must be positive.');
  if (candidates > 1 && model.caps.maxCandidates <= 1)
    return 'Multiple candidates is not enabled for this model';
  if (candidates > model.caps.maxCandidates) {
    return field(
      'generation_config.candidate_count',
      `only values between 1 and ${model.caps.maxCandidates} are supported.`,
    );
  }
  if (setsPenalty(config) && !model.caps.penalties) return `Penalty is not enabled for models/${model.id}`;
  if ((config.stopSequences?.length ?? 0) > MAX_STOP_SEQUENCES) {
    return field(
      'generation_config.stop_sequences',
      `the number of stop_sequences must not exceed ${MAX_STOP_SEQUENCES}.`,
    );
  }
  if (config.responseLogprobs === true && !model.caps.logprobs)
    return `Logprobs is not enabled for models/${model.id}`;
  if (config.responseSchema !== undefined && config.responseJsonSchema !== undefined) {
    return field(
      'generation_config.response_schema',
      'response_schema and response_json_schema cannot both be set.',
    );
  }
  const hasSchema = config.responseSchema !== undefined || config.responseJsonSchema !== undefined;
  if (hasSchema && !SCHEMA_MIME_TYPES.has(config.responseMimeType ?? 'text/plain')) {
    return field(
      'generation_config.response_mime_type',
      'response_mime_type must be application/json or text/x.enum when a response schema is set.',
    );
  }
  const modalitiesProblem = responseModalitiesProblem(config.responseModalities, model);
  if (modalitiesProblem !== undefined) return modalitiesProblem;
  return thinkingConfigProblem(config.thinkingConfig, model);
}

function responseModalitiesProblem(
  modalities: readonly string[] | undefined,
  model: CatalogueModel,
): string | undefined {
  if (modalities === undefined || modalities.length === 0) return undefined;
  const unsupported = modalities.filter((m) => m === 'AUDIO' || (m === 'IMAGE' && !model.caps.imageOutput));
  // Legacy image models want TEXT beside IMAGE (§2.3).
  if (model.caps.requiresTextModality && !modalities.includes('TEXT')) unsupported.push(...modalities);
  if (unsupported.length === 0) return undefined;
  const names = [...new Set(unsupported)].map((m) => m.toLowerCase()).join(', ');
  return `Model does not support the requested response modalities: ${names}`;
}
