/**
 * Decides the answer to one recorded request, in the order the real front end applies its checks:
 * route → API key → model → JSON payload shape → semantic validation → (scripted) answer.
 * Scripts run last on purpose: the fake stays a referee even in scripted tests.
 */
import type { GeminiGenerateContentRequest } from '../../../main/server/providers/gemini/gemini-types';
import type { KeyRing } from './api-keys';
import { planGeneration } from './build-answer';
import type { Catalogue, CatalogueModel } from './catalogue';
import { countTokens } from './count-tokens-endpoint';
import { batchEmbedContents, embedContent } from './embed-endpoint';
import {
  badRequest,
  canonicalError,
  invalidArgument,
  methodNotFound,
  modelNotFound,
  modelOverloaded,
} from './gemini-errors';
import { getModel, listModels } from './models-endpoint';
import { parseProtoJson } from './parse-proto-json';
import { errorPlan, type ResponsePlan } from './plan';
import { predict } from './predict-endpoint';
import type { RecordedRequest, Scenario, ScriptHandler } from './types';
import { generateRequestProblem } from './validate-generate-request';

export interface ParsedRoute {
  /** `list` and `get` are GETs on the collection / one model; `action` is a POST `:method`. */
  kind: 'list' | 'get' | 'action' | 'unknown';
  model?: string;
  action?: string;
}

/** `/v1beta/models/{model}:{action}`, split on the last colon (model ids contain dots and dashes). */
export function parseRoute(pathname: string): ParsedRoute {
  if (pathname === '/v1beta/models' || pathname === '/v1beta/models/') return { kind: 'list' };
  const match = /^\/v1beta\/models\/([^/]+)$/.exec(pathname);
  if (match?.[1] === undefined) return { kind: 'unknown' };
  const segment = decodeURIComponent(match[1]);
  const colon = segment.lastIndexOf(':');
  if (colon < 0) return { kind: 'get', model: segment };
  return { kind: 'action', model: segment.slice(0, colon), action: segment.slice(colon + 1) };
}

/** The listed method that makes an action available on a model (§1.3: stream is never listed). */
const REQUIRED_METHOD: Record<string, string> = {
  generateContent: 'generateContent',
  streamGenerateContent: 'generateContent',
  countTokens: 'countTokens',
  embedContent: 'embedContent',
  batchEmbedContents: 'embedContent',
  predict: 'predict',
};

const REQUEST_MESSAGE: Record<string, string> = {
  generateContent: 'GenerateContentRequest',
  streamGenerateContent: 'GenerateContentRequest',
  countTokens: 'CountTokensRequest',
  embedContent: 'EmbedContentRequest',
  batchEmbedContents: 'BatchEmbedContentsRequest',
  predict: 'PredictRequest',
};

export interface FakeState {
  catalogue: Catalogue;
  keys: KeyRing;
  rejectUnknownFields: boolean;
  enforceThoughtSignatures: boolean;
  chunkDelayMs: number;
  script: ScriptHandler | undefined;
  newResponseId: () => string;
  newSignature: (model: string) => string;
}

export interface RoutedAnswer {
  plan: ResponsePlan;
  /** Key behaviour `{delayMs}`: wait before sending response headers. */
  delayMs: number;
}

export function routeRequest(record: RecordedRequest, state: FakeState): RoutedAnswer {
  const route = parseRoute(record.path);
  const expectedMethod = route.kind === 'action' ? 'POST' : 'GET';
  if (route.kind === 'unknown' || record.method !== expectedMethod)
    return { plan: errorPlan(methodNotFound()), delayMs: 0 };
  const modelId = route.model ?? '';
  const verdict = state.keys.check(record.key, { modelMethod: route.kind === 'action', modelId });
  if (!verdict.ok) return { plan: errorPlan(verdict.error), delayMs: 0 };
  return { plan: planForValidKey(route, record, state), delayMs: verdict.delayMs };
}

function planForValidKey(route: ParsedRoute, record: RecordedRequest, state: FakeState): ResponsePlan {
  if (route.kind === 'list')
    return withScript(record, state, () => listModels(state.catalogue, record.query));
  if (route.kind === 'get')
    return withScript(record, state, () => getModel(state.catalogue, route.model ?? ''));
  const action = route.action ?? '';
  const requiredMethod = REQUIRED_METHOD[action];
  const messageName = REQUEST_MESSAGE[action];
  if (requiredMethod === undefined || messageName === undefined) return errorPlan(methodNotFound());
  const model = state.catalogue.find(route.model ?? '');
  if (model === undefined || !model.methods.includes(requiredMethod)) {
    return errorPlan(modelNotFound(route.model ?? '', action));
  }
  if (record.rawBody.trim() !== '' && record.body === undefined) {
    return errorPlan(invalidArgument('Invalid JSON payload received. Unexpected token.'));
  }
  const parsed = parseProtoJson(record.body ?? {}, messageName, {
    rejectUnknownFields: state.rejectUnknownFields,
  });
  if (parsed.violations.length > 0) return errorPlan(badRequest(parsed.violations));
  return planAction(action, parsed.value, model, record, state);
}

function planAction(
  action: string,
  body: Record<string, unknown>,
  model: CatalogueModel,
  record: RecordedRequest,
  state: FakeState,
): ResponsePlan {
  if (action === 'generateContent' || action === 'streamGenerateContent') {
    const request = { ...body, contents: body['contents'] ?? [] } as GeminiGenerateContentRequest;
    const problem = generateRequestProblem(request, model, {
      enforceThoughtSignatures: state.enforceThoughtSignatures,
    });
    if (problem !== undefined) return errorPlan(invalidArgument(problem));
    return planGeneration(state.script?.(record), {
      model,
      request,
      action,
      stream: action === 'streamGenerateContent',
      responseId: state.newResponseId(),
      newSignature: state.newSignature,
      chunkDelayMs: state.chunkDelayMs,
    });
  }
  return withScript(record, state, () => {
    switch (action) {
      case 'countTokens':
        return countTokens(body, model);
      case 'embedContent':
        return embedContent(body, model);
      case 'batchEmbedContents':
        return batchEmbedContents(body, model);
      default:
        return predict(body);
    }
  });
}

/**
 * Scripted answers outside generation. Scenarios about the *content* of an answer (text, function
 * calls, images, blocks…) do not apply to these endpoints and leave the default answer in place, so
 * a catch-all script does not break the gateway's model listing; transport-level scenarios do apply.
 */
function withScript(record: RecordedRequest, state: FakeState, answer: () => ResponsePlan): ResponsePlan {
  const scenario: Scenario | undefined = state.script?.(record);
  switch (scenario?.kind) {
    case 'error':
      return {
        kind: 'json',
        status: scenario.status,
        body:
          scenario.body ?? canonicalError(scenario.status, record.model ?? '', record.action ?? 'get').body,
      };
    case 'raw':
      return { kind: 'raw', status: scenario.status, headers: scenario.headers ?? {}, body: scenario.body };
    case 'hang':
      return { kind: 'hang' };
    case 'midStreamError':
      return errorPlan(modelOverloaded());
    case 'cut': {
      const plan = answer();
      return plan.kind === 'json' ? { ...plan, cutMidBody: true } : plan;
    }
    case 'slow': {
      const plan = answer();
      return plan.kind === 'json' ? { ...plan, delayMs: scenario.delayMs } : plan;
    }
    default:
      return answer();
  }
}
