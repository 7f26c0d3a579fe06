/**
 * POST /v1/embeddings with the official openai SDK (issue part 3): string and array input,
 * `dimensions`, both encodings (the SDK asks for base64 by default and decodes it), batching of big
 * inputs over batchEmbedContents in input order, failover per batch, and 400s for what Gemini cannot
 * embed.
 */
import { BadRequestError, type OpenAI } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keyIdOf } from '../../main/server/keys/key-pool';
import { embeddingVector, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startGateway, type TestGateway } from '../support/gateway';

const K1 = 'AIzaFAKE-embed-pool-key-01';
const K2 = 'AIzaFAKE-embed-pool-key-02';

let fake: FakeGemini;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeGemini({ keys: { [K1]: 'valid', [K2]: 'valid' } });
  gw = await startGateway({ upstreamUrl: fake.url, keys: [K1, K2] });
  client = gw.openai;
});
afterAll(async () => {
  await fake.close();
  await gw.close();
});
beforeEach(() => {
  fake.reset();
  fake.setKey(K1, 'valid');
  for (const h of gw.core.keys.health()) gw.core.keys.enable(h.id);
});

/** What a float32 round trip makes of the fake's vector (base64 carries float32). */

/**
 * A vector shortened by `dimensions` comes back at unit length (OpenAI's are; Gemini normalises only
 * its full size), pointing the way Gemini's did. Float32 (base64) keeps about 7 digits.
 */
const expectUnitAlong = (actual: readonly number[], upstream: readonly number[]) => {
  const length = (v: readonly number[]) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
  expect(actual).toHaveLength(upstream.length);
  expect(length(actual)).toBeCloseTo(1, 6);
  const scale = length(upstream);
  actual.forEach((x, i) => expect(x).toBeCloseTo(upstream[i]! / scale, 6));
};

interface BatchBody {
  requests: { model: string; content: { parts: { text: string }[] }; outputDimensionality?: number }[];
}
const batchBodies = () =>
  fake.requests.filter((r) => r.action === 'batchEmbedContents').map((r) => r.body as BatchBody);

interface RawReply {
  status: number;
  json: { data?: { embedding: string }[]; error?: { message: string; type: string; param: string | null } };
}

async function postRaw(body: unknown): Promise<RawReply> {
  const res = await fetch(`${gw.url}/v1/embeddings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${gw.settings.get().password}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as RawReply['json'] };
}

describe('POST /v1/embeddings', () => {
  it('a string input, float encoding: one vector, the requested model, an estimated usage', async () => {
    const res = await client.embeddings.create({
      model: 'text-embedding-004',
      input: 'hello world',
      encoding_format: 'float',
    });
    expect(res.object).toBe('list');
    expect(res.model).toBe('text-embedding-004');
    expect(res.data).toEqual([
      { object: 'embedding', index: 0, embedding: embeddingVector('hello world', 768) },
    ]);
    expect(res.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    expect(batchBodies()).toEqual([
      { requests: [{ model: 'models/text-embedding-004', content: { parts: [{ text: 'hello world' }] } }] },
    ]);
    expect([K1, K2]).toContain(fake.requests[0]!.key);
  });

  it('an array input with dimensions; the SDK’s default base64 decodes back to the same floats', async () => {
    const inputs = ['alpha', 'beta', 'gamma'];
    const res = await client.embeddings.create({
      model: 'gemini-embedding-001',
      input: inputs,
      dimensions: 16,
    });
    expect(res.data.map((d) => d.index)).toEqual([0, 1, 2]);
    res.data.forEach((d, i) => {
      expectUnitAlong(Array.from(d.embedding), embeddingVector(inputs[i]!, 3072).slice(0, 16));
    });
    expect(batchBodies()[0]!.requests.map((r) => r.outputDimensionality)).toEqual([16, 16, 16]);

    const raw = await postRaw({
      model: 'gemini-embedding-001',
      input: inputs,
      dimensions: 16,
      encoding_format: 'base64',
    });
    expect(raw.status).toBe(200);
    const decoded = Buffer.from(raw.json.data![1]!.embedding, 'base64');
    expect(decoded.length).toBe(16 * 4);
    const floats = Array.from({ length: 16 }, (_, i) => decoded.readFloatLE(i * 4));
    expectUnitAlong(floats, embeddingVector('beta', 3072).slice(0, 16));
  });

  it('250 inputs: 3 upstream calls of ≤ 100, order preserved', async () => {
    const inputs = Array.from({ length: 250 }, (_, i) => `input number ${i}`);
    const res = await client.embeddings.create({
      model: 'gemini-embedding-001',
      input: inputs,
      dimensions: 8,
      encoding_format: 'float',
    });
    const bodies = batchBodies();
    expect(bodies.map((b) => b.requests.length).sort((a, b) => b - a)).toEqual([100, 100, 50]);
    const sentTexts = bodies.flatMap((b) => b.requests.map((r) => r.content.parts[0]!.text)).sort();
    expect(sentTexts).toEqual([...inputs].sort());
    expect(res.data).toHaveLength(250);
    res.data.forEach((d, i) => {
      expect(d.index).toBe(i);
      expectUnitAlong(d.embedding, embeddingVector(inputs[i]!, 3072).slice(0, 8));
    });
  });

  it('fails over per batch: an invalid key is disabled and the batch retried on another key', async () => {
    fake.setKey(K1, 'invalid');
    const res = await client.embeddings.create({
      model: 'gemini-embedding-001',
      input: Array.from({ length: 150 }, (_, i) => `t${i}`),
      dimensions: 4,
      encoding_format: 'float',
    });
    expect(res.data).toHaveLength(150);
    expect(gw.core.keys.health().find((h) => h.id === keyIdOf(K1))?.status).toBe('disabled');
    const succeeded = fake.requests.filter((r) => r.key === K2);
    expect(succeeded.map((r) => (r.body as BatchBody).requests.length).sort()).toEqual([100, 50]);
  });

  it('an upstream error is reported in OpenAI’s shape with Google’s message', async () => {
    const err = await client.embeddings
      .create({ model: 'text-embedding-004', input: 'x', dimensions: 5000, encoding_format: 'float' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toMatch(/Output dimensionality must be between 1 and 768/);
  });
});

describe('bad input → 400, Gemini not called', () => {
  it.each([
    [
      'token ids',
      { model: 'gemini-embedding-001', input: [1, 2, 3] },
      'input',
      /Token-id input is not supported/,
    ],
    ['token id arrays', { model: 'gemini-embedding-001', input: [[1, 2], [3]] }, 'input', /Token-id/],
    ['empty string', { model: 'gemini-embedding-001', input: '' }, 'input', /empty/],
    ['empty array', { model: 'gemini-embedding-001', input: [] }, 'input', /empty/],
    ['empty item', { model: 'gemini-embedding-001', input: ['a', ''] }, 'input[1]', /empty/],
    ['missing input', { model: 'gemini-embedding-001' }, 'input', /required/],
    ['missing model', { input: 'x' }, 'model', /model/],
    ['chat model', { model: 'gemini-2.5-flash', input: 'x' }, 'model', /not an embedding model/],
    ['unsafe model id', { model: '../embedding', input: 'x' }, 'model', /Invalid model id/],
    [
      'bad dimensions',
      { model: 'gemini-embedding-001', input: 'x', dimensions: 0 },
      'dimensions',
      /dimensions/,
    ],
    [
      'bad encoding',
      { model: 'gemini-embedding-001', input: 'x', encoding_format: 'hex' },
      'encoding_format',
      /encoding_format/,
    ],
  ])('%s', async (_name, body, param, message) => {
    const res = await postRaw(body);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(res.json.error?.message).toMatch(message);
    expect(fake.requests).toHaveLength(0);
  });
});
