/**
 * POST /xai/v1/images/generations (wire-format §5.3): the body, read whole within MAX_BODY_MB
 * (xai-relay.ts), goes to xAI without the OpenAI fields it does not support, and a 200 comes back
 * in OpenAI's strict shape (`created`, bare base64) — images-generations.ts. The body is held in
 * memory, so a pooled key's 429 or 403 moves on to the next key like any relayed request.
 *
 * xAI's errors pass through as they are. A body that is not a JSON object is relayed as it came,
 * for xAI to say what is wrong with it. The 200 is read whole, within MAX_XAI_IMAGES_ANSWER_BYTES
 * (read-answer.ts): an answer cut off or too large is the gateway's own 502.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayCore } from '../../core';
import { parseJsonObject } from '../../parse-json';
import { openAIImagesAnswer, xaiImagesRequest } from '../../providers/xai/images-generations';
import { clientResponseHeaders, gatewayJsonHeaders } from '../../providers/xai/relay-headers';
import { callXai, passThrough, sendAnswer, type RelayCall } from './pass-through';
import { readXaiAnswer } from './read-answer';

export async function relayImageGenerations(
  core: GatewayCore,
  request: FastifyRequest,
  reply: FastifyReply,
  call: RelayCall & { body: Buffer },
): Promise<FastifyReply> {
  const json = parseJsonObject(call.body.toString('utf8'));
  if (json === undefined) return passThrough(core, request, reply, call);
  const model = typeof json['model'] === 'string' ? json['model'] : undefined;
  if (model !== undefined) request.gemgate.model = model;

  const answer = await callXai(core, request, {
    ...call,
    model,
    body: Buffer.from(JSON.stringify(xaiImagesRequest(json))),
    method: 'POST',
    headers: gatewayJsonHeaders,
  });
  const { response } = answer;
  if (response.statusCode !== 200) return sendAnswer(reply, answer);
  const buffered = await readXaiAnswer(answer, call.signal);
  const openai = openAIImagesAnswer(buffered.toString('utf8'), Math.floor(core.now() / 1000));
  if (openai === undefined) return sendAnswer(reply, { response, buffered });

  const headers = clientResponseHeaders(response.headers, { fromMemory: true });
  // The gateway writes this body: JSON, uncompressed (it could not have been parsed otherwise).
  delete headers['content-encoding'];
  delete headers['content-type'];
  return reply.code(200).headers(headers).send(openai);
}
