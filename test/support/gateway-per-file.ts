/**
 * One fake Gemini and one gateway in front of it for a whole test file, the fake's record and script
 * reset before each test. Call at the top of the file: it registers the hooks and hands both servers
 * over through `started`, so the file keeps its own `fake` and `gw` variables.
 *
 * `settings` start the gateway with them (a password, say); with `resetSettings` every test starts
 * from those settings again, whatever the one before it changed.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Settings } from '../../shared/settings-schema';
import { DEFAULT_FAKE_KEY, startFakeGemini, type FakeGemini } from '../fakes/fake-gemini';
import { startGateway, type TestGateway } from './gateway';

export interface PerFileOptions {
  settings?: Partial<Settings>;
  resetSettings?: boolean;
}

export function gatewayPerFile(
  started: (servers: { fake: FakeGemini; gw: TestGateway }) => void,
  options: PerFileOptions = {},
): void {
  let fake: FakeGemini | undefined;
  let gw: TestGateway | undefined;
  let baseline: Settings | undefined;
  beforeAll(async () => {
    fake = await startFakeGemini();
    gw = await startGateway({
      upstreamUrl: fake.url,
      keys: [DEFAULT_FAKE_KEY],
      ...(options.settings ? { settings: options.settings } : {}),
    });
    baseline = gw.settings.get();
    started({ fake, gw });
  });
  afterAll(async () => {
    await gw?.close();
    await fake?.close();
  });
  beforeEach(() => {
    fake?.reset();
    if (options.resetSettings && baseline) gw?.settings.update(baseline);
  });
}
