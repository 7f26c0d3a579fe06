/**
 * The AdminHost of the HTTP admin when the shell gives none (headless, tests): the listener is the
 * server answering the request, settings are the core's own source (the headless file, or a volatile
 * adapter for an in-memory source), gallery links take each request's origin.
 */
import type { Server } from 'node:http';
import type { GatewayCore } from '../core';
import { writableSettingsOf } from '../settings/writable-of';
import type { AdminHost } from './admin-host';
import { listeningOf } from './listener-address';

export function httpAdminHost(core: GatewayCore, server: () => Server): AdminHost {
  return {
    mode: 'headless',
    status: () => {
      const s = server();
      return { listening: s.listening ? listeningOf(s.address()) : null, listenError: null };
    },
    settings: writableSettingsOf(core.settings),
    imageOrigin: () => null,
  };
}
