/**
 * Property-based fuzzing of POST /v1/chat/completions over real sockets: thousands of malformed or
 * hostile requests (wrong types anywhere, deep nesting, invalid UTF-8, duplicate and prototype keys,
 * broken tool schemas, unsafe model ids, megabyte strings). Whatever comes in, the gateway answers
 * below 500 with a completion or an OpenAI error, never pollutes a prototype, never sends an unsafe
 * model path upstream, and keeps serving /health.
 *
 * Deterministic: every property has a fixed seed, which fast-check prints with the counterexample.
 * Budget: ~2,500 requests in well under 40 s on two cores (batches of 8 on keep-alive connections).
 */
import fc from 'fast-check';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FAKE_KEY, startFakeGemini } from '../fakes/fake-gemini';
import type { FakeGemini } from '../fakes/fake-gemini';
import { startGateway } from '../support/gateway';
import type { TestGateway } from '../support/gateway';
import {
  hugeRequest,
  hugeToFuzzRequest,
  modelRequest,
  mutatedRequest,
  rawTextRequest,
  rawToFuzzRequest,
  schemaRequest,
  toFuzzRequest,
} from './arbitraries';
import {
  agent,
  checkNoPollution,
  checkReply,
  checkUpstreamCalls,
  encodeBody,
  isSafeModelId,
  post,
} from './wire';
import type { FuzzRequest, Reply, ReplyKind } from './wire';

const BATCH = 8;
/** Thousands of requests a minute are the point here, not what the limiter is for. */
const NO_RATE_LIMITS = { maxRequestsPerMinute: 0, maxRequestsPerDayPerIp: 0 };
/** Generous: a property takes ~5 s alone, but CI runners are shared. */
const PROPERTY_TIMEOUT_MS = 60_000;

let fake: FakeGemini;
let gw: TestGateway;
let password: string;
let sent = 0;

/** The upstream answer is scripted so that it costs next to nothing; the fake still referees. */
const scriptFake = () => fake.script(() => ({ kind: 'text', text: 'ok' }));

beforeAll(async () => {
  fake = await startFakeGemini();
  scriptFake();
  gw = await startGateway({ upstreamUrl: fake.url, keys: [DEFAULT_FAKE_KEY], settings: NO_RATE_LIMITS });
  password = gw.settings.get().password;
});

afterAll(async () => {
  await agent.close();
  await gw?.close();
  await fake?.close();
});

async function expectHealthy(): Promise<void> {
  const res = await request(`${gw.url}/health`, { dispatcher: agent });
  const body = (await res.body.json()) as { status?: string; keys?: { active?: number } };
  // A disabled or cooling key would mean hostile input was blamed on the key.
  if (res.statusCode !== 200 || body.status !== 'ok' || body.keys?.active !== 1) {
    throw new Error(`/health is not healthy: ${res.statusCode} ${JSON.stringify(body)}`);
  }
}

type Counts = Record<ReplyKind, number>;
const newCounts = (): Counts => ({ completion: 0, stream: 0, error: 0 });

/** Sends one batch concurrently and checks every invariant, per reply and for the batch. */
async function runBatch(
  requests: readonly FuzzRequest[],
  counts: Counts,
  extra?: (reply: Reply, index: number) => void,
): Promise<void> {
  try {
    const replies = await Promise.all(
      requests.map((r) => post(`${gw.url}/v1/chat/completions`, password, r)),
    );
    sent += replies.length;
    replies.forEach((reply, i) => {
      counts[checkReply(reply)] += 1;
      extra?.(reply, i);
    });
    checkUpstreamCalls(fake.requests);
    checkNoPollution();
    await expectHealthy();
  } finally {
    // Recorded bodies can be megabytes each; keep only one batch's worth.
    fake.reset();
    scriptFake();
  }
}

const batchOf = <T>(arb: fc.Arbitrary<T>, size = BATCH) =>
  fc.array(arb, { minLength: size, maxLength: size });

describe('chat completions under hostile input', () => {
  it(
    'hostile values planted anywhere in valid requests',
    async () => {
      const counts = newCounts();
      await fc.assert(
        fc.asyncProperty(batchOf(mutatedRequest), async (batch) => {
          await runBatch(batch.map(toFuzzRequest), counts);
        }),
        { seed: 0x6a7e01, numRuns: 150 },
      );
      // The generator must reach both sides, or the property proves little.
      expect(counts.completion + counts.stream).toBeGreaterThan(100);
      expect(counts.error).toBeGreaterThan(100);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'raw texts: truncated, spliced bytes, duplicate keys, odd content types',
    async () => {
      const counts = newCounts();
      await fc.assert(
        fc.asyncProperty(batchOf(rawTextRequest), async (batch) => {
          await runBatch(batch.map(rawToFuzzRequest), counts);
        }),
        { seed: 0x6a7e02, numRuns: 60 },
      );
      expect(counts.completion + counts.stream).toBeGreaterThan(10);
      expect(counts.error).toBeGreaterThan(100);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'broken tool and response schemas: $ref cycles, type arrays, garbage properties, 10k keys',
    async () => {
      const counts = newCounts();
      await fc.assert(
        fc.asyncProperty(batchOf(schemaRequest), async (batch) => {
          await runBatch(
            batch.map((body) => ({ body: encodeBody(body), contentType: 'application/json' })),
            counts,
          );
        }),
        { seed: 0x6a7e03, numRuns: 50 },
      );
      expect(counts.completion).toBeGreaterThan(20);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'model ids: unsafe ones are refused with param "model" and never reach the upstream URL',
    async () => {
      const counts = newCounts();
      await fc.assert(
        fc.asyncProperty(batchOf(modelRequest), async (batch) => {
          await runBatch(
            batch.map((body) => ({ body: JSON.stringify(body), contentType: 'application/json' })),
            counts,
            (reply, i) => {
              const model = batch[i]!.model;
              if (isSafeModelId(model)) return;
              const error = (JSON.parse(reply.text) as { error?: { param?: unknown } }).error;
              if (reply.status !== 400 || error?.param !== 'model') {
                throw new Error(`unsafe model ${JSON.stringify(model)} was not refused: ${reply.text}`);
              }
            },
          );
        }),
        { seed: 0x6a7e04, numRuns: 40 },
      );
      expect(counts.error).toBeGreaterThan(100);
      expect(counts.completion + counts.stream).toBeGreaterThan(20);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'megabyte strings of odd unicode in every position',
    async () => {
      const counts = newCounts();
      await fc.assert(
        fc.asyncProperty(batchOf(hugeRequest, 4), async (batch) => {
          await runBatch(batch.map(hugeToFuzzRequest), counts);
        }),
        { seed: 0x6a7e05, numRuns: 6 },
      );
      expect(counts.completion + counts.stream + counts.error).toBe(24);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it('is still healthy and serving at the end', async () => {
    await expectHealthy();
    const counts = newCounts();
    await runBatch(
      [
        {
          body: JSON.stringify({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Hi' }] }),
          contentType: 'application/json',
        },
      ],
      counts,
    );
    expect(counts.completion).toBe(1);
    expect(sent).toBeGreaterThanOrEqual(2_000);
  });
});
