/**
 * `:countTokens` (wire-format §1.7): either `{contents}` or `{generateContentRequest: {...}}`. The
 * count uses the same arithmetic as usageMetadata.promptTokenCount, so the two agree.
 */
import type {
  GeminiContent,
  GeminiGenerateContentRequest,
} from '../../../main/server/providers/gemini/gemini-types';
import type { CatalogueModel } from './catalogue';
import { invalidArgument } from './gemini-errors';
import { errorPlan, okPlan, type ResponsePlan } from './plan';
import { countPromptTokens } from './tokens';
import { generateRequestProblem } from './validate-generate-request';

export interface CountTokensBody {
  contents?: GeminiContent[];
  generateContentRequest?: GeminiGenerateContentRequest;
}

export function countTokens(body: CountTokensBody, model: CatalogueModel): ResponsePlan {
  if (body.contents !== undefined && body.generateContentRequest !== undefined) {
    return errorPlan(
      invalidArgument('* CountTokensRequest: contents and generate_content_request cannot both be set.\n'),
    );
  }
  const nested = body.generateContentRequest;
  const request: GeminiGenerateContentRequest = nested ?? { contents: body.contents ?? [] };
  const problem = generateRequestProblem(request, model, {
    enforceThoughtSignatures: false,
    prefix: nested === undefined ? 'CountTokensRequest' : 'CountTokensRequest.generate_content_request',
  });
  if (problem !== undefined) return errorPlan(invalidArgument(problem));
  const tokens = countPromptTokens(request);
  return okPlan({
    totalTokens: tokens.total,
    promptTokensDetails: [
      { modality: 'TEXT', tokenCount: tokens.text },
      ...(tokens.image > 0 ? [{ modality: 'IMAGE', tokenCount: tokens.image }] : []),
    ],
  });
}
