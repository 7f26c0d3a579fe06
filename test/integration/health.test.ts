/**
 * GET /health (open, and saying nothing secret) and the password gate in front of /v1: OpenAI-shaped
 * 401s for a missing or wrong Bearer password, the right one lets the SDK in, changes apply live.
 */
import OpenAI, { AuthenticationError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { generateCalls } from '../support/fake-requests';
import { startGateway, type TestGateway } from '../support/gateway';
import { getPath, postChat } from '../support/openai-sse';

const COOLING = 'AIzaFAKE-health-cooling-key-0001';
const BROKEN = 'AIzaFAKE-health-invalid-key-0002';
const GOOD = 'AIzaFAKE-health-valid-key-0003';
const PASSWORD = 'correct horse battery staple';

let fake: FakeGemini;
let gw: TestGateway;

beforeAll(async () => {
  fake = await startFakeGemini({
    keys: { [COOLING]: { quota: { retryDelay: '60s' } }, [BROKEN]: 'invalid', [GOOD]: 'valid' },
  });
  gw = await startGateway({
    upstreamUrl: fake.url,
    keys: [COOLING, BROKEN, GOOD],
    settings: { password: PASSWORD },
  });
});
afterAll(async () => {
  await fake.close();
  await gw.close();
});
beforeEach(() => {
  fake.reset();
});

const UNAUTHORIZED = {
  type: 'invalid_request_error',
  param: null,
  code: 'invalid_api_key',
};

describe('GET /health', () => {
  it('answers 200 without credentials, with version and a key summary but no key material', async () => {
    const fresh = await getPath(gw, '/health', null);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(fresh.text)).toMatchObject({
      status: 'ok',
      version: 'test',
      keys: { total: 3, active: 3, cooling: 0, disabled: 0 },
    });

    // One request walks the pool: the first key cools down, the second is disabled, the third answers.
    await gw.openai.chat.completions.create({
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'x' }],
    });
    const reply = await getPath(gw, '/health', null);
    const body = JSON.parse(reply.text) as { uptimeSeconds: number; keys: Record<string, number> };
    expect(body.keys).toEqual({ total: 3, active: 1, cooling: 1, disabled: 1 });
    expect(Number.isInteger(body.uptimeSeconds)).toBe(true);
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);

    const secrets = [
      COOLING,
      BROKEN,
      GOOD,
      PASSWORD,
      ...gw.core.keys.health().flatMap((h) => [h.masked, h.id]),
    ];
    for (const secret of secrets) expect(reply.text).not.toContain(secret);
    expect(reply.text).not.toMatch(/AIza/);
  });
});

describe('password gate', () => {
  it('no Authorization header → 401 with an OpenAI error body, and no upstream call', async () => {
    const reply = await postChat(
      gw,
      { model: 'gemini-2.0-flash', messages: [{ role: 'user', content: 'x' }] },
      { password: null },
    );
    expect(reply.status).toBe(401);
    const body = JSON.parse(reply.text) as { error: { message: string } };
    expect(body.error).toMatchObject(UNAUTHORIZED);
    expect(body.error.message).toMatch(/Missing API key/);
    expect(generateCalls(fake)).toHaveLength(0);

    const models = await getPath(gw, '/v1/models', null);
    expect(models.status).toBe(401);
    expect(JSON.parse(models.text)).toMatchObject({ error: UNAUTHORIZED });
  });

  it('a wrong password → 401 (the SDK raises AuthenticationError)', async () => {
    const reply = await getPath(gw, '/v1/models', 'wrong password');
    expect(reply.status).toBe(401);
    const body = JSON.parse(reply.text) as { error: { message: string } };
    expect(body.error).toMatchObject(UNAUTHORIZED);
    expect(body.error.message).toMatch(/Incorrect API key/);
    expect(reply.text).not.toContain(PASSWORD);

    const intruder = new OpenAI({ apiKey: 'not-the-password', baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const err = await intruder.chat.completions
      .create({ model: 'gemini-2.0-flash', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).code).toBe('invalid_api_key');
    expect(generateCalls(fake)).toHaveLength(0);
  });

  it('the right password → 200', async () => {
    expect((await getPath(gw, '/v1/models', PASSWORD)).status).toBe(200);
    const res = await gw.openai.chat.completions.create({
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'let me in' }],
    });
    expect(res.choices[0]?.message.content).toBe('Echo: let me in');
  });

  it('a password change applies to the next request', async () => {
    gw.settings.update({ password: 'rotated-password' });
    try {
      expect((await getPath(gw, '/v1/models', PASSWORD)).status).toBe(401);
      expect((await getPath(gw, '/v1/models', 'rotated-password')).status).toBe(200);
    } finally {
      gw.settings.update({ password: PASSWORD });
    }
  });
});
