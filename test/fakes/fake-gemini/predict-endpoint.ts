/**
 * Imagen `:predict` (wire-format §1.9, optional path): `instances[0].prompt`, `parameters.sampleCount`
 * 1..4 (default 4), answered with real PNGs.
 */
import { invalidArgument } from './gemini-errors';
import { errorPlan, okPlan, type ResponsePlan } from './plan';
import { makePng } from './png';

export interface PredictBody {
  instances?: unknown[];
  parameters?: unknown;
}

export function predict(body: PredictBody): ResponsePlan {
  const first = body.instances?.[0] as { prompt?: unknown } | undefined;
  if (typeof first?.prompt !== 'string' || first.prompt === '') {
    return errorPlan(invalidArgument('* PredictRequest.instances[0].prompt: prompt is not specified\n'));
  }
  const parameters = (body.parameters ?? {}) as { sampleCount?: unknown };
  const count = parameters.sampleCount ?? 4;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 4) {
    return errorPlan(invalidArgument('sampleCount must be between 1 and 4, inclusive.'));
  }
  return okPlan({
    predictions: Array.from({ length: count }, (_, i) => ({
      mimeType: 'image/png',
      bytesBase64Encoded: makePng(i).toString('base64'),
    })),
  });
}
