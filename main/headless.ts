/**
 * Composition root of the headless server (Docker, Hugging Face Spaces, `npm run headless`):
 * environment → settings, data folder, core, HTTP listener, console log, graceful shutdown.
 * The only place besides the Electron shell that reads process.env.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { parseSettingsFromEnv } from '../shared/settings-env';
import type { Settings } from '../shared/settings-schema';
import { createGatewayCore } from './server/core';
import { createServer } from './server/create-server';
import { formatLogLine } from './server/logging/format-log-line';
import { environmentKeys } from './server/settings/environment-keys';
import { FileSettingsSource } from './server/settings/file-settings';
import { VERSION } from './version';

const SHUTDOWN_GRACE_MS = 30_000;

const isLoopback = (host: string) => ['127.0.0.1', '::1', 'localhost'].includes(host);

function loadSettings(): Settings {
  const parsed = parseSettingsFromEnv(process.env, 'headless');
  if (!parsed.ok) {
    process.stderr.write(
      `Gemgate cannot start, the configuration is invalid:\n  ${parsed.errors.join('\n  ')}\n`,
    );
    process.exit(2);
  }
  return { ...parsed.settings, dataDir: resolve(parsed.settings.dataDir) };
}

async function main(): Promise<void> {
  const environment = loadSettings();
  mkdirSync(environment.dataDir, { recursive: true });

  // Values saved in the web admin (DATA_DIR/settings.json) win over the environment until reset.
  const source = new FileSettingsSource({
    environment,
    fromEnvironment: environmentKeys(process.env),
    dir: environment.dataDir,
  });
  const settings = source.get();
  const core = createGatewayCore({ settings: source, version: VERSION });
  // A closed stdout (the reading end of a pipe went away) must not take the server down with EPIPE.
  process.stdout.on('error', () => undefined);
  core.log.subscribe((entry) => process.stdout.write(formatLogLine(entry)));
  for (const warning of source.warnings) core.log.warn(warning);

  core.log.info(`${settings.geminiApiKeys.length} Gemini API key(s) configured; data in ${settings.dataDir}`);
  if (settings.geminiApiKeys.length === 0) core.log.warn('No Gemini API keys: set GEMINI_API_KEYS.');
  if (!isLoopback(settings.host) && settings.password === '123') {
    core.log.warn(
      '!!! SECURITY: listening on a network address with the default password "123". Anyone who can reach this port can use your Gemini keys. Set PASSWORD. !!!',
    );
  }

  const app = await createServer(core);
  // Installed before listening: a stop request during start-up must also end cleanly.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    core.log.info(`${signal} received: finishing open requests, then exiting.`);
    const force = setTimeout(() => {
      core.log.warn('Open requests did not finish in time; exiting anyway.');
      process.exit(0);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    app
      .close()
      .then(() => core.close())
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  try {
    // A larger accept queue than Node's 511: a burst of connections (1,000 clients at once) is not
    // dropped into the kernel's one-second SYN retry.
    await app.listen({ host: settings.host, port: settings.port, backlog: 4096 });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`Gemgate could not listen on ${settings.host}:${settings.port}: ${message}\n`);
    process.exit(1);
  }
  const { port } = app.server.address() as AddressInfo;
  const local = isLoopback(settings.host) ? settings.host : '127.0.0.1';
  core.log.info(
    `Gemgate ${VERSION} listening on http://${settings.host}:${port} (OpenAI base URL: http://${local}:${port}/v1)`,
  );
  core.start();
}

void main();
