/**
 * One fake Gemini and one gateway in front of it for a whole test file, the fake's record and script
 * reset before each test. Call at the top of the file: it registers the hooks and hands both servers
 * over through `started`, so the file keeps its own `fake` and `gw` variables.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startGateway, type TestGateway } from './gateway';

export function gatewayPerFile(started: (servers: { fake: FakeGemini; gw: TestGateway }) => void): void {
  let fake: FakeGemini | undefined;
  let gw: TestGateway | undefined;
  beforeAll(async () => {
    fake = await startFakeGemini();
    gw = await startGateway({ upstreamUrl: fake.url, keys: [DEFAULT_FAKE_KEY] });
    started({ fake, gw });
  });
  afterAll(async () => {
    await gw?.close();
    await fake?.close();
  });
  beforeEach(() => fake?.reset());
}
