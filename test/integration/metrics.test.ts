/** GET /metrics: Prometheus text, protected by METRICS_TOKEN or the admin credential. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startGateway, type TestGateway } from '../support/gateway';
import { sample } from '../support/prometheus';

let fake: FakeGemini;
let gw: TestGateway;

const metrics = (token?: string) =>
  fetch(`${gw.url}/metrics`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  fake = await startFakeGemini({
    keys: { [DEFAULT_FAKE_KEY]: 'valid', 'AIzaFAKE-invalid-key-0002': 'invalid' },
  });
  gw = await startGateway({
    upstreamUrl: fake.url,
    keys: [DEFAULT_FAKE_KEY, 'AIzaFAKE-invalid-key-0002'],
    settings: { password: 'api-pass', adminPassword: 'admin-pass' },
  });
});
afterAll(async () => {
  await gw.close();
  await fake.close();
});

describe('/metrics', () => {
  it('is not public: no token, the API password or a wrong token → 401', async () => {
    for (const token of [undefined, 'api-pass', 'nope']) {
      const res = await metrics(token);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    }
  });

  it('counts requests by route and status, upstream latency, tokens, keys, images', async () => {
    await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'count me' }],
    });
    await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash-image',
      messages: [{ role: 'user', content: 'draw' }],
    });
    await fetch(`${gw.url}/v1/models`, { headers: { authorization: 'Bearer wrong' } });

    const res = await metrics('admin-pass');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(
      sample(text, 'gemgate_http_requests_total{route="/v1/chat/completions",method="POST",status="200"}'),
    ).toBe(2);
    expect(sample(text, 'gemgate_http_requests_total{route="/v1/models",method="GET",status="401"}')).toBe(1);
    // The invalid key is disabled on first use; the valid one answers.
    expect(
      sample(text, 'gemgate_keys{state="active"}')! + sample(text, 'gemgate_keys{state="disabled"}')!,
    ).toBe(2);
    expect(sample(text, 'gemgate_image_store_images')).toBe(1);
    expect(sample(text, 'gemgate_image_store_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'gemgate_tokens_total{kind="prompt"}')).toBeGreaterThan(0);
    const upstream = text
      .split('\n')
      .filter((l) =>
        l.startsWith(
          'gemgate_upstream_request_duration_seconds_count{provider="gemini",action="generateContent"',
        ),
      );
    expect(upstream.reduce((n, l) => n + Number(l.split(' ').at(-1)), 0)).toBeGreaterThanOrEqual(2);
    expect(text).toContain('gemgate_process_resident_memory_bytes');
    expect(text).not.toContain(DEFAULT_FAKE_KEY);
  });

  it('shows open streams while they run', async () => {
    fake.script(() => ({ kind: 'slow', delayMs: 300, chunks: 3 }));
    const stream = await gw.openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'slowly' }],
      stream: true,
    });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    const during = await (await metrics('admin-pass')).text();
    expect(sample(during, 'gemgate_streams_open')).toBe(1);
    expect(sample(during, 'gemgate_requests_in_flight')).toBeGreaterThanOrEqual(1);
    while (!(await iterator.next()).done);
    fake.script(() => undefined);
    const after = await (await metrics('admin-pass')).text();
    expect(sample(after, 'gemgate_streams_open')).toBe(0);
  });

  it('with METRICS_TOKEN set, only that token opens it', async () => {
    gw.settings.update({ metricsToken: 'scrape-token-123' });
    try {
      expect((await metrics('admin-pass')).status).toBe(401);
      expect((await metrics('scrape-token-123')).status).toBe(200);
    } finally {
      gw.settings.update({ metricsToken: '' });
    }
  });
});
