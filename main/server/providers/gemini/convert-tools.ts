/**
 * OpenAI `tools` + `tool_choice` → Gemini `tools[].functionDeclarations` + `toolConfig`
 * (wire-format §1.4.3, §1.4.4, §4.3).
 */
import { ApiError } from '../../errors';
import type { ChatCompletionRequest, ToolChoice } from '../../openai/chat-request';
import { toParametersJsonSchema } from './clean-schema';
import type { GeminiFunctionDeclaration, GeminiTool, GeminiToolConfig } from './gemini-types';

type OpenAITool = NonNullable<ChatCompletionRequest['tools']>[number];

export interface ConvertedTools {
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
}

/** `{type:"object"}` without properties means "no arguments": Gemini wants no parameters at all then. */
function isEmptyObjectSchema(schema: Record<string, unknown>): boolean {
  const { type, properties } = schema;
  const objectTyped = type === undefined || (typeof type === 'string' && type.toLowerCase() === 'object');
  const combines = ['$ref', 'anyOf', 'oneOf', 'allOf'].some((key) => Object.hasOwn(schema, key));
  const noProperties =
    properties === undefined ||
    (typeof properties === 'object' && properties !== null && Object.keys(properties).length === 0);
  return objectTyped && !combines && noProperties;
}

function toDeclaration(tool: OpenAITool): GeminiFunctionDeclaration {
  const { name, description, parameters } = tool.function;
  const declaration: GeminiFunctionDeclaration = { name };
  if (description) declaration.description = description;
  if (parameters !== undefined && !isEmptyObjectSchema(parameters)) {
    declaration.parametersJsonSchema = toParametersJsonSchema(parameters);
  }
  return declaration;
}

/** First declaration of a name wins: Gemini rejects duplicates, and clients do send them. */
function uniqueDeclarations(tools: readonly OpenAITool[]): GeminiFunctionDeclaration[] {
  const byName = new Map<string, GeminiFunctionDeclaration>();
  for (const tool of tools)
    if (!byName.has(tool.function.name)) byName.set(tool.function.name, toDeclaration(tool));
  return [...byName.values()];
}

const badChoice = (message: string): ApiError =>
  new ApiError('invalid_request', message, { param: 'tool_choice' });

function requireDeclared(names: readonly string[], declared: readonly GeminiFunctionDeclaration[]): void {
  for (const name of names) {
    if (!declared.some((d) => d.name === name)) {
      throw badChoice(`tool_choice names the function "${name}", which is not among the declared tools.`);
    }
  }
}

export function convertTools(
  tools: ChatCompletionRequest['tools'],
  toolChoice: ToolChoice | undefined,
): ConvertedTools {
  let declarations = uniqueDeclarations(tools ?? []);
  let toolConfig: GeminiToolConfig | undefined;

  if (toolChoice === 'none') {
    toolConfig = { functionCallingConfig: { mode: 'NONE' } };
  } else if (toolChoice === 'auto') {
    toolConfig = { functionCallingConfig: { mode: 'AUTO' } };
  } else if (toolChoice === 'required') {
    if (declarations.length === 0) throw badChoice('tool_choice "required" needs at least one tool.');
    toolConfig = { functionCallingConfig: { mode: 'ANY' } };
  } else if (toolChoice?.type === 'function') {
    requireDeclared([toolChoice.function.name], declarations);
    toolConfig = { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [toolChoice.function.name] } };
  } else if (toolChoice?.type === 'allowed_tools') {
    const names = [...new Set(toolChoice.allowed_tools.tools.map((t) => t.function.name))];
    if (names.length === 0) throw badChoice('tool_choice.allowed_tools.tools must name at least one tool.');
    requireDeclared(names, declarations);
    if (toolChoice.allowed_tools.mode === 'required') {
      toolConfig = { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: names } };
    } else {
      // allowedFunctionNames only works with ANY, so "may call one of these" means declaring only them.
      declarations = declarations.filter((d) => names.includes(d.name));
      toolConfig = { functionCallingConfig: { mode: 'AUTO' } };
    }
  }

  // Without declarations a functionCallingConfig means nothing; "none"/"auto" on no tools is harmless.
  if (declarations.length === 0) return {};
  return toolConfig === undefined
    ? { tools: [{ functionDeclarations: declarations }] }
    : { tools: [{ functionDeclarations: declarations }], toolConfig };
}
