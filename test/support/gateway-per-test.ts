/**
 * A fresh gateway for every test, all in front of one fake Gemini per file, each closed after its
 * test: for state that lives as long as the server (the rate-limit counters) and must not carry
 * over from one test to the next. Call at the top of a test file; it registers the hooks.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Settings } from '../../shared/settings-schema';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startGateway, type GatewayOptions, type TestGateway } from './gateway';

export interface GatewayPerTest {
  /** The file's fake Gemini, reset after each test. */
  readonly fake: FakeGemini;
  /** A gateway with the file's `base` settings and these, closed when the test ends. */
  start: (settings: Partial<Settings>, options?: Partial<GatewayOptions>) => Promise<TestGateway>;
}

export function gatewayPerTest(base: Partial<Settings>): GatewayPerTest {
  let fake: FakeGemini | undefined;
  const open: TestGateway[] = [];
  const started = () => {
    if (!fake) throw new Error('the fake Gemini starts in beforeAll');
    return fake;
  };

  beforeAll(async () => {
    fake = await startFakeGemini();
  });
  afterEach(async () => {
    for (const gw of open.splice(0)) await gw.close();
    started().reset();
  });
  afterAll(async () => {
    await started().close();
  });

  return {
    get fake() {
      return started();
    },
    async start(settings, options = {}) {
      const gw = await startGateway({
        upstreamUrl: started().url,
        keys: [DEFAULT_FAKE_KEY],
        ...options,
        settings: { ...base, ...settings },
      });
      open.push(gw);
      return gw;
    },
  };
}
