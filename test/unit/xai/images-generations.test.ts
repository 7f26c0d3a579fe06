/** images-generations.ts: the OpenAI request as xAI takes it, and xAI's answer in OpenAI's strict shape. */
import { describe, expect, it } from 'vitest';
import { openAIImagesAnswer, xaiImagesRequest } from '../../../main/server/providers/xai/images-generations';

describe('xaiImagesRequest', () => {
  it('drops size, quality and style; keeps everything else, xAI-only fields included', () => {
    const request = {
      model: 'grok-imagine-image',
      prompt: 'a cat',
      n: 2,
      size: '1024x1024',
      quality: 'hd',
      style: 'vivid',
      response_format: 'b64_json',
      aspect_ratio: '16:9',
      resolution: '2k',
      user: 'u',
    };
    expect(xaiImagesRequest(request)).toEqual({
      model: 'grok-imagine-image',
      prompt: 'a cat',
      n: 2,
      response_format: 'b64_json',
      aspect_ratio: '16:9',
      resolution: '2k',
      user: 'u',
    });
    expect(request).toHaveProperty('size'); // the caller's object is left alone
  });
});

describe('openAIImagesAnswer', () => {
  it('adds created, strips a data: URL prefix from b64_json, passes the rest unchanged', () => {
    const answer = JSON.stringify({
      data: [
        { b64_json: 'data:image/png;base64,iVBORw0KGgo=', revised_prompt: 'A cat', mime_type: 'image/png' },
        { b64_json: '/9j/4AAQ' },
        { url: 'https://imgen.x.ai/xai-imgen/a.jpeg' },
      ],
      usage: { cost_in_usd_ticks: 700_000_000 },
    });
    expect(openAIImagesAnswer(answer, 1_735_689_600)).toEqual({
      created: 1_735_689_600,
      data: [
        { b64_json: 'iVBORw0KGgo=', revised_prompt: 'A cat', mime_type: 'image/png' },
        { b64_json: '/9j/4AAQ' },
        { url: 'https://imgen.x.ai/xai-imgen/a.jpeg' },
      ],
      usage: { cost_in_usd_ticks: 700_000_000 },
    });
  });

  it('keeps a created xAI sends itself', () => {
    expect(openAIImagesAnswer('{"created":42,"data":[]}', 99)).toEqual({ created: 42, data: [] });
  });

  it.each(['not json', '[]', '{"error":"x"}', '{"data":{}}'])('%s is no images answer → undefined', (text) =>
    expect(openAIImagesAnswer(text, 1)).toBeUndefined(),
  );
});
